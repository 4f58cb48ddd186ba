/**
 * What the tracker asks CodeDeploy, and when (simulated time): where the follow loop's call budget
 * goes during a rolling deploy. The changes it reports are tested in deploy-tracker.test.ts.
 */
import type { Clock } from '../../src/core/deploy/clock.js';
import { DeploymentTracker } from '../../src/core/deploy/deployment-tracker.js';
import type { CodeDeployPort, TargetStatus } from '../../src/core/deploy/ports.js';
import { HOOKS, instanceIds, rollingDeployment } from '../support/deploy-scenarios.js';
import { targetAt, type ScriptedDeployment } from '../support/fake-codedeploy-deployments.js';

function scriptedPort(d: ScriptedDeployment, clock: Clock, calls: { op: string; at: number }[]): CodeDeployPort {
  const date = (s: unknown) => (typeof s === 'number' ? new Date(s * 1000) : undefined);
  const notUsed = async (): Promise<never> => {
    throw new Error('not used');
  };
  return {
    getApplicationRevision: notUsed,
    deploymentGroupExists: notUsed,
    listDeploymentGroups: notUsed,
    stopDeployment: notUsed,
    async getDeployment() {
      calls.push({ op: 'GetDeployment', at: clock.now() });
      const now = clock.now();
      const overview = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 };
      for (const t of d.targets) overview[targetAt(t, now).status] += 1;
      const status = now < d.startMs ? 'Created' : now < d.endMs ? 'InProgress' : d.finalStatus;
      return { deploymentId: d.deploymentId, status, overview, completeTime: now >= d.endMs ? new Date(d.endMs) : undefined };
    },
    async listTargetIds(_id: string, statuses?: TargetStatus[]) {
      calls.push({ op: statuses ? 'ListInProgress' : 'ListAll', at: clock.now() });
      const now = clock.now();
      if (now < d.startMs) return [];
      return d.targets.filter((t) => !statuses || statuses.includes(targetAt(t, now).status)).map((t) => t.targetId);
    },
    async batchGetTargets(_id: string, ids: string[]) {
      calls.push({ op: 'BatchGet', at: clock.now() });
      const now = clock.now();
      return ids.map((id) => {
        const view = targetAt(d.targets.find((t) => t.targetId === id)!, now);
        return {
          targetId: id,
          status: view.status,
          lifecycleEvents: view.events.map((e) => ({
            name: String(e.lifecycleEventName),
            status: e.status as 'Pending',
            startTime: date(e.startTime),
            endTime: date(e.endTime),
          })),
        };
      });
    },
  };
}

/** Polls every `everyMs` until the deployment is fully reported. */
async function follow(d: ScriptedDeployment, everyMs: number) {
  const clock = { t: d.createMs, now: () => clock.t, sleep: async (ms: number) => void (clock.t += ms) };
  const calls: { op: string; at: number }[] = [];
  const tracker = new DeploymentTracker(d.deploymentId, scriptedPort(d, clock, calls), clock);
  const quiet: { at: number; until: number | undefined }[] = [];
  while (!tracker.fullyReported) {
    await tracker.poll();
    quiet.push({ at: clock.t, until: tracker.quietUntil() });
    clock.t += everyMs;
  }
  return { calls, quiet, tracker };
}

const deployment = (batchSize: number) =>
  rollingDeployment({
    deploymentId: 'd-1A2B3C4D5',
    applicationName: 'shop',
    deploymentGroupName: 'shop-prod',
    createMs: 1_000_000,
    startMs: 1_002_000,
    instances: instanceIds(8),
    batchSize,
  });

test('every target is listed once; newly started ones are looked for when an instance finishes, not on every poll', async () => {
  const d = deployment(2);
  const { calls } = await follow(d, 500);
  // (Until the deployment starts the list is empty: asked again on each poll, as the tracker must.)
  expect(calls.filter((c) => c.op === 'ListAll' && c.at >= d.startMs)).toHaveLength(1);
  const minutes = (d.endMs - d.startMs) / 60_000;
  const lists = calls.filter((c) => c.op === 'ListInProgress').length;
  const polls = calls.filter((c) => c.op === 'BatchGet').length;
  // Polled every 500 ms (~2 BatchGets a second), the instances in progress are looked for a few times a minute.
  expect(polls / minutes).toBeGreaterThan(100);
  expect(lists / minutes).toBeLessThan(10);
  // …and the overview every 30 s, or when nothing is in progress (between batches, at the end).
  expect(calls.filter((c) => c.op === 'GetDeployment').length / minutes).toBeLessThan(6);
});

test('a batched deploy (starts none while others run): once a look after a finished instance found nothing, it waits for the batch', async () => {
  const d = deployment(2);
  const { calls } = await follow(d, 500);
  // Batch 2 (instances 3 and 4) starts 500 ms after both of batch 1 are done. Between the two ends of
  // batch 1, looks come at once, 1 s and 3 s after the first; later batches are not looked for then.
  const ends = d.targets.map((t) => Math.max(...t.events.map((e) => e.endMs)));
  const between = (from: number, to: number) => calls.filter((c) => c.op === 'ListInProgress' && c.at > from && c.at < to).length;
  expect(between(Math.min(ends[0]!, ends[1]!), Math.max(ends[0]!, ends[1]!))).toBeLessThanOrEqual(3);
  expect(between(Math.min(ends[4]!, ends[5]!) + 1000, Math.max(ends[4]!, ends[5]!))).toBe(0);
});

test('quietUntil: the earliest a running hook can end, from the shortest time it took elsewhere; unknown before any finished', async () => {
  const d = deployment(1);
  const { quiet } = await follow(d, 250);
  const first = d.targets[0]!;
  // While the first instance runs ValidateService, no instance has finished it yet: no bound.
  const validate = first.events.find((e) => e.name === 'ValidateService')!;
  expect(quiet.filter((q) => q.at > validate.startMs + 1000 && q.at < validate.endMs).every((q) => q.until === undefined)).toBe(true);
  // The third instance's ValidateService: bound by the shortest of the first two.
  const third = d.targets[2]!.events.find((e) => e.name === 'ValidateService')!;
  const shortest = Math.min(
    ...d.targets
      .slice(0, 2)
      .map((t) => t.events.find((e) => e.name === 'ValidateService')!)
      .map((e) => e.endMs - e.startMs),
  );
  // (An estimate, not a promise: this instance's ValidateService may end sooner. The follow loop caps
  // what it waits on it.)
  const during = quiet.filter((q) => q.at > third.startMs + 1000 && q.at < Math.min(third.startMs + shortest, third.endMs) - 1000);
  expect(during.length).toBeGreaterThan(0);
  // (Times travel in seconds with millisecond fractions: a millisecond of rounding either way.)
  for (const q of during) expect(Math.abs(q.until! - (third.startMs + shortest))).toBeLessThanOrEqual(2);
  expect(HOOKS.find((h) => h.name === 'ValidateService')!.ms).toBeGreaterThan(10_000);
});
