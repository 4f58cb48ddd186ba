import type { Clock } from '../../src/core/deploy/clock.js';
import { AwsServiceError, startAwsJsonServer, type AwsJsonServer } from '../../local-cloud/aws-json-server.js';

/**
 * A CodeDeploy endpoint (awsJson1.1) for the deploy: applications, groups and registered revisions,
 * and scripted deployments whose instances move through their lifecycle events as the (scaled) clock
 * passes the scripted times. GetDeployment's overview and every target's status are derived from the
 * lifecycle script, so they always agree, as they do in CodeDeploy.
 */
export interface ScriptedLifecycleEvent {
  name: string;
  /** Absolute clock times. */
  startMs: number;
  endMs: number;
  status: 'Succeeded' | 'Failed' | 'Skipped';
  diagnostics?: { errorCode: string; scriptName: string; message: string; logTail: string };
}

export interface ScriptedTarget {
  targetId: string;
  events: ScriptedLifecycleEvent[];
  /** The deployment failed before this instance's turn: Skipped from then on. */
  skippedAtMs?: number;
}

export interface ScriptedDeployment {
  deploymentId: string;
  applicationName: string;
  deploymentGroupName: string;
  createMs: number;
  startMs: number;
  endMs: number;
  finalStatus: 'Succeeded' | 'Failed';
  errorInformation?: { code: string; message: string };
  targets: ScriptedTarget[];
  stoppedAtMs?: number;
}

export interface FakeCodeDeployDeployments extends AwsJsonServer {
  applications: Map<string, { groups: string[]; revisions: { bucket: string; key: string; eTag?: string }[] }>;
  deployments: Map<string, ScriptedDeployment>;
}

/** Small pages, so the deploy's paging is exercised. */
const LIST_TARGETS_PAGE = 20;
const LIST_GROUPS_PAGE = 2;

export async function startFakeCodeDeployDeployments(clock: Clock): Promise<FakeCodeDeployDeployments> {
  const applications: FakeCodeDeployDeployments['applications'] = new Map();
  const deployments = new Map<string, ScriptedDeployment>();

  const app = (name: unknown) => {
    const found = applications.get(String(name));
    if (!found) throw new AwsServiceError('ApplicationDoesNotExistException', `No application found for name: ${String(name)}`);
    return found;
  };
  const deployment = (id: unknown) => {
    const d = deployments.get(String(id));
    if (!d || clock.now() < d.createMs)
      throw new AwsServiceError('DeploymentDoesNotExistException', `The deployment ${String(id)} could not be found`);
    return d;
  };

  const server = await startAwsJsonServer({
    targetPrefix: 'CodeDeploy_20141006',
    protocol: '1.1',
    handlers: {
      GetApplicationRevision: (input) => {
        const s3 = input.revision?.s3Location;
        const rev = app(input.applicationName).revisions.find(
          (r) => r.bucket === s3?.bucket && r.key === s3?.key && (!r.eTag || !s3?.eTag || r.eTag === s3.eTag),
        );
        if (!rev) throw new AwsServiceError('RevisionDoesNotExistException', 'No application revision found for revision.');
        return {
          applicationName: input.applicationName,
          revision: input.revision,
          revisionInfo: { registerTime: clock.now() / 1000 - 60 },
        };
      },
      GetDeploymentGroup: (input) => {
        if (!app(input.applicationName).groups.includes(input.deploymentGroupName)) {
          throw new AwsServiceError(
            'DeploymentGroupDoesNotExistException',
            `No Deployment Group found for name: ${String(input.deploymentGroupName)}`,
          );
        }
        return { deploymentGroupInfo: { applicationName: input.applicationName, deploymentGroupName: input.deploymentGroupName } };
      },
      ListDeploymentGroups: (input) => {
        const groups = app(input.applicationName).groups;
        const start = input.nextToken ? Number(input.nextToken) : 0;
        const next = start + LIST_GROUPS_PAGE;
        return {
          applicationName: input.applicationName,
          deploymentGroups: groups.slice(start, next),
          ...(next < groups.length ? { nextToken: String(next) } : {}),
        };
      },
      GetDeployment: (input) => {
        const d = deployment(input.deploymentId);
        const now = clock.now();
        const overview = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 };
        for (const t of d.targets) overview[targetAt(t, now).status] += 1;
        const status = deploymentStatus(d, now);
        const done = status === 'Succeeded' || status === 'Failed' || status === 'Stopped';
        return {
          deploymentInfo: {
            deploymentId: d.deploymentId,
            applicationName: d.applicationName,
            deploymentGroupName: d.deploymentGroupName,
            status,
            createTime: d.createMs / 1000,
            ...(now >= d.startMs ? { startTime: d.startMs / 1000 } : {}),
            ...(done ? { completeTime: Math.min(d.endMs, d.stoppedAtMs ?? Infinity) / 1000 } : {}),
            deploymentOverview: overview,
            ...(done && status !== 'Succeeded' && d.errorInformation ? { errorInformation: d.errorInformation } : {}),
          },
        };
      },
      ListDeploymentTargets: (input) => {
        const d = deployment(input.deploymentId);
        const now = clock.now();
        // Instances are known once the deployment has started.
        const statuses: string[] | undefined = input.targetFilters?.TargetStatus;
        const ids =
          now < d.startMs ? [] : d.targets.filter((t) => !statuses || statuses.includes(targetAt(t, now).status)).map((t) => t.targetId);
        const start = input.nextToken ? Number(input.nextToken) : 0;
        const next = start + LIST_TARGETS_PAGE;
        return { targetIds: ids.slice(start, next), ...(next < ids.length ? { nextToken: String(next) } : {}) };
      },
      BatchGetDeploymentTargets: (input) => {
        const d = deployment(input.deploymentId);
        const ids: string[] = input.targetIds ?? [];
        if (ids.length > 25)
          throw new AwsServiceError('InstanceIdRequiredException', 'The maximum number of targets that can be returned is 25', 400);
        const now = clock.now();
        return {
          deploymentTargets: ids.map((id) => {
            const t = d.targets.find((x) => x.targetId === id);
            if (!t) throw new AwsServiceError('DeploymentTargetDoesNotExistException', `target ${id} is not part of the deployment`);
            const view = targetAt(t, now);
            return {
              deploymentTargetType: 'InstanceTarget',
              instanceTarget: {
                deploymentId: d.deploymentId,
                targetId: t.targetId,
                targetArn: `arn:aws:ec2:us-east-1:123456789012:instance/${t.targetId}`,
                status: view.status,
                ...(view.lastUpdatedMs !== undefined ? { lastUpdatedAt: view.lastUpdatedMs / 1000 } : {}),
                lifecycleEvents: view.events,
              },
            };
          }),
        };
      },
      StopDeployment: (input) => {
        const d = deployment(input.deploymentId);
        const status = deploymentStatus(d, clock.now());
        if (status === 'Succeeded' || status === 'Failed' || status === 'Stopped') {
          throw new AwsServiceError('DeploymentAlreadyCompletedException', `The deployment ${d.deploymentId} has already completed`);
        }
        d.stoppedAtMs = clock.now();
        return { status: 'Pending', statusMessage: 'Stopping' };
      },
    },
  });
  return Object.assign(server, { applications, deployments });
}

function deploymentStatus(d: ScriptedDeployment, now: number): string {
  if (d.stoppedAtMs !== undefined && now >= d.stoppedAtMs) return 'Stopped';
  if (now < d.startMs) return 'Created';
  if (now < d.endMs) return 'InProgress';
  return d.finalStatus;
}

type TargetView = {
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped';
  lastUpdatedMs?: number;
  events: Record<string, unknown>[];
};

/** What BatchGetDeploymentTargets shows of a scripted instance at `now`. */
export function targetAt(t: ScriptedTarget, now: number): TargetView {
  if (t.skippedAtMs !== undefined && now >= t.skippedAtMs) {
    return {
      status: 'Skipped',
      lastUpdatedMs: t.skippedAtMs,
      events: t.events.map((e) => ({ lifecycleEventName: e.name, status: 'Skipped' })),
    };
  }
  let lastUpdatedMs: number | undefined;
  const events = t.events.map((e) => {
    if (now < e.startMs) return { lifecycleEventName: e.name, status: 'Pending' };
    lastUpdatedMs = Math.max(lastUpdatedMs ?? 0, e.startMs);
    if (now < e.endMs) return { lifecycleEventName: e.name, status: 'InProgress', startTime: e.startMs / 1000 };
    lastUpdatedMs = Math.max(lastUpdatedMs, e.endMs);
    return {
      lifecycleEventName: e.name,
      status: e.status,
      startTime: e.startMs / 1000,
      endTime: e.endMs / 1000,
      diagnostics: e.diagnostics ?? { errorCode: 'Success', scriptName: '', message: 'Succeeded', logTail: '' },
    };
  });
  const started = events.some((e) => e.status !== 'Pending');
  const failed = events.some((e) => e.status === 'Failed');
  const allDone = events.every((e) => e.status === 'Succeeded' || e.status === 'Failed' || e.status === 'Skipped');
  const status = failed ? 'Failed' : allDone ? 'Succeeded' : started ? 'InProgress' : 'Pending';
  return { status, lastUpdatedMs, events };
}
