import { paginateListDeploymentGroups, type CodeDeployClient } from '@aws-sdk/client-codedeploy';

/** Every deployment group of the application, all pages (push reports them; deploy lists them when the group is wrong). */
export async function listDeploymentGroups(client: CodeDeployClient, applicationName: string): Promise<string[]> {
  const groups: string[] = [];
  for await (const page of paginateListDeploymentGroups({ client }, { applicationName })) groups.push(...(page.deploymentGroups ?? []));
  return groups;
}
