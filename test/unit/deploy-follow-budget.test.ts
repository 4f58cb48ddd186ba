/**
 * The follow loop against a scripted 50-instance rolling deploy (2 at a time, ~18 minutes: the
 * scenario of bench/deploy.ts), in simulated time: each call takes a 120 ms round trip, sleeping moves
 * the clock, nothing waits for real. So the call budget and the delays below are exact and repeatable,
 * whatever the machine's load (bench/deploy.ts measures the built action through HTTP on top).
 */
import { toHistoryEvent } from '../../src/aws/sfn-executions.js';
import type { Clock } from '../../src/core/deploy/clock.js';
import type { DeployEvent } from '../../src/core/deploy/deploy-events.js';
import { VISITS_SHOWN } from '../../src/core/deploy/execution-timeline.js';
import { followExecution } from '../../src/core/deploy/follow-execution.js';
import { metered } from '../../src/core/deploy/metered-port.js';
import { PollPacer } from '../../src/core/deploy/poll-pacer.js';
import type { CodeDeployPort, HistoryEvent, LifecycleEventStatus, StepFunctionsPort, TargetSnapshot } from '../../src/core/deploy/ports.js';
import { type FakeCodeDeployDeployments, type ScriptedDeployment, targetAt } from '../support/fake-codedeploy-deployments.js';
import { detailsKey } from '../support/fake-step-functions.js';
import { scriptExecution } from '../support/deploy-scenarios.js';

const ROUND_TRIP_MS = 120;
const DEPLOYMENT_ID = 'd-1A2B3C4D5';

interface Simulation {
  calls: { operation: string; at: number }[];
  /** Each change on the server (key as the log shows it) and when it happened / was printed. */
  changes: { key: string; kind: 'instance' | 'state'; at: number; printedAt?: number }[];
  deployment: ScriptedDeployment;
}

interface SimulationOptions {
  /** Calls the pre-flight took from the budget just before the execution started (the action's is 4–5). */
  preflightCalls: number;
}

async function simulate(o: SimulationOptions = { preflightCalls: 0 }): Promise<Simulation> {
  const clock: Clock & { t: number } = { t: 1_000_000, now: () => clock.t, sleep: async (ms) => void (clock.t += Math.max(0, ms)) };
  const startMs = clock.t;
  const deployments = new Map<string, ScriptedDeployment>();
  const script = scriptExecution(
    { instances: 50, batchSize: 2 },
    { executionArn: 'arn', input: { appName: 'shop', group: 'shop-prod', rev: 'r', lambdas: [] }, startMs },
    { deployments } as unknown as FakeCodeDeployDeployments,
    DEPLOYMENT_ID,
  );
  const deployment = deployments.get(DEPLOYMENT_ID)!;
  // The history as the SDK adapter folds it.
  const history: HistoryEvent[] = script.map((e, i) =>
    toHistoryEvent({
      id: i + 1,
      type: e.type as never,
      timestamp: new Date(startMs + e.offsetMs),
      ...(e.details ? { [detailsKey(e.type)]: e.details } : {}),
    }),
  );
  const calls: Simulation['calls'] = [];
  const call = (operation: string) => {
    calls.push({ operation, at: clock.t });
    clock.t += ROUND_TRIP_MS;
  };
  const notUsed = async (): Promise<never> => {
    throw new Error('not used while following');
  };
  const sfn: StepFunctionsPort = {
    startExecution: notUsed,
    describeExecution: notUsed,
    listRunningExecutions: notUsed,
    stopExecution: notUsed,
    async getHistoryPage(r) {
      call('GetExecutionHistory');
      const visible = history.filter((e) => e.timestamp.getTime() <= clock.t);
      const ordered = r.reverseOrder ? [...visible].reverse() : visible;
      const from = r.nextToken ? Number(r.nextToken) : 0;
      const more = from + r.maxResults < ordered.length;
      return { events: ordered.slice(from, from + r.maxResults), ...(more ? { nextToken: String(from + r.maxResults) } : {}) };
    },
  };
  const codedeploy: CodeDeployPort = {
    getApplicationRevision: notUsed,
    deploymentGroupExists: notUsed,
    listDeploymentGroups: notUsed,
    stopDeployment: notUsed,
    async getDeployment() {
      call('GetDeployment');
      const now = clock.t;
      const overview = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 };
      for (const t of deployment.targets) overview[targetAt(t, now).status] += 1;
      const status = now < deployment.startMs ? 'Created' : now < deployment.endMs ? 'InProgress' : deployment.finalStatus;
      return {
        deploymentId: DEPLOYMENT_ID,
        status,
        overview,
        ...(now >= deployment.endMs ? { completeTime: new Date(deployment.endMs) } : {}),
      };
    },
    async listTargetIds(_id, statuses) {
      call('ListDeploymentTargets');
      const now = clock.t;
      if (now < deployment.startMs) return [];
      return deployment.targets.filter((t) => !statuses || statuses.includes(targetAt(t, now).status)).map((t) => t.targetId);
    },
    async batchGetTargets(_id, ids) {
      call('BatchGetDeploymentTargets');
      const now = clock.t;
      return ids.map((id): TargetSnapshot => {
        const view = targetAt(deployment.targets.find((t) => t.targetId === id)!, now);
        const date = (seconds: unknown) => (typeof seconds === 'number' ? new Date(seconds * 1000) : undefined);
        return {
          targetId: id,
          status: view.status,
          lastUpdatedAt: view.lastUpdatedMs === undefined ? undefined : new Date(view.lastUpdatedMs),
          lifecycleEvents: view.events.map((e) => ({
            name: String(e.lifecycleEventName),
            status: e.status as LifecycleEventStatus,
            startTime: date(e.startTime),
            endTime: date(e.endTime),
          })),
        };
      });
    },
  };

  const printed = new Map<string, number>();
  const emit = (e: DeployEvent) => {
    if (e.kind === 'lifecycle-event') printed.set(`${e.targetId} ${e.status === 'InProgress' ? '▶' : '✔'} ${e.event}`, clock.t);
    if (e.kind === 'state-entered' && e.visit <= VISITS_SHOWN + 1) printed.set(`▶ ${e.state}#${e.visit}`, clock.t);
    if (e.kind === 'state-exited' && e.visit <= VISITS_SHOWN) printed.set(`✔ ${e.state}#${e.visit}`, clock.t);
  };
  const pacer = new PollPacer(clock, {}, () => 0.5);
  for (let i = 0; i < o.preflightCalls; i++) {
    await pacer.take();
    calls.push({ operation: 'pre-flight', at: clock.t });
  }
  const result = await followExecution({
    executionArn: 'arn',
    sfn: metered(sfn, pacer),
    codedeploy: metered(codedeploy, pacer),
    clock,
    pacer,
    emit,
    classifyError: (err) => {
      throw err;
    },
  });
  expect(result.end).toEqual({ kind: 'finished' });

  const changes: Simulation['changes'] = [];
  for (const t of deployment.targets)
    for (const e of t.events) {
      if (e.status === 'Skipped') continue;
      changes.push({ key: `${t.targetId} ▶ ${e.name}`, kind: 'instance', at: e.startMs });
      changes.push({ key: `${t.targetId} ✔ ${e.name}`, kind: 'instance', at: e.endMs });
    }
  const visits = new Map<string, number>();
  for (const e of script) {
    const name = String(e.details?.name ?? '');
    if (e.type.endsWith('StateEntered')) {
      visits.set(name, (visits.get(name) ?? 0) + 1);
      changes.push({ key: `▶ ${name}#${visits.get(name)}`, kind: 'state', at: startMs + e.offsetMs });
    } else if (e.type.endsWith('StateExited')) {
      changes.push({ key: `✔ ${name}#${visits.get(name)}`, kind: 'state', at: startMs + e.offsetMs });
    }
  }
  for (const c of changes) c.printedAt = printed.get(c.key);
  return { calls, changes, deployment };
}

let sim: Simulation;
/** The same deploy after a pre-flight that spent 5 of the bucket's 6 calls (the action's checks and StartExecution). */
let afterPreflight: Simulation;
beforeAll(async () => {
  sim = await simulate();
  afterPreflight = await simulate({ preflightCalls: 5 });
});

/** The most calls in any window [t, t + 60 s). */
function busiestMinute(times: number[]): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 60_000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

const delays = (kind: 'instance' | 'state', of: Simulation = sim): number[] =>
  of.changes
    .filter((c) => c.kind === kind && c.printedAt !== undefined)
    .map((c) => c.printedAt! - c.at)
    .sort((a, b) => a - b);
const percentile = (xs: number[], p: number): number => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

test('a 50-instance rolling deploy followed to its end: never more than 45 calls in any 60-second window', () => {
  expect(busiestMinute(sim.calls.map((c) => c.at))).toBeLessThanOrEqual(45);
});

test('every lifecycle event’s end and every shown state line is printed', () => {
  const missing = sim.changes.filter((c) => c.printedAt === undefined && (c.kind === 'state' || c.key.includes(' ✔ ')));
  // State visits past the shown ones have no line of their own.
  expect(missing.filter((c) => c.kind === 'instance')).toEqual([]);
  expect(delays('state').length).toBeGreaterThanOrEqual(20);
});

test('delay from a change to its line (simulated time, 120 ms round trips): median under 1 s, p90 under 2.5 s, for instance and state lines', () => {
  for (const kind of ['instance', 'state'] as const) {
    const xs = delays(kind);
    expect({ kind, median: percentile(xs, 0.5) < 1000, p90: percentile(xs, 0.9) < 2500 }).toEqual({ kind, median: true, p90: true });
  }
});

test('after a pre-flight that spent 5 of the bucket’s 6 calls: the same delays, the same cap, every line printed', () => {
  // The state lines come in the first ~35 s, when the bucket is low: the loop must not wait there for
  // rounds as large as the pre-flight's calls or the deployment's first read.
  for (const kind of ['instance', 'state'] as const) {
    const xs = delays(kind, afterPreflight);
    expect({ kind, median: percentile(xs, 0.5) < 1000, p90: percentile(xs, 0.9) < 2500 }).toEqual({ kind, median: true, p90: true });
  }
  expect(afterPreflight.calls.filter((c) => c.operation === 'pre-flight')).toHaveLength(5);
  expect(busiestMinute(afterPreflight.calls.map((c) => c.at))).toBeLessThanOrEqual(45);
  expect(delays('state', afterPreflight).length).toBe(delays('state').length);
  expect(afterPreflight.changes.filter((c) => c.kind === 'instance' && c.key.includes(' ✔ ') && c.printedAt === undefined)).toEqual([]);
});

test('the budget goes to what changes: in steady state no more than 40 calls a minute, history and overview a few of them', () => {
  const { startMs, endMs } = sim.deployment;
  const steady = sim.calls.filter((c) => c.at >= startMs + 60_000 && c.at <= endMs - 60_000);
  const minutes = (endMs - startMs - 120_000) / 60_000;
  const rate = (op?: string) => steady.filter((c) => !op || c.operation === op).length / minutes;
  expect(rate()).toBeLessThanOrEqual(40);
  expect(rate('GetExecutionHistory')).toBeLessThanOrEqual(3);
  expect(rate('GetDeployment')).toBeLessThanOrEqual(3);
  expect(rate('ListDeploymentTargets')).toBeLessThanOrEqual(4);
});
