import { HTTP_TIMEOUTS } from './http-timeouts.js';
import { CodeDeployClient, paginateListDeploymentGroups } from '@aws-sdk/client-codedeploy';

/** A CodeDeploy client with the default credential chain (endpoint from AWS_ENDPOINT_URL_CODEDEPLOY when set). */
export const createCodeDeployClient = (opts: { region?: string }): CodeDeployClient =>
  new CodeDeployClient({ region: opts.region || undefined, requestHandler: HTTP_TIMEOUTS });

/** Every deployment group of the application, all pages (push reports them; deploy lists them when the group is wrong). */
export async function listDeploymentGroups(client: CodeDeployClient, applicationName: string): Promise<string[]> {
  const groups: string[] = [];
  for await (const page of paginateListDeploymentGroups({ client }, { applicationName })) groups.push(...(page.deploymentGroups ?? []));
  return groups;
}
