import { HTTP_TIMEOUTS } from './http-timeouts.js';
import {
  BatchGetDeploymentsCommand,
  CodeDeployClient,
  type DeploymentInfo,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentsCommand,
  paginateListDeploymentGroups,
} from '@aws-sdk/client-codedeploy';
import { hasErrorName } from '../core/sdk-errors.js';

/** A CodeDeploy client with the default credential chain (endpoint from AWS_ENDPOINT_URL_CODEDEPLOY when set). */
export const createCodeDeployClient = (opts: { region?: string }): CodeDeployClient =>
  new CodeDeployClient({ region: opts.region || undefined, requestHandler: HTTP_TIMEOUTS });

/** Every deployment group of the application, all pages (push reports them; deploy lists them when the group is wrong). */
export async function listDeploymentGroups(client: CodeDeployClient, applicationName: string): Promise<string[]> {
  const groups: string[] = [];
  for await (const page of paginateListDeploymentGroups({ client }, { applicationName })) groups.push(...(page.deploymentGroups ?? []));
  return groups;
}

/** What a deployment put on a group: its S3 revision, when it completed, and whether CodeDeploy started it as a rollback. */
export interface GroupRevision {
  deploymentId: string;
  bucket: string;
  key: string;
  eTag?: string;
  completedAt?: Date;
  /** Started by CodeDeploy's automatic rollback: it still counts as what the group ran. */
  rollback: boolean;
}

/** BatchGetDeployments takes at most 25 ids (CodeDeploy API reference). */
const BATCH = 25;

function groupRevision(info: DeploymentInfo): GroupRevision | null {
  const s3 = info.revision?.s3Location;
  // Only S3 revisions are ours (a GitHub revision, say, was not deployed by these actions).
  if (!info.deploymentId || info.revision?.revisionType !== 'S3' || !s3?.bucket || !s3.key) return null;
  return {
    deploymentId: info.deploymentId,
    bucket: s3.bucket,
    key: s3.key,
    ...(s3.eTag ? { eTag: s3.eTag } : {}),
    ...(info.completeTime ? { completedAt: info.completeTime } : {}),
    rollback: info.creator === 'codeDeployRollback' || Boolean(info.rollbackInfo?.rollbackTriggeringDeploymentId),
  };
}

/** The revision of the group's last successful deployment, or null (no group / never deployed). */
export async function runningRevision(client: CodeDeployClient, app: string, group: string): Promise<GroupRevision | null> {
  let deploymentId: string | undefined;
  try {
    const out = await client.send(new GetDeploymentGroupCommand({ applicationName: app, deploymentGroupName: group }));
    deploymentId = out.deploymentGroupInfo?.lastSuccessfulDeployment?.deploymentId;
  } catch (err) {
    if (hasErrorName(err, 'DeploymentGroupDoesNotExistException') || hasErrorName(err, 'ApplicationDoesNotExistException')) return null;
    throw err;
  }
  if (!deploymentId) return null;
  const out = await client.send(new GetDeploymentCommand({ deploymentId }));
  return out.deploymentInfo ? groupRevision({ ...out.deploymentInfo, deploymentId }) : null;
}

/**
 * Succeeded deployments of the group, newest first, at most `limit` (all pages as needed).
 * ListDeployments answers newest first in practice (its reference does not promise an order), so pages
 * are read until `limit` deployments are known, and those are sorted by completion time to be sure.
 */
export async function succeededDeployments(client: CodeDeployClient, app: string, group: string, limit: number): Promise<GroupRevision[]> {
  const found: GroupRevision[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListDeploymentsCommand({ applicationName: app, deploymentGroupName: group, includeOnlyStatuses: ['Succeeded'], nextToken }),
    );
    const ids = page.deployments ?? [];
    for (let i = 0; i < ids.length && found.length < limit; i += BATCH) {
      const out = await client.send(new BatchGetDeploymentsCommand({ deploymentIds: ids.slice(i, i + BATCH) }));
      // BatchGetDeployments does not promise the order of the ids asked: keep the list's.
      const byId = new Map((out.deploymentsInfo ?? []).map((d) => [d.deploymentId, d]));
      for (const id of ids.slice(i, i + BATCH)) {
        const info = byId.get(id);
        const revision = info?.status === 'Succeeded' ? groupRevision(info) : null;
        if (revision && found.length < limit) found.push(revision);
      }
    }
    nextToken = page.nextToken;
  } while (nextToken && found.length < limit);
  return found.sort((a, b) => (b.completedAt?.getTime() ?? 0) - (a.completedAt?.getTime() ?? 0));
}
