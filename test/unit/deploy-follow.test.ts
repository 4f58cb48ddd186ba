import type { Clock } from '../../src/core/deploy/clock.js';
import type { DeployEvent } from '../../src/core/deploy/deploy-events.js';
import { followExecution, inTimeOrder } from '../../src/core/deploy/follow-execution.js';
import { FollowSchedule } from '../../src/core/deploy/follow-schedule.js';
import { PollPacer } from '../../src/core/deploy/poll-pacer.js';
import type { CodeDeployPort, HistoryEvent, PollFailure, StepFunctionsPort } from '../../src/core/deploy/ports.js';

function manualClock(): Clock & { t: number } {
  const c = {
    t: 0,
    now: () => c.t,
    sleep: async (ms: number) => {
      c.t += ms;
    },
  };
  return c;
}

/** Errors are plain objects naming their kind: the core only sees what the classifier says. */
const classify = (err: unknown): PollFailure => {
  const kind = (err as { kind?: PollFailure['kind'] }).kind;
  if (!kind) throw new Error(`unexpected error ${String(err)}`);
  return { kind, description: `${kind} error` };
};
const failure = (kind: PollFailure['kind']) => Object.assign(new Error(kind), { kind });

/** A history revealed as the clock passes each event's time; `failWhile(t)` makes GetExecutionHistory fail then. */
function history(
  clock: Clock & { t: number },
  events: [number, string, Partial<HistoryEvent>?][],
  failWhile: (t: number) => PollFailure['kind'] | undefined = () => undefined,
): StepFunctionsPort {
  const all: HistoryEvent[] = events.map(([at, type, extra], i) => ({ id: i + 1, type, timestamp: new Date(at), ...extra }));
  return {
    startExecution: async () => ({ executionArn: '', startDate: new Date(0) }),
    describeExecution: async () => null,
    listRunningExecutions: async () => [],
    stopExecution: async () => undefined,
    async getHistoryPage(r) {
      const kind = failWhile(clock.t);
      if (kind) throw failure(kind);
      const visible = all.filter((e) => e.timestamp.getTime() <= clock.t);
      const ordered = r.reverseOrder ? [...visible].reverse() : visible;
      return { events: ordered.slice(0, r.maxResults) };
    },
  };
}

const noCodeDeploy = {} as CodeDeployPort;

const SUCCESS: [number, string, Partial<HistoryEvent>?][] = [
  [0, 'ExecutionStarted'],
  [1000, 'TaskStateEntered', { stateName: 'A' }],
  [60_000, 'TaskStateExited', { stateName: 'A' }],
  [120_000, 'PassStateEntered', { stateName: 'B' }],
  [121_000, 'PassStateExited', { stateName: 'B' }],
  [122_000, 'ExecutionSucceeded', { data: '{}' }],
];

async function follow(sfn: StepFunctionsPort, clock: Clock & { t: number }, codedeploy = noCodeDeploy) {
  const events: DeployEvent[] = [];
  const result = await followExecution({
    executionArn: 'arn',
    sfn,
    codedeploy,
    clock,
    pacer: new PollPacer(clock, {}, () => 0.5),
    emit: (e) => events.push(e),
    classifyError: classify,
  });
  return { result, events };
}

const shown = (events: DeployEvent[]) =>
  events
    .filter((e) => e.kind === 'state-entered' || e.kind === 'state-exited' || e.kind === 'execution-finished')
    .map((e) => `${e.kind} ${'state' in e ? e.state : ''}`);

test('transient failures for a while: slows down, then every change once and the end', async () => {
  const clock = manualClock();
  const { result, events } = await follow(
    history(clock, SUCCESS, (t) => (t > 30_000 && t < 200_000 ? 'transient' : undefined)),
    clock,
  );
  expect(result.end).toEqual({ kind: 'finished' });
  expect(shown(events)).toEqual(['state-entered A', 'state-exited A', 'state-entered B', 'state-exited B', 'execution-finished ']);
  const failures = events.filter((e) => e.kind === 'transient-error');
  expect(failures.length).toBeGreaterThan(3);
  expect(failures.every((e) => e.kind === 'transient-error' && e.retryInMs >= 5000 && e.retryInMs <= 30_000 * 1.25)).toBe(true);
  expect(events.filter((e) => e.kind === 'recovered')).toHaveLength(1);
});

test('AWS never answers again: following ends after giveUpAfterMs, saying so, without an end', async () => {
  const clock = manualClock();
  const { result, events } = await follow(
    history(clock, SUCCESS, (t) => (t > 30_000 ? 'throttled' : undefined)),
    clock,
  );
  expect(result.end.kind).toBe('unreachable');
  const end = result.end as Extract<typeof result.end, { kind: 'unreachable' }>;
  expect(end.failingForMs).toBeGreaterThanOrEqual(10 * 60_000);
  // At most one backoff interval (30 s, +25% jitter) past the cap.
  expect(end.failingForMs).toBeLessThan(10 * 60_000 + 40_000);
  expect(end.error).toBe('throttled error');
  expect(events.some((e) => e.kind === 'execution-finished')).toBe(false);
  expect(events.filter((e) => e.kind === 'transient-error').every((e) => e.kind === 'transient-error' && e.throttled)).toBe(true);
});

test('expired credentials end following at once', async () => {
  const clock = manualClock();
  const { result } = await follow(
    history(clock, SUCCESS, (t) => (t > 30_000 ? 'credentials-expired' : undefined)),
    clock,
  );
  expect(result.end).toEqual({ kind: 'credentials-expired', error: 'credentials-expired error' });
  expect(clock.t).toBeLessThan(45_000);
});

test('other errors are thrown, as they were', async () => {
  const clock = manualClock();
  await expect(
    follow(
      history(clock, SUCCESS, (t) => (t > 30_000 ? 'fatal' : undefined)),
      clock,
    ),
  ).rejects.toThrow('fatal');
});

test('the end was seen but CodeDeploy never answers: the end is still reported when following gives up', async () => {
  const clock = manualClock();
  const events: [number, string, Partial<HistoryEvent>?][] = [
    [0, 'ExecutionStarted'],
    [1000, 'TaskStateEntered', { stateName: 'Create' }],
    [2000, 'TaskStateExited', { stateName: 'Create', data: '{"DeploymentId":"d-ABCDEFGH1"}' }],
    [3000, 'ExecutionFailed', { error: 'Boom', cause: 'x' }],
  ];
  const failing = new Proxy({}, { get: () => async () => Promise.reject(failure('transient')) }) as CodeDeployPort;
  const { result, events: out } = await follow(history(clock, events), clock, failing);
  expect(result.end).toEqual({ kind: 'finished' });
  expect(result.timeline.terminal?.status).toBe('FAILED');
  expect(out.at(-1)).toMatchObject({ kind: 'execution-finished', status: 'FAILED' });
});

test('the schedule: give up only after giveUpAfterMs without an answered poll; an answer resets it', () => {
  const clock = manualClock();
  const schedule = new FollowSchedule(clock, { giveUpAfterMs: 60_000 });
  clock.t = 30_000;
  expect(schedule.pollFailed()).toEqual({ inARow: 1, failingForMs: 30_000, giveUp: false });
  clock.t = 59_999;
  expect(schedule.pollFailed().giveUp).toBe(false);
  clock.t = 60_000;
  expect(schedule.pollFailed()).toEqual({ inARow: 3, failingForMs: 60_000, giveUp: true });
  expect(schedule.pollAnswered()).toBe(3);
  clock.t = 100_000;
  expect(schedule.pollFailed()).toEqual({ inARow: 1, failingForMs: 40_000, giveUp: false });
});

test("inTimeOrder: a round's batches merged by time, each batch's own order kept (a deployment's end stays last)", () => {
  const at = (s: number) => new Date(s * 1000);
  const life = (target: string, s: number): DeployEvent => ({
    kind: 'lifecycle-event',
    deploymentId: 'd-1',
    targetId: target,
    event: 'Install',
    status: 'Succeeded',
    at: at(s),
  });
  const overview = { Pending: 0, InProgress: 0, Succeeded: 2, Failed: 0, Skipped: 0, Ready: 0 };
  const deployment: DeployEvent[] = [
    life('i-2', 4),
    life('i-3', 7),
    // Its time is CodeDeploy's completeTime, which can be before the last result was written.
    { kind: 'deployment-finished', deploymentId: 'd-1', status: 'Succeeded', overview, at: at(6) },
  ];
  const history: DeployEvent[] = [
    { kind: 'state-entered', state: 'Wait', visit: 1, at: at(5) },
    { kind: 'state-exited', state: 'Wait', visit: 1, at: at(7), durationMs: 2000 },
    { kind: 'state-entered', state: 'Done', visit: 1, at: at(8) },
  ];
  const names = inTimeOrder([deployment, history]).map((e) =>
    e.kind === 'lifecycle-event' ? e.targetId : e.kind === 'deployment-finished' ? 'end' : `${e.kind} ${'state' in e ? e.state : ''}`,
  );
  expect(names).toEqual(['i-2', 'state-entered Wait', 'i-3', 'end', 'state-exited Wait', 'state-entered Done']);
});
