import type { Clock } from './clock.js';
import type { Emit } from './deploy-events.js';
import { DeploymentTracker, type TrackerOptions } from './deployment-tracker.js';
import { ExecutionTimeline, isShown, type TimelineChange } from './execution-timeline.js';
import { HistoryReader } from './history-reader.js';
import type { PollPacer } from './poll-pacer.js';
import type { CodeDeployPort, StepFunctionsPort } from './ports.js';
import { describeError } from '../sdk-errors.js';
import { isTransient } from './transient-errors.js';

export interface FollowOptions {
  executionArn: string;
  sfn: StepFunctionsPort;
  codedeploy: CodeDeployPort;
  clock: Clock;
  pacer: PollPacer;
  emit: Emit;
  /** Clock time at which to give up; undefined: follow to the end. */
  deadline?: number;
  /** While a deployment runs the state machine mostly waits for it: read its history this often (default 5 s). */
  historyEveryMsDuringDeployment?: number;
  /** Say "still running" after this long without news. */
  heartbeatMs?: number;
  tracker?: Partial<TrackerOptions>;
}

export interface FollowResult {
  timedOut: boolean;
  timeline: ExecutionTimeline;
  deployments: DeploymentTracker[];
}

/** How long after a deployment ends the next state is expected (the state machine's wait loop is ~10 s). */
const SOON_AFTER_DEPLOYMENT_MS = 30_000;

/**
 * While the history keeps producing lines (the wait loop's first, shown visits), read it at the
 * pace of the loop rather than every historyEvery: until this long after its last line.
 */
const HISTORY_NEWS_KEEPS_IT_FAST_MS = 15_000;

/** Polls after the execution ended, so the last instance results reach the log. */
const FINAL_DEPLOYMENT_POLLS = 3;

/**
 * Follows an execution to its end (or the deadline): its history, and every CodeDeploy deployment a
 * state's output names. Throttling and server errors slow it down; other errors end it.
 */
export async function followExecution(o: FollowOptions): Promise<FollowResult> {
  const reader = new HistoryReader(o.sfn, o.executionArn);
  const timeline = new ExecutionTimeline();
  const trackers = new Map<string, DeploymentTracker>();
  const historyEvery = o.historyEveryMsDuringDeployment ?? 5_000;
  const heartbeatMs = o.heartbeatMs ?? 60_000;
  let historyAt = Number.NEGATIVE_INFINITY;
  let historyNewsAt = Number.NEGATIVE_INFINITY;
  let newsAt = o.clock.now();
  let streak = 0;
  let finalPolls = 0;
  let deploymentEndedAt = Number.NEGATIVE_INFINITY;
  let finished: Extract<TimelineChange, { kind: 'execution-finished' }> | undefined;

  const emit: Emit = (event) => {
    newsAt = o.clock.now();
    o.emit(event);
  };

  for (;;) {
    let changed = false;
    let failure: unknown;
    // Each source on its own: CodeDeploy throttling must not stop the Step Functions history, and back.
    const attempt = async (poll: () => Promise<void>) => {
      try {
        await poll();
      } catch (err) {
        if (!isTransient(err)) throw err;
        failure = err;
      }
    };
    // Deployments first: when one ends, its last instance results belong before the state that follows.
    for (const tracker of trackers.values()) {
      if (tracker.finished) continue;
      await attempt(async () => {
        const changes = await tracker.poll();
        for (const change of changes) emit(change);
        changed ||= changes.length > 0;
        if (tracker.finished) {
          historyAt = Number.NEGATIVE_INFINITY;
          deploymentEndedAt = o.clock.now();
        }
      });
    }
    const deploying = [...trackers.values()].some((t) => !t.finished);
    const now = o.clock.now();
    const historyDue = !deploying || now - historyAt >= historyEvery || now - historyNewsAt < HISTORY_NEWS_KEEPS_IT_FAST_MS;
    if (!finished && historyDue) {
      await attempt(async () => {
        const events = await reader.readNew();
        historyAt = o.clock.now();
        changed ||= events.length > 0;
        for (const change of timeline.apply(events)) {
          // The end is reported last, after the final deployment polls.
          if (change.kind === 'execution-finished') {
            finished = change;
            continue;
          }
          emit(change);
          if (isShown(change)) historyNewsAt = o.clock.now();
          if (change.kind === 'deployment-found' && !trackers.has(change.deploymentId)) {
            trackers.set(change.deploymentId, new DeploymentTracker(change.deploymentId, o.codedeploy, o.clock, o.tracker));
          }
        }
      });
    }
    if (failure === undefined) {
      if (streak > 0) emit({ kind: 'recovered', streak });
      streak = 0;
      // Right after a deployment ends the state machine moves on within its own poll period: stay quick.
      o.pacer.polled(changed || o.clock.now() - deploymentEndedAt < SOON_AFTER_DEPLOYMENT_MS);
    } else {
      streak += 1;
      const retryInMs = o.pacer.throttledPoll();
      emit({ kind: 'transient-error', error: describeError(failure), retryInMs, streak });
    }

    if (finished) {
      const pending = [...trackers.values()].some((t) => !t.finished);
      const pastDeadline = o.deadline !== undefined && o.clock.now() >= o.deadline;
      if (!pending || finalPolls >= FINAL_DEPLOYMENT_POLLS || pastDeadline) {
        emit(finished);
        return { timedOut: false, timeline, deployments: [...trackers.values()] };
      }
      if (failure === undefined) finalPolls += 1;
    }

    const after = o.clock.now();
    if (o.deadline !== undefined && after >= o.deadline) return { timedOut: true, timeline, deployments: [...trackers.values()] };
    if (after - newsAt >= heartbeatMs) emit({ kind: 'heartbeat', at: new Date(after), quietMs: after - newsAt });
    const delay = finished && failure === undefined ? o.pacer.options.activeMs : o.pacer.nextDelayMs;
    await o.clock.sleep(o.deadline === undefined ? delay : Math.min(delay, Math.max(0, o.deadline - after)));
  }
}
