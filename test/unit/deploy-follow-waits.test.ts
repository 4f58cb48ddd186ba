/**
 * The follow loop and a state machine's wait loop (Wait → check → Choice → Wait…), in simulated time:
 * a Wait state lasts as long on every visit, so from the second visit on the history is read just
 * after it ends, not while it waits, and the deployments still get their rounds.
 */
import type { Clock } from '../../src/core/deploy/clock.js';
import type { DeployEvent } from '../../src/core/deploy/deploy-events.js';
import { followExecution } from '../../src/core/deploy/follow-execution.js';
import { metered } from '../../src/core/deploy/metered-port.js';
import { PollPacer } from '../../src/core/deploy/poll-pacer.js';
import type { CodeDeployPort, HistoryEvent, PollFailure, StepFunctionsPort } from '../../src/core/deploy/ports.js';

const ROUND_TRIP_MS = 120;

function manualClock(): Clock & { t: number } {
  const c = { t: 0, now: () => c.t, sleep: async (ms: number) => void (c.t += Math.max(0, ms)) };
  return c;
}

const classify = (err: unknown): PollFailure => {
  const kind = (err as { kind?: PollFailure['kind'] }).kind;
  if (!kind) throw err;
  return { kind, description: `${kind} error` };
};

type Scripted = [number, string, Partial<HistoryEvent>?];

/** Create a deployment, then `visits` turns of a wait loop (each Wait `waitMs(visit)` long), then success. */
function waitLoop(visits: number, waitMs: (visit: number) => number): { events: Scripted[]; waitEnds: number[] } {
  const events: Scripted[] = [
    [0, 'ExecutionStarted'],
    [0, 'TaskStateEntered', { stateName: 'CreateDeployment' }],
    [800, 'TaskStateExited', { stateName: 'CreateDeployment', data: '{"DeploymentId":"d-ABCDEFGH1"}' }],
  ];
  const waitEnds: number[] = [];
  let t = 810;
  for (let visit = 1; visit <= visits; visit++) {
    events.push([t, 'WaitStateEntered', { stateName: 'Wait' }]);
    t += waitMs(visit);
    waitEnds.push(t);
    events.push([t, 'WaitStateExited', { stateName: 'Wait' }]);
    events.push([t + 40, 'TaskStateEntered', { stateName: 'Check' }]);
    events.push([t + 340, 'TaskStateExited', { stateName: 'Check' }]);
    events.push([t + 350, 'ChoiceStateEntered', { stateName: 'Done?' }]);
    events.push([t + 350, 'ChoiceStateExited', { stateName: 'Done?' }]);
    t += 360;
  }
  events.push(
    [t, 'SucceedStateEntered', { stateName: 'Done' }],
    [t, 'SucceedStateExited', { stateName: 'Done' }],
    [t, 'ExecutionSucceeded'],
  );
  return { events, waitEnds };
}

interface Run {
  historyReads: number[];
  codedeployCalls: number[];
  /** When each "✔ Wait#n" line was printed. */
  waitExitPrinted: Map<number, number>;
  /** When each "✔ Check#n" line (the state after the wait) was printed. */
  checkExitPrinted: Map<number, number>;
}

/**
 * Follows the scripted history. `serverAheadMs`: the server's clock runs ahead of ours (its events are
 * stamped that much later). `historyFails(t)`: GetExecutionHistory is throttled at t. The deployment
 * never starts (CodeDeploy answers Created), so its tracker polls on every round it gets.
 */
async function run(events: Scripted[], o: { serverAheadMs?: number; historyFails?: (t: number) => boolean } = {}): Promise<Run> {
  const clock = manualClock();
  const ahead = o.serverAheadMs ?? 0;
  const all: HistoryEvent[] = events.map(([at, type, extra], i) => ({ id: i + 1, type, timestamp: new Date(at + ahead), ...extra }));
  const r: Run = { historyReads: [], codedeployCalls: [], waitExitPrinted: new Map(), checkExitPrinted: new Map() };
  const sfn = {
    async getHistoryPage(req: { reverseOrder: boolean; maxResults: number }) {
      r.historyReads.push(clock.t);
      clock.t += ROUND_TRIP_MS;
      if (o.historyFails?.(clock.t)) throw Object.assign(new Error('throttled'), { kind: 'throttled' });
      const visible = all.filter((e) => e.timestamp.getTime() - ahead <= clock.t);
      const ordered = req.reverseOrder ? [...visible].reverse() : visible;
      return { events: ordered.slice(0, req.maxResults) };
    },
  } as unknown as StepFunctionsPort;
  const codedeploy = {
    async getDeployment() {
      r.codedeployCalls.push(clock.t);
      clock.t += ROUND_TRIP_MS;
      return {
        deploymentId: 'd-ABCDEFGH1',
        status: 'Created',
        overview: { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 },
      };
    },
    async listTargetIds() {
      r.codedeployCalls.push(clock.t);
      clock.t += ROUND_TRIP_MS;
      return [];
    },
  } as unknown as CodeDeployPort;
  const pacer = new PollPacer(clock, {}, () => 0.5);
  const emit = (e: DeployEvent) => {
    if (e.kind === 'state-exited' && e.state === 'Wait') r.waitExitPrinted.set(e.visit, clock.t);
    if (e.kind === 'state-exited' && e.state === 'Check') r.checkExitPrinted.set(e.visit, clock.t);
  };
  const result = await followExecution({
    executionArn: 'arn',
    sfn: metered(sfn, pacer),
    codedeploy: metered(codedeploy, pacer),
    clock,
    pacer,
    emit,
    classifyError: classify,
  });
  expect(result.end).toEqual({ kind: 'finished' });
  return r;
}

const between = (xs: number[], from: number, to: number) => xs.filter((x) => x > from && x < to);

test('from the second visit on, the history is read just after the Wait state ends, and not while it waits', async () => {
  const { events, waitEnds } = waitLoop(3, () => 10_000);
  const r = await run(events);
  for (const visit of [2, 3]) {
    const end = waitEnds[visit - 1]!;
    const start = end - 10_000;
    // Its exit is printed half a second after its end and one round trip: the read does not wait for
    // the budget, though the tracker spends all the bucket refills here (the loop keeps a call for it).
    expect(r.waitExitPrinted.get(visit)! - end).toBeGreaterThanOrEqual(500);
    expect(r.waitExitPrinted.get(visit)! - end).toBeLessThan(500 + ROUND_TRIP_MS + 50);
    // The read comes half a second after the end, not at once: the check that follows the wait
    // (340 ms) is in the same read.
    expect(r.checkExitPrinted.get(visit)).toBe(r.waitExitPrinted.get(visit));
    // …and while it waited (after the read that saw it begin), the history was not read at all.
    const sawItBegin = r.historyReads.find((t) => t > start)!;
    expect(between(r.historyReads, sawItBegin + 1000, end)).toEqual([]);
  }
  // The deployment's tracker had its rounds all along.
  for (const end of waitEnds.slice(1)) expect(between(r.codedeployCalls, end - 9000, end).length).toBeGreaterThanOrEqual(3);
});

test('a wait longer than its earlier visits: read at the expected end, then at the usual pace until its end shows', async () => {
  const { events, waitEnds } = waitLoop(3, (visit) => (visit === 2 ? 16_000 : 10_000));
  const r = await run(events);
  // Expected at 10 s, it ended at 16 s: its line still comes at the usual pace (here a round of two
  // calls, the tracker's and the history's, each waiting for the budget's refill), not 30 s later.
  const usualPace = 2 * Math.ceil(60_000 / 37) + 2 * ROUND_TRIP_MS + 500;
  expect(r.waitExitPrinted.get(2)! - waitEnds[1]!).toBeLessThan(usualPace);
  expect(r.waitExitPrinted.get(3)! - waitEnds[2]!).toBeLessThan(usualPace);
});

test('the server’s clock 5 s ahead of ours: the read still comes just after the wait’s end', async () => {
  const { events, waitEnds } = waitLoop(3, () => 10_000);
  const r = await run(events, { serverAheadMs: 5000 });
  // (Within a second, not to the millisecond: the skew is seen from the newest event's stamp, which is
  // as old as that event was when it was read.)
  for (const visit of [2, 3]) expect(r.waitExitPrinted.get(visit)! - waitEnds[visit - 1]!).toBeLessThan(1000);
});

test('the history throttled at the wait’s end: one round goes to it alone, then the deployments are polled again', async () => {
  const { events, waitEnds } = waitLoop(3, () => 10_000);
  const end = waitEnds[1]!;
  const r = await run(events, { historyFails: (t) => t > end && t < end + 20_000 });
  // CodeDeploy is read while Step Functions throttles (each source on its own).
  expect(between(r.codedeployCalls, end + 1000, end + 20_000).length).toBeGreaterThanOrEqual(2);
  // And once the history answers again, the lines come.
  expect(r.waitExitPrinted.get(2)).toBeGreaterThan(end + 20_000);
});

test('a wait loop shorter than a round (a fast cluster): visits whose lines are not shown take no round from the deployments', async () => {
  const { events, waitEnds } = waitLoop(40, () => 1000);
  const r = await run(events);
  // From the fourth visit on (no line shown), the deployment's tracker is polled all along, while the
  // history is still read often (lines were shown moments ago). Before, every round went to the history
  // alone, one per wait's end: no CodeDeploy call for ~9 s here, and on the demo's cluster none until the end.
  for (let t = waitEnds[2]!; t + 8000 <= waitEnds.at(-1)!; t += 2000)
    expect(between(r.codedeployCalls, t, t + 8000).length).toBeGreaterThanOrEqual(2);
});
