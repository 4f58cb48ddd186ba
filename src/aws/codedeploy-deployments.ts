import {
  BatchGetDeploymentTargetsCommand,
  type CodeDeployClient,
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { listDeploymentGroups } from './codedeploy-client.js';
import { hasErrorName } from '../core/sdk-errors.js';
import type {
  CodeDeployPort,
  DeploymentSnapshot,
  DeploymentStatus,
  LifecycleEventStatus,
  RevisionLookup,
  TargetSnapshot,
  TargetStatus,
} from '../core/deploy/ports.js';

/** The deploy's CodeDeploy port over the SDK (endpoint from AWS_ENDPOINT_URL_CODEDEPLOY when set). */
export class CodeDeployDeployments implements CodeDeployPort {
  constructor(private readonly client: CodeDeployClient) {}

  async getApplicationRevision(request: { applicationName: string; bucket: string; key: string; eTag?: string }): Promise<RevisionLookup> {
    try {
      const out = await this.client.send(
        new GetApplicationRevisionCommand({
          applicationName: request.applicationName,
          revision: { revisionType: 'S3', s3Location: { bucket: request.bucket, key: request.key, bundleType: 'zip', eTag: request.eTag } },
        }),
      );
      return { found: true, registeredAt: out.revisionInfo?.registerTime };
    } catch (err) {
      if (hasErrorName(err, 'ApplicationDoesNotExistException')) return { found: false, missing: 'application' };
      if (hasErrorName(err, 'RevisionDoesNotExistException')) return { found: false, missing: 'revision' };
      throw err;
    }
  }

  async deploymentGroupExists(applicationName: string, groupName: string): Promise<boolean> {
    try {
      await this.client.send(new GetDeploymentGroupCommand({ applicationName, deploymentGroupName: groupName }));
      return true;
    } catch (err) {
      if (hasErrorName(err, 'DeploymentGroupDoesNotExistException')) return false;
      throw err;
    }
  }

  listDeploymentGroups(applicationName: string): Promise<string[]> {
    return listDeploymentGroups(this.client, applicationName);
  }

  async getDeployment(deploymentId: string): Promise<DeploymentSnapshot> {
    const out = await this.client.send(new GetDeploymentCommand({ deploymentId }));
    const d = out.deploymentInfo ?? {};
    const o = d.deploymentOverview ?? {};
    const s3 = d.revision?.revisionType === 'S3' ? d.revision.s3Location : undefined;
    return {
      deploymentId,
      status: (d.status ?? 'Created') as DeploymentStatus,
      overview: {
        Pending: o.Pending ?? 0,
        InProgress: o.InProgress ?? 0,
        Succeeded: o.Succeeded ?? 0,
        Failed: o.Failed ?? 0,
        Skipped: o.Skipped ?? 0,
        Ready: o.Ready ?? 0,
      },
      applicationName: d.applicationName,
      deploymentGroupName: d.deploymentGroupName,
      createTime: d.createTime,
      completeTime: d.completeTime,
      errorInformation: d.errorInformation ? { code: d.errorInformation.code, message: d.errorInformation.message } : undefined,
      revision: s3?.bucket && s3.key ? { bucket: s3.bucket, key: s3.key, ...(s3.eTag ? { eTag: s3.eTag } : {}) } : undefined,
      creator: d.creator,
      autoRollback: d.autoRollbackConfiguration
        ? { enabled: d.autoRollbackConfiguration.enabled === true, events: d.autoRollbackConfiguration.events ?? [] }
        : undefined,
      rollbackInfo: d.rollbackInfo
        ? {
            rollbackDeploymentId: d.rollbackInfo.rollbackDeploymentId,
            rollbackTriggeringDeploymentId: d.rollbackInfo.rollbackTriggeringDeploymentId,
            rollbackMessage: d.rollbackInfo.rollbackMessage,
          }
        : undefined,
    };
  }

  async listTargetIds(deploymentId: string, statuses?: TargetStatus[]): Promise<string[]> {
    const ids: string[] = [];
    const targetFilters = statuses ? { TargetStatus: statuses } : undefined;
    // The SDK has no paginator for ListDeploymentTargets.
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(new ListDeploymentTargetsCommand({ deploymentId, targetFilters, nextToken }));
      ids.push(...(page.targetIds ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return ids;
  }

  async batchGetTargets(deploymentId: string, targetIds: string[]): Promise<TargetSnapshot[]> {
    if (targetIds.length === 0) return [];
    const out = await this.client.send(new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds }));
    const snapshots: TargetSnapshot[] = [];
    for (const target of out.deploymentTargets ?? []) {
      // EC2/on-premises deployments (what Ions run on) report instanceTarget.
      const t = target.instanceTarget;
      if (!t?.targetId) continue;
      snapshots.push({
        targetId: t.targetId,
        status: (t.status ?? 'Unknown') as TargetStatus,
        lastUpdatedAt: t.lastUpdatedAt,
        lifecycleEvents: (t.lifecycleEvents ?? []).map((e) => ({
          name: e.lifecycleEventName ?? '?',
          status: (e.status ?? 'Unknown') as LifecycleEventStatus,
          startTime: e.startTime,
          endTime: e.endTime,
          diagnostics: e.diagnostics
            ? {
                errorCode: e.diagnostics.errorCode,
                scriptName: e.diagnostics.scriptName,
                message: e.diagnostics.message,
                logTail: e.diagnostics.logTail,
              }
            : undefined,
        })),
      });
    }
    return snapshots;
  }

  async stopDeployment(deploymentId: string, autoRollback: boolean): Promise<void> {
    await this.client.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: autoRollback }));
  }
}
