import type { Clock } from '../../src/core/deploy/clock.js';
import { DeploymentTracker, type DeploymentChange } from '../../src/core/deploy/deployment-tracker.js';
import type { CodeDeployPort, DeploymentSnapshot, TargetSnapshot, TargetStatus } from '../../src/core/deploy/ports.js';
import { targetAt, type ScriptedDeployment } from '../support/fake-codedeploy-deployments.js';
import { instanceIds, rollingDeployment } from '../support/deploy-scenarios.js';

/** A CodeDeploy port over a scripted deployment, in memory, counting calls. */
function scriptedPort(d: ScriptedDeployment, clock: Clock, calls: string[], failNext: { n: number } = { n: 0 }): CodeDeployPort {
  const call = (name: string) => {
    calls.push(name);
    if (failNext.n > 0) {
      failNext.n -= 1;
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    }
  };
  const date = (s: unknown) => (typeof s === 'number' ? new Date(s * 1000) : undefined);
  return {
    getApplicationRevision: async () => ({ found: true }),
    deploymentGroupExists: async () => true,
    listDeploymentGroups: async () => [],
    stopDeployment: async () => undefined,
    async getDeployment(): Promise<DeploymentSnapshot> {
      call('GetDeployment');
      const now = clock.now();
      const overview = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 };
      for (const t of d.targets) overview[targetAt(t, now).status] += 1;
      const status = now < d.startMs ? 'Created' : now < d.endMs ? 'InProgress' : d.finalStatus;
      return { deploymentId: d.deploymentId, status, overview, completeTime: now >= d.endMs ? new Date(d.endMs) : undefined };
    },
    async listTargetIds(_id: string, statuses?: TargetStatus[]): Promise<string[]> {
      call(statuses ? `ListDeploymentTargets(${statuses.join()})` : 'ListDeploymentTargets');
      const now = clock.now();
      if (now < d.startMs) return [];
      return d.targets.filter((t) => !statuses || statuses.includes(targetAt(t, now).status)).map((t) => t.targetId);
    },
    async batchGetTargets(_id: string, ids: string[]): Promise<TargetSnapshot[]> {
      call('BatchGetDeploymentTargets');
      expect(ids.length).toBeLessThanOrEqual(25);
      const now = clock.now();
      return ids.map((id) => {
        const view = targetAt(d.targets.find((t) => t.targetId === id)!, now);
        return {
          targetId: id,
          status: view.status,
          lifecycleEvents: view.events.map((e: any) => ({
            name: e.lifecycleEventName,
            status: e.status,
            startTime: date(e.startTime),
            endTime: date(e.endTime),
            diagnostics: e.diagnostics,
          })),
        };
      });
    },
  };
}

function manualClock(start: number): Clock & { t: number } {
  const c = { t: start, now: () => c.t, sleep: async (ms: number) => void (c.t += ms) };
  return c;
}

const scripted = (instances: number, batchSize: number, failure?: Parameters<typeof rollingDeployment>[0]['failure']) =>
  rollingDeployment({
    deploymentId: 'd-TEST00001',
    applicationName: 'a',
    deploymentGroupName: 'g',
    createMs: 0,
    startMs: 2000,
    instances: instanceIds(instances),
    batchSize,
    failure,
  });

async function follow(d: ScriptedDeployment, everyMs: number, failNext = { n: 0 }) {
  const clock = manualClock(0);
  const calls: string[] = [];
  const tracker = new DeploymentTracker(d.deploymentId, scriptedPort(d, clock, calls, failNext), clock);
  const changes: DeploymentChange[] = [];
  let polls = 0;
  while (!tracker.fullyReported && polls < 10_000) {
    try {
      changes.push(...(await tracker.poll()));
    } catch {
      // A throttled poll: the next one picks up where it stopped.
    }
    polls += 1;
    await clock.sleep(everyMs);
  }
  return { tracker, changes, calls, polls };
}

test('every lifecycle change of every instance is reported once, in time order per poll', async () => {
  const d = scripted(5, 1);
  const { changes, tracker } = await follow(d, 2000);
  const finished = changes
    .filter((c) => c.kind === 'lifecycle-event' && c.status === 'Succeeded')
    .map((c) => c.kind === 'lifecycle-event' && `${c.targetId} ${c.event}`);
  expect(new Set(finished).size).toBe(finished.length);
  expect(finished).toHaveLength(5 * 7);
  expect(changes.filter((c) => c.kind === 'target-finished').map((c) => c.kind === 'target-finished' && c.status)).toEqual(
    Array(5).fill('Succeeded'),
  );
  expect(changes.at(-1)).toMatchObject({ kind: 'deployment-finished', status: 'Succeeded', overview: { Succeeded: 5 } });
  expect([...tracker.targets.values()].every((t) => t.status === 'Succeeded')).toBe(true);
});

test('polls stay cheap: about one BatchGetDeploymentTargets per poll, whatever the group size', async () => {
  const d = scripted(60, 3);
  const { calls, polls } = await follow(d, 2000);
  const batchGets = calls.filter((c) => c === 'BatchGetDeploymentTargets').length;
  const lists = calls.filter((c) => c.startsWith('ListDeploymentTargets')).length;
  const overviews = calls.filter((c) => c === 'GetDeployment').length;
  expect(batchGets / polls).toBeLessThan(1.2);
  expect(lists / polls).toBeLessThan(0.6);
  expect(overviews / polls).toBeLessThan(0.3);
  expect(calls.length / polls).toBeLessThan(2);
});

test('a failure: the failed event carries its diagnostics, later instances end skipped', async () => {
  const diagnostics = { errorCode: 'ScriptFailed', scriptName: 'hooks/validate.sh', message: 'exit 1', logTail: 'boom' };
  const d = scripted(4, 1, { instance: instanceIds(4)[1]!, event: 'ValidateService', diagnostics });
  const { changes } = await follow(d, 2000);
  const failed = changes.filter((c) => c.kind === 'lifecycle-event' && c.status === 'Failed');
  expect(failed).toEqual([expect.objectContaining({ targetId: instanceIds(4)[1], event: 'ValidateService', diagnostics })]);
  expect(changes.filter((c) => c.kind === 'target-finished').map((c) => c.kind === 'target-finished' && c.status)).toEqual([
    'Succeeded',
    'Failed',
    'Skipped',
    'Skipped',
  ]);
  expect(changes.at(-1)).toMatchObject({ kind: 'deployment-finished', status: 'Failed' });
});

test('a poll that fails half-way loses nothing: what it saw comes with the next poll', async () => {
  const d = scripted(3, 1);
  // Every third call throttled.
  const failNext = { n: 0 };
  const clock = manualClock(0);
  const calls: string[] = [];
  const port = scriptedPort(d, clock, calls, failNext);
  const tracker = new DeploymentTracker(d.deploymentId, port, clock);
  const changes: DeploymentChange[] = [];
  for (let i = 0; !tracker.fullyReported && i < 5000; i++) {
    if (i % 3 === 2) failNext.n = 1;
    try {
      changes.push(...(await tracker.poll()));
    } catch {
      // throttled
    }
    await clock.sleep(1500);
  }
  const succeeded = changes.filter((c) => c.kind === 'lifecycle-event' && c.status === 'Succeeded');
  expect(succeeded).toHaveLength(3 * 7);
  expect(new Set(succeeded.map((c) => c.kind === 'lifecycle-event' && `${c.targetId}/${c.event}`)).size).toBe(21);
});

test('an instance that starts and finishes between two polls is reported in its place in time, not at the end', async () => {
  const d = scripted(4, 1);
  const first = d.targets[0]!;
  const oneInstanceMs = Math.max(...first.events.map((e) => e.endMs)) - Math.min(...first.events.map((e) => e.startMs));
  // Polls further apart than a whole instance's deploy: some instances are never seen in progress.
  const { changes } = await follow(d, Math.round(oneInstanceMs * 1.6));
  const times = changes.filter((c) => c.kind !== 'deployment-finished').map((c) => c.at.getTime());
  expect(times).toEqual([...times].sort((a, b) => a - b));
  expect(changes.filter((c) => c.kind === 'target-finished').map((c) => c.kind === 'target-finished' && c.targetId)).toEqual(
    instanceIds(4),
  );
});
