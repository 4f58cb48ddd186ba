import type { ExecutionStatus, HistoryEvent } from './ports.js';

/** One state of the state machine as the execution went through it (a loop visits a state many times). */
export interface StateRecord {
  name: string;
  visits: number;
  firstEnteredAt: Date;
  lastEnteredAt: Date;
  lastExitedAt?: Date;
  /** Summed over visits. */
  totalMs: number;
  /** A Wait state (WaitStateEntered): nothing runs in it, it only waits. */
  waits?: boolean;
  /** The shortest visit that ended (entered to exited). */
  shortestVisitMs?: number;
  result: 'running' | 'succeeded' | 'failed' | 'aborted';
  error?: string;
  cause?: string;
}

export type TerminalStatus = Exclude<ExecutionStatus, 'RUNNING' | 'PENDING_REDRIVE'>;

export type TimelineChange =
  | { kind: 'execution-began'; at: Date }
  | { kind: 'state-entered'; state: string; visit: number; at: Date }
  | { kind: 'state-exited'; state: string; visit: number; at: Date; durationMs: number }
  | {
      kind: 'state-failure';
      state?: string;
      eventType: string;
      at: Date;
      error?: string;
      cause?: string;
      /** The execution went on (a Catch or a Retry) instead of failing; `next` is the state a Catch went to. */
      handled?: { next?: string };
    }
  | { kind: 'deployment-found'; state?: string; deploymentId: string; at: Date }
  | { kind: 'execution-finished'; status: TerminalStatus; at: Date; error?: string; cause?: string; output?: string };

/** Loops (wait → check → choice) visit states over and over: the log shows the first visits, counts the rest. */
export const VISITS_SHOWN = 2;

/** Whether the log shows a line for the change (the visit after the shown ones gets one saying so). */
export const isShown = (change: TimelineChange): boolean =>
  (change.kind !== 'state-entered' && change.kind !== 'state-exited') || change.visit <= VISITS_SHOWN + 1;

const TERMINAL: Record<string, TerminalStatus> = {
  ExecutionSucceeded: 'SUCCEEDED',
  ExecutionFailed: 'FAILED',
  ExecutionAborted: 'ABORTED',
  ExecutionTimedOut: 'TIMED_OUT',
};

/** TaskFailed, LambdaFunctionTimedOut, …: a state's work failed (the execution's own end is TERMINAL). */
const FAILURE = /(Failed|TimedOut)$/;

// CodeDeploy deployment ids look like d-ABCDEFGH1; anything else named DeploymentId is not one we can follow.
const DEPLOYMENT_ID = /^d-[A-Za-z0-9]{5,}$/;

/**
 * Turns Step Functions history events into state transitions, in order, remembering what the job
 * summary needs. Knows the execution's start so it can tell how long each state took.
 */
export class ExecutionTimeline {
  readonly states = new Map<string, StateRecord>();
  readonly deploymentIds: string[] = [];
  terminal: Extract<TimelineChange, { kind: 'execution-finished' }> | undefined;
  /** States entered and not yet exited, most recent last (a failure event belongs to the last one). */
  private readonly open: string[] = [];
  /**
   * A failure, and the failed state's exit if a Catch wrote one, held back until the next event tells
   * whether the execution went on (handled) or failed (not): a first deploy's GetFunction →
   * ResourceNotFound → create path must not read like a problem.
   */
  private held: TimelineChange[] = [];

  apply(events: readonly HistoryEvent[]): TimelineChange[] {
    const changes: TimelineChange[] = [];
    for (const event of events) this.applyOne(event, changes);
    return changes;
  }

  /**
   * Until when the history will hold nothing new, when the execution sits in a Wait state it went
   * through before: a wait loop's Wait state (fixed `Seconds`) lasts as long on every visit, and
   * nothing else runs while it waits (only a stop or the execution's timeout could end it sooner).
   * The shortest earlier visit is the bound, so a wait of varying length is read no later than its
   * shortest. Undefined when nothing is known: a first visit, another state running, a failure held.
   */
  quietUntil(): number | undefined {
    return this.waiting()?.until;
  }

  /** The Wait state the execution sits in (see quietUntil): when it should end, and which visit it is. */
  waiting(): { until: number; visit: number } | undefined {
    if (this.terminal || this.held.length || this.open.length !== 1) return undefined;
    const record = this.states.get(this.open[0]!);
    if (!record?.waits || record.shortestVisitMs === undefined || record.result !== 'running') return undefined;
    return { until: record.lastEnteredAt.getTime() + record.shortestVisitMs, visit: record.visits };
  }

  /** What is still held back, as it is (following stops before the history tells how a failure ended). */
  flush(): TimelineChange[] {
    return this.held.splice(0);
  }

  private applyOne(event: HistoryEvent, changes: TimelineChange[]): void {
    const type = event.type;
    if (this.held.length) {
      const failure = this.held[0] as Extract<TimelineChange, { kind: 'state-failure' }>;
      if (type.endsWith('StateExited') && event.stateName === failure.state && this.held.length === 1) {
        // The failed state exits only when a Catch takes over; the state it goes to comes next.
        const exit: TimelineChange[] = [];
        this.applyTransition(event, exit);
        this.held.push(...exit);
        return;
      }
      if (!TERMINAL[type] && !FAILURE.test(type)) {
        const next = type.endsWith('StateEntered') ? event.stateName : undefined;
        failure.handled = { next };
      }
      changes.push(...this.held.splice(0));
    }
    this.applyTransition(event, changes);
  }

  private applyTransition(event: HistoryEvent, changes: TimelineChange[]): void {
    const at = event.timestamp;
    const type = event.type;
    if (type === 'ExecutionStarted') {
      changes.push({ kind: 'execution-began', at });
      return;
    }
    const terminal = TERMINAL[type];
    if (terminal) {
      this.terminal = { kind: 'execution-finished', status: terminal, at, error: event.error, cause: event.cause, output: event.data };
      for (const name of this.open.splice(0)) {
        const record = this.states.get(name);
        if (!record) continue;
        record.result = terminal === 'SUCCEEDED' ? 'succeeded' : terminal === 'ABORTED' ? 'aborted' : 'failed';
        record.totalMs += at.getTime() - record.lastEnteredAt.getTime();
        if (terminal !== 'SUCCEEDED' && record.error === undefined) {
          record.error = event.error;
          record.cause = event.cause;
        }
      }
      changes.push(this.terminal);
      return;
    }
    if (type.endsWith('StateEntered') && event.stateName !== undefined) {
      const name = event.stateName;
      const existing = this.states.get(name);
      const record: StateRecord = existing ?? { name, visits: 0, firstEnteredAt: at, lastEnteredAt: at, totalMs: 0, result: 'running' };
      record.visits += 1;
      record.lastEnteredAt = at;
      record.waits = type === 'WaitStateEntered';
      // FailStateEntered has no matching exit: the execution fails right after it.
      record.result = type === 'FailStateEntered' ? 'failed' : 'running';
      this.states.set(name, record);
      this.open.push(name);
      changes.push({ kind: 'state-entered', state: name, visit: record.visits, at });
      return;
    }
    if (type.endsWith('StateExited') && event.stateName !== undefined) {
      const name = event.stateName;
      const record = this.states.get(name);
      const index = this.open.lastIndexOf(name);
      if (index >= 0) this.open.splice(index, 1);
      if (record) {
        const durationMs = at.getTime() - record.lastEnteredAt.getTime();
        record.totalMs += durationMs;
        record.shortestVisitMs = Math.min(durationMs, record.shortestVisitMs ?? Number.POSITIVE_INFINITY);
        record.lastExitedAt = at;
        if (record.result === 'running') record.result = 'succeeded';
        changes.push({ kind: 'state-exited', state: name, visit: record.visits, at, durationMs });
      }
      this.findDeployment(event, name, changes);
      return;
    }
    if (FAILURE.test(type)) {
      const state = this.open[this.open.length - 1];
      const record = state === undefined ? undefined : this.states.get(state);
      if (record) {
        record.error = event.error;
        record.cause = event.cause;
      }
      this.held.push({ kind: 'state-failure', state, eventType: type, at, error: event.error, cause: event.cause });
      return;
    }
    if (type === 'TaskSucceeded' || type === 'LambdaFunctionSucceeded' || type === 'ActivitySucceeded') {
      this.findDeployment(event, this.open[this.open.length - 1], changes);
    }
  }

  private findDeployment(event: HistoryEvent, state: string | undefined, changes: TimelineChange[]): void {
    if (!event.data?.includes('DeploymentId')) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(event.data);
    } catch {
      return;
    }
    for (const id of findDeploymentIds(parsed)) {
      if (this.deploymentIds.includes(id)) continue;
      this.deploymentIds.push(id);
      changes.push({ kind: 'deployment-found', state, deploymentId: id, at: event.timestamp });
    }
  }
}

/**
 * `DeploymentId` values anywhere in a state's output: the `aws-sdk:codedeploy:createDeployment` result
 * is `{"DeploymentId": …}`, which a ResultPath may nest (`{"deployment": {"DeploymentId": …}}`).
 */
export function findDeploymentIds(value: unknown, depth = 0): string[] {
  if (depth > 8 || value === null || typeof value !== 'object') return [];
  const found: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) found.push(...findDeploymentIds(item, depth + 1));
    return found;
  }
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'DeploymentId' && typeof child === 'string' && DEPLOYMENT_ID.test(child)) found.push(child);
    else found.push(...findDeploymentIds(child, depth + 1));
  }
  return [...new Set(found)];
}
