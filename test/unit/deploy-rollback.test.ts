/**
 * CodeDeploy's automatic rollback, followed by the deploy core (src/core/deploy/follow-rollback.ts and
 * deploy-flow.ts), with plain-data ports on a manual clock, and printed by DeployLog / the job summary.
 */
import type { Clock } from '../../src/core/deploy/clock.js';
import type { DeployEvent } from '../../src/core/deploy/deploy-events.js';
import { runDeploy, type DeployPorts, type DeployResult } from '../../src/core/deploy/deploy-flow.js';
import { DeploymentTracker } from '../../src/core/deploy/deployment-tracker.js';
import {
  followRollback,
  ROLLBACK_APPEARS_WITHIN_MS,
  rollbackDeploymentId,
  rolledBack,
  type RollbackOutcome,
} from '../../src/core/deploy/follow-rollback.js';
import { PollPacer } from '../../src/core/deploy/poll-pacer.js';
import type {
  CodeDeployPort,
  DeploymentSnapshot,
  DeploymentStatus,
  HistoryEvent,
  PollFailure,
  StepFunctionsPort,
  TargetSnapshot,
  TargetStatus,
} from '../../src/core/deploy/ports.js';
import { DeployLog } from '../../src/deploy/deploy-log.js';
import { renderDeploySummary } from '../../src/deploy/job-summary.js';
import { HOSTILE_STRINGS, runnerCommands } from '../support/runner-commands.js';
import { stdoutIO } from '../support/stdout-io.js';

const T0 = 1_000_000;

function manualClock(): Clock & { t: number } {
  const c = { t: T0, now: () => c.t, sleep: async (ms: number) => void (c.t += ms) };
  return c;
}

const classify = (err: unknown): PollFailure => ({
  kind: (err as { kind?: PollFailure['kind'] }).kind ?? 'fatal',
  description: String((err as Error).message),
});

const GOOD_KEY = 'ions/shop/revisions/good1234.zip';
const BAD_KEY = 'ions/shop/revisions/bad5678.zip';

/** A deployment on two instances, one after the other, each through ValidateService, as the clock passes. */
interface Script {
  id: string;
  createAt: number;
  startAt: number;
  /** Per instance: [start, end] of its ValidateService. */
  instances: [number, number][];
  outcome: 'Succeeded' | 'Failed';
  key: string;
  creator?: string;
  autoRollback?: { enabled: boolean; events: string[] };
  /** rollbackInfo as seen at time t. */
  rollbackInfo?: (t: number) => DeploymentSnapshot['rollbackInfo'];
}

function scripted(
  clock: Clock & { t: number },
  scripts: Script[],
  fail?: (t: number, op: string, id: string) => PollFailure['kind'] | undefined,
) {
  const calls: string[] = [];
  const stopped: string[] = [];
  const byId = new Map(scripts.map((s) => [s.id, s]));
  const targetStatus = (s: Script, i: number, t: number): TargetStatus => {
    const [start, end] = s.instances[i]!;
    const failedBefore = s.outcome === 'Failed' && s.instances.slice(0, i).some(([, e]) => e <= t);
    if (failedBefore) return 'Skipped';
    if (t < start) return 'Pending';
    if (t < end) return 'InProgress';
    return s.outcome === 'Failed' && i === 0 ? 'Failed' : 'Succeeded';
  };
  const endAt = (s: Script) => (s.outcome === 'Failed' ? s.instances[0]![1] : s.instances[s.instances.length - 1]![1]);
  const status = (s: Script, t: number): DeploymentStatus => (t < s.startAt ? 'Created' : t < endAt(s) ? 'InProgress' : s.outcome);
  const find = (id: string, op: string) => {
    calls.push(`${op} ${id}`);
    const kind = fail?.(clock.t, op, id);
    if (kind) throw Object.assign(new Error(`${kind} on ${op}`), { kind });
    const s = byId.get(id);
    if (!s || clock.t < s.createAt) throw Object.assign(new Error(`no deployment ${id}`), { kind: 'fatal' });
    return s;
  };
  const port: CodeDeployPort = {
    getApplicationRevision: async () => ({ found: true }),
    deploymentGroupExists: async () => true,
    listDeploymentGroups: async () => ['prod'],
    async getDeployment(id) {
      const s = find(id, 'GetDeployment');
      const t = clock.t;
      const overview = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 };
      s.instances.forEach((_, i) => {
        overview[targetStatus(s, i, t) as keyof typeof overview] += 1;
      });
      const st = status(s, t);
      return {
        deploymentId: id,
        status: st,
        overview,
        deploymentGroupName: 'prod',
        applicationName: 'shop',
        createTime: new Date(s.createAt),
        ...(st === 'Succeeded' || st === 'Failed' ? { completeTime: new Date(endAt(s)) } : {}),
        revision: { bucket: 'code', key: s.key },
        creator: s.creator ?? 'user',
        autoRollback: s.autoRollback ?? { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
        rollbackInfo: s.rollbackInfo?.(t),
      };
    },
    async listTargetIds(id, statuses) {
      const s = find(id, 'ListDeploymentTargets');
      if (clock.t < s.startAt) return [];
      return s.instances.map((_, i) => `i-${i + 1}`).filter((_, i) => !statuses || statuses.includes(targetStatus(s, i, clock.t)));
    },
    async batchGetTargets(id, ids): Promise<TargetSnapshot[]> {
      const s = find(id, 'BatchGetDeploymentTargets');
      const t = clock.t;
      return ids.map((targetId) => {
        const i = Number(targetId.slice(2)) - 1;
        const [start, end] = s.instances[i]!;
        const st = targetStatus(s, i, t);
        const event = st === 'Pending' || st === 'Skipped' ? st : st === 'InProgress' ? 'InProgress' : st;
        return {
          targetId,
          status: st,
          lifecycleEvents: [
            {
              name: 'ValidateService',
              status: event as never,
              ...(t >= start ? { startTime: new Date(start) } : {}),
              ...(t >= end ? { endTime: new Date(end) } : {}),
              ...(st === 'Failed'
                ? { diagnostics: { errorCode: 'ScriptFailed', scriptName: 'v.sh', message: 'exit 1', logTail: 'boom' } }
                : {}),
            },
          ],
        };
      });
    },
    async stopDeployment(id) {
      stopped.push(id);
    },
  };
  return { port, calls, stopped };
}

const failedDeployment = (rollbackInfo?: Script['rollbackInfo'], autoRollback?: Script['autoRollback']): Script => ({
  id: 'd-FAILED01',
  createAt: T0 - 60_000,
  startAt: T0 - 59_000,
  instances: [
    [T0 - 50_000, T0 - 10_000],
    [T0 + 10 ** 9, T0 + 10 ** 9 + 1],
  ],
  outcome: 'Failed',
  key: BAD_KEY,
  rollbackInfo,
  autoRollback,
});

const rollbackDeployment = (outcome: 'Succeeded' | 'Failed' = 'Succeeded', at = T0): Script => ({
  id: 'd-ROLLBACK1',
  createAt: at,
  startAt: at + 1000,
  instances: [
    [at + 2000, at + 20_000],
    [at + 21_000, at + 40_000],
  ],
  outcome,
  key: GOOD_KEY,
  creator: 'codeDeployRollback',
  rollbackInfo: () => ({ rollbackTriggeringDeploymentId: 'd-FAILED01' }),
});

/** A tracker of the failed deployment, read once (as the follow loop leaves it). */
async function failedTracker(port: CodeDeployPort, clock: Clock) {
  const tracker = new DeploymentTracker('d-FAILED01', port, clock);
  while (!tracker.fullyReported) await tracker.poll();
  return tracker;
}

async function follow(scripts: Script[], o: { deadline?: number; fail?: Parameters<typeof scripted>[2] } = {}) {
  const clock = manualClock();
  const world = scripted(clock, scripts, o.fail);
  const tracker = await failedTracker(world.port, clock);
  world.calls.length = 0;
  const events: DeployEvent[] = [];
  const outcome = await followRollback(tracker, {
    codedeploy: world.port,
    clock,
    pacer: new PollPacer(clock, {}, () => 0.5),
    emit: (e) => events.push(e),
    classifyError: classify,
    deadline: o.deadline,
  });
  return { outcome, events, clock, ...world };
}

const kinds = (events: DeployEvent[]) => events.map((e) => e.kind);

test('a rollback the failed deployment names: under a heading stamped at its creation, followed to its end with the same tracker, the revision named from its S3 key', async () => {
  const { outcome, events, stopped } = await follow([
    failedDeployment(() => ({ rollbackDeploymentId: 'd-ROLLBACK1', rollbackMessage: 'in progress' })),
    rollbackDeployment('Succeeded', T0 - 5000),
  ]);
  expect(kinds(events)[0]).toBe('rollback-started');
  expect(events[0]).toMatchObject({
    failedDeploymentId: 'd-FAILED01',
    rollbackDeploymentId: 'd-ROLLBACK1',
    group: 'prod',
    message: 'in progress',
    // Stamped when CodeDeploy created the rollback, so the heading is not later than the lines under it.
    at: new Date(T0 - 5000),
  });
  // Both instances' lines, once each, then the rollback's end and what the group runs.
  const lines = events
    .filter((e) => e.kind === 'target-finished')
    .map((e) => `${(e as { targetId: string }).targetId} ${(e as { status: string }).status}`);
  expect(lines).toEqual(['i-1 Succeeded', 'i-2 Succeeded']);
  expect(kinds(events).slice(-2)).toEqual(['deployment-finished', 'rollback-finished']);
  expect(events.at(-1)).toMatchObject({ status: 'Succeeded', rev: 'good1234', revision: { bucket: 'code', key: GOOD_KEY }, group: 'prod' });
  expect(outcome).toMatchObject({ kind: 'ended', status: 'Succeeded', rev: 'good1234', rollbackDeploymentId: 'd-ROLLBACK1' });
  expect(rolledBack(outcome)).toBe(true);
  expect(rollbackDeploymentId(outcome)).toBe('d-ROLLBACK1');
  // Following a rollback never stops it.
  expect(stopped).toEqual([]);
});

test('rollbackInfo appearing a moment after the failure: one re-read at once, then a bounded wait that finds it', async () => {
  const { outcome, events, calls } = await follow([
    failedDeployment((t) => (t >= T0 + 7000 ? { rollbackDeploymentId: 'd-ROLLBACK1' } : undefined)),
    rollbackDeployment('Succeeded', T0 + 6000),
  ]);
  expect(kinds(events).slice(0, 2)).toEqual(['rollback-awaited', 'rollback-started']);
  expect(events[0]).toMatchObject({ withinMs: ROLLBACK_APPEARS_WITHIN_MS });
  expect(calls.filter((c) => c === 'GetDeployment d-FAILED01').length).toBe(4);
  expect(rolledBack(outcome)).toBe(true);
});

test('a rollback that never appears: gives up after the bounded wait, with a bounded number of calls, and says none started', async () => {
  const { outcome, events, calls } = await follow([failedDeployment(() => undefined)]);
  expect(kinds(events)).toEqual(['rollback-awaited', 'rollback-none']);
  expect(events[1]).toMatchObject({ why: 'not-started', waitedMs: ROLLBACK_APPEARS_WITHIN_MS });
  expect(calls.length).toBeLessThanOrEqual(12);
  expect(outcome).toEqual({ kind: 'none', failedDeploymentId: 'd-FAILED01', why: 'not-started', message: undefined });
  expect(rolledBack(outcome)).toBe(false);
  expect(rollbackDeploymentId(outcome)).toBeUndefined();
});

test('CodeDeploy says why it started none (nothing to roll back to): no waiting, its message reported', async () => {
  const message = 'No rollback: the group has no earlier successful deployment.';
  const { outcome, events } = await follow([failedDeployment(() => ({ rollbackMessage: message }))]);
  expect(events).toEqual([{ kind: 'rollback-none', failedDeploymentId: 'd-FAILED01', why: 'not-started', message, waitedMs: undefined }]);
  expect(outcome).toMatchObject({ kind: 'none', message });
});

test('auto rollback off for the deployment: says so without a single extra call', async () => {
  const { events, calls } = await follow([failedDeployment(() => undefined, { enabled: false, events: [] })]);
  expect(events).toEqual([
    { kind: 'rollback-none', failedDeploymentId: 'd-FAILED01', why: 'auto-rollback-off', message: undefined, waitedMs: undefined },
  ]);
  expect(calls).toEqual([]);
});

test('the rollback fails too: its hook failure is reported like any other, and the outcome is not rolled back', async () => {
  const { outcome, events } = await follow([
    failedDeployment(() => ({ rollbackDeploymentId: 'd-ROLLBACK1' })),
    rollbackDeployment('Failed', T0 - 1000),
  ]);
  expect(events.some((e) => e.kind === 'lifecycle-event' && e.status === 'Failed' && e.diagnostics?.logTail === 'boom')).toBe(true);
  expect(events.at(-1)).toMatchObject({ kind: 'rollback-finished', status: 'Failed', rev: 'good1234' });
  expect(outcome).toMatchObject({ kind: 'ended', status: 'Failed' });
  expect(rolledBack(outcome)).toBe(false);
  expect(rollbackDeploymentId(outcome)).toBe('d-ROLLBACK1');
});

test('the deploy timeout passes while the rollback runs: following stops at the deadline, the rollback is left running', async () => {
  const { outcome, events, stopped, clock } = await follow(
    [failedDeployment(() => ({ rollbackDeploymentId: 'd-ROLLBACK1' })), rollbackDeployment('Succeeded', T0)],
    { deadline: T0 + 15_000 },
  );
  expect(events.at(-1)).toEqual({ kind: 'rollback-unfinished', rollbackDeploymentId: 'd-ROLLBACK1', reason: 'deadline', error: undefined });
  expect(outcome).toMatchObject({ kind: 'unfinished', reason: 'deadline', rev: 'good1234' });
  expect(clock.t).toBe(T0 + 15_000);
  expect(stopped).toEqual([]);
  expect(rolledBack(outcome)).toBe(false);
});

test('the deadline bounds the wait for the rollback too', async () => {
  const { events, clock } = await follow([failedDeployment(() => undefined)], { deadline: T0 + 4000 });
  expect(kinds(events)).toEqual(['rollback-awaited', 'rollback-none']);
  expect(clock.t).toBe(T0 + 4000);
});

test('throttling while following the rollback slows it down; every instance result still arrives once', async () => {
  const { outcome, events } = await follow(
    [failedDeployment(() => ({ rollbackDeploymentId: 'd-ROLLBACK1' })), rollbackDeployment('Succeeded', T0)],
    { fail: (t, op) => (t > T0 + 5000 && t < T0 + 25_000 && op === 'BatchGetDeploymentTargets' ? 'throttled' : undefined) },
  );
  expect(events.some((e) => e.kind === 'transient-error' && e.throttled)).toBe(true);
  expect(events.some((e) => e.kind === 'recovered')).toBe(true);
  expect(events.filter((e) => e.kind === 'target-finished')).toHaveLength(2);
  expect(rolledBack(outcome)).toBe(true);
});

test('access denied while following the rollback: reported as unfinished, not thrown (the deploy failed already)', async () => {
  const { outcome } = await follow(
    [failedDeployment(() => ({ rollbackDeploymentId: 'd-ROLLBACK1' })), rollbackDeployment('Succeeded', T0)],
    {
      fail: (_t, op, id) => (op === 'ListDeploymentTargets' && id === 'd-ROLLBACK1' ? 'fatal' : undefined),
    },
  );
  expect(outcome).toMatchObject({ kind: 'unfinished', reason: 'fatal', error: 'fatal on ListDeploymentTargets' });
});

describe('runDeploy follows the rollback after a failed execution', () => {
  const ARN = 'arn:aws:states:us-east-1:123456789012:execution:ion-deploy:prod-abc-1-1';

  /** An execution that created d-FAILED01 and failed on it; followed with `execution-arn`. */
  function ports(clock: Clock & { t: number }, codedeploy: CodeDeployPort): DeployPorts {
    const history: HistoryEvent[] = [
      { id: 1, type: 'ExecutionStarted', timestamp: new Date(T0 - 70_000) },
      { id: 2, type: 'PassStateEntered', stateName: 'DeploymentCreated', timestamp: new Date(T0 - 61_000) },
      {
        id: 3,
        type: 'PassStateExited',
        stateName: 'DeploymentCreated',
        timestamp: new Date(T0 - 60_000),
        data: '{"DeploymentId":"d-FAILED01"}',
      },
      {
        id: 4,
        type: 'ExecutionFailed',
        timestamp: new Date(T0 - 5000),
        error: 'Ion.DeploymentFailed',
        cause: '{"Message":"d-FAILED01 Failed"}',
      },
    ];
    const sfn: StepFunctionsPort = {
      startExecution: async () => ({ executionArn: ARN, startDate: new Date(T0) }),
      describeExecution: async () => ({
        executionArn: ARN,
        stateMachineArn: 'sm',
        name: 'prod-abc-1-1',
        status: 'FAILED',
        startDate: new Date(T0 - 70_000),
      }),
      listRunningExecutions: async () => [],
      getHistoryPage: async (r) => ({ events: r.reverseOrder ? [...history].reverse() : history }),
      stopExecution: async () => undefined,
    };
    return {
      sfn,
      codedeploy,
      bundles: { getBundle: async () => null },
      clock,
      pacer: new PollPacer(clock, {}, () => 0.5),
      classifyError: classify,
    };
  }

  test('execution-arn mode: the failed execution, then the rollback, in one result', async () => {
    const clock = manualClock();
    const world = scripted(clock, [
      failedDeployment(() => ({ rollbackDeploymentId: 'd-ROLLBACK1' })),
      rollbackDeployment('Succeeded', T0 - 3000),
    ]);
    const events: DeployEvent[] = [];
    const result = await runDeploy({ mode: 'follow', executionArn: ARN, timeoutMs: 600_000 }, ports(clock, world.port), (e) =>
      events.push(e),
    );
    expect(result.status).toBe('FAILED');
    expect(result.deploymentId).toBe('d-FAILED01');
    expect(rolledBack(result.rollback)).toBe(true);
    expect(rollbackDeploymentId(result.rollback)).toBe('d-ROLLBACK1');
    // The execution's end first, then the rollback under its heading.
    const order = kinds(events);
    expect(order.indexOf('execution-finished')).toBeLessThan(order.indexOf('rollback-started'));
    expect(order.at(-1)).toBe('rollback-finished');
  });

  test('a failure that is not a failed deployment (the deployment succeeded): no rollback is looked for', async () => {
    const clock = manualClock();
    const ok: Script = { ...rollbackDeployment('Succeeded', T0 - 200_000), id: 'd-FAILED01', creator: 'user' };
    const world = scripted(clock, [ok]);
    const result = await runDeploy({ mode: 'follow', executionArn: ARN, timeoutMs: 600_000 }, ports(clock, world.port), () => undefined);
    expect(result.status).toBe('FAILED');
    expect(result.rollback).toBeUndefined();
  });
});

describe('the log and the summary', () => {
  const start = new Date(T0);

  test('a followed rollback reads plainly: heading, then which revision the group runs and that it is healthy', () => {
    const { io, stdout } = stdoutIO();
    const log = new DeployLog(io, 'us-east-1');
    log.handle({
      kind: 'following',
      executionArn: 'arn:aws:states:us-east-1:1:execution:m:n',
      name: 'n',
      status: 'RUNNING',
      startDate: start,
    });
    log.handle({ kind: 'rollback-awaited', failedDeploymentId: 'd-F', withinMs: 30_000, at: new Date(T0 + 61_000) });
    log.handle({
      kind: 'rollback-started',
      failedDeploymentId: 'd-F',
      rollbackDeploymentId: 'd-R',
      group: 'prod',
      at: new Date(T0 + 62_000),
    });
    log.handle({
      kind: 'rollback-finished',
      rollbackDeploymentId: 'd-R',
      status: 'Succeeded',
      group: 'prod',
      rev: 'good1234',
      at: new Date(T0 + 90_000),
    });
    log.handle({
      kind: 'rollback-finished',
      rollbackDeploymentId: 'd-R',
      status: 'Failed',
      group: 'prod',
      rev: 'good1234',
      at: new Date(T0 + 90_000),
    });
    const lines = stdout().split('\n');
    expect(lines).toContain("[01:01] Deployment d-F failed; waiting up to 30.0s for CodeDeploy's automatic rollback to start");
    expect(lines).toContain(
      '[01:02] ── Rollback of prod: CodeDeploy redeploys the last successful revision (deployment d-R, after d-F failed)',
    );
    expect(lines).toContain(
      '[01:30] ✔ Rolled back: prod runs revision good1234 again, healthy (rollback deployment d-R succeeded on every instance).',
    );
    expect(lines.find((l) => l.startsWith('[01:30] ✖'))).toMatch(
      /prod may be half-deployed.*deploy a known good revision \(rev: good1234\)/,
    );
  });

  it.each(HOSTILE_STRINGS)('%j in every piece of rollback text: the runner acts on none of it', (s) => {
    const { io, stdout } = stdoutIO();
    const log = new DeployLog(io, 'us-east-1');
    const events: DeployEvent[] = [
      { kind: 'following', executionArn: 'arn:aws:states:us-east-1:1:execution:m:n', name: s, status: 'FAILED', startDate: start },
      { kind: 'rollback-awaited', failedDeploymentId: s, withinMs: 30_000, at: start },
      { kind: 'rollback-none', failedDeploymentId: s, why: 'not-started', message: `${s}\n${s}` },
      { kind: 'rollback-none', failedDeploymentId: s, why: 'auto-rollback-off' },
      { kind: 'rollback-started', failedDeploymentId: s, rollbackDeploymentId: s, group: s, message: `${s}\r${s}`, at: start },
      {
        kind: 'rollback-finished',
        rollbackDeploymentId: s,
        status: 'Succeeded',
        group: s,
        rev: s,
        revision: { bucket: s, key: s },
        at: start,
      },
      { kind: 'rollback-finished', rollbackDeploymentId: s, status: s as never, group: s, rev: s, at: start },
      { kind: 'rollback-unfinished', rollbackDeploymentId: s, reason: 'unreachable', error: s },
      { kind: 'rollback-unfinished', rollbackDeploymentId: s, reason: 'fatal', error: s },
    ];
    for (const e of events) log.handle(e);
    expect(runnerCommands(stdout())).toEqual([]);
  });

  test('the job summary has a Rollback section: what runs now, healthy or not, and the rollback instances; outside text escaped', async () => {
    const clock = manualClock();
    const world = scripted(clock, [failedDeployment(), rollbackDeployment('Succeeded', T0 - 60_000)]);
    const tracker = new DeploymentTracker('d-ROLLBACK1', world.port, clock);
    while (!tracker.fullyReported) await tracker.poll();
    const base: DeployResult = {
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:n',
      executionName: 'n',
      startDate: new Date(T0 - 100_000),
      status: 'FAILED',
      timedOut: false,
      stopped: false,
      lambdas: [],
      deployments: [],
    };
    const ended: RollbackOutcome = {
      kind: 'ended',
      failedDeploymentId: 'd-FAILED01',
      rollbackDeploymentId: 'd-ROLLBACK1',
      tracker,
      group: 'prod',
      rev: 'good1234',
      status: 'Succeeded',
    };
    const ctx = { appName: 'shop', group: 'prod', rev: 'bad5678', region: 'us-east-1', timeoutMinutes: 30 };
    const md = renderDeploySummary({ ...base, rollback: ended }, ctx);
    expect(md).toContain('## ❌ Deploy `shop` `bad5678` to `prod`: FAILED, rolled back to `good1234`');
    expect(md).toContain('### Rollback');
    expect(md).toContain('✅ `prod` runs revision `good1234` again, **healthy**');
    expect(md).toContain('### Instances of d-ROLLBACK1');
    const failed = renderDeploySummary({ ...base, rollback: { ...ended, status: 'Failed' } }, ctx);
    expect(failed).toContain('FAILED, and the rollback failed');
    expect(failed).toContain('**The rollback failed too**');
    const none = renderDeploySummary(
      { ...base, rollback: { kind: 'none', failedDeploymentId: 'd-F', why: 'not-started', message: '# heading\n- list | cell' } },
      ctx,
    );
    expect(none).toContain('CodeDeploy started no rollback of `d-F`: \\# heading - list \\| cell.');
  });
});
