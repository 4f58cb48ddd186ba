/** Links to the AWS console pages of an execution and a deployment. */

/** The region an ARN names (`arn:aws:states:us-east-1:…`), or undefined. */
export const regionOfArn = (arn: string): string | undefined => /^arn:aws[a-z-]*:[a-z0-9-]+:([a-z0-9-]+):/.exec(arn)?.[1] || undefined;

const consoleHost = (region: string): string =>
  region.startsWith('cn-')
    ? `https://${region}.console.amazonaws.cn`
    : region.startsWith('us-gov-')
      ? `https://${region}.console.amazonaws-us-gov.com`
      : `https://${region}.console.aws.amazon.com`;

export const executionConsoleUrl = (executionArn: string, region = regionOfArn(executionArn)): string | undefined =>
  region ? `${consoleHost(region)}/states/home?region=${region}#/v2/executions/details/${encodeURIComponent(executionArn)}` : undefined;

export const deploymentConsoleUrl = (deploymentId: string, region: string | undefined): string | undefined =>
  region ? `${consoleHost(region)}/codesuite/codedeploy/deployments/${encodeURIComponent(deploymentId)}?region=${region}` : undefined;
