import type { Clock } from './clock.js';
import type { DeployEvent, Emit } from './deploy-events.js';
import { DeploymentTracker, type TrackerOptions } from './deployment-tracker.js';
import { ExecutionTimeline, isShown, type TimelineChange, VISITS_SHOWN } from './execution-timeline.js';
import { FollowSchedule, type FollowScheduleOptions } from './follow-schedule.js';
import { HistoryReader } from './history-reader.js';
import type { PollPacer } from './poll-pacer.js';
import type { CodeDeployPort, PollErrorClassifier, PollFailure, StepFunctionsPort } from './ports.js';

export interface FollowOptions {
  executionArn: string;
  sfn: StepFunctionsPort;
  codedeploy: CodeDeployPort;
  clock: Clock;
  pacer: PollPacer;
  emit: Emit;
  classifyError: PollErrorClassifier;
  /** Clock time at which to give up; undefined: follow to the end. */
  deadline?: number;
  schedule?: Partial<FollowScheduleOptions>;
  tracker?: Partial<TrackerOptions>;
}

/** Why following ended. Only `finished` knows the execution's end; the others leave it running, as far as we know. */
export type FollowEnd =
  | { kind: 'finished' }
  | { kind: 'deadline' }
  | { kind: 'unreachable'; error: string; failingForMs: number }
  | { kind: 'credentials-expired'; error: string };

export interface FollowResult {
  end: FollowEnd;
  timeline: ExecutionTimeline;
  deployments: DeploymentTracker[];
}

type ExecutionFinished = Extract<TimelineChange, { kind: 'execution-finished' }>;

/** One round over the sources: whether anything changed, and the worst failure if one failed. */
interface PollRound {
  changed: boolean;
  failure?: { failure: PollFailure; error: unknown };
}

/**
 * Follows an execution to its end (or the deadline): its history, and every CodeDeploy deployment a
 * state's output names. Throttling, 5xx, dropped connections and garbled answers slow it down, up to
 * the schedule's give-up time; expired credentials end it at once; other errors are thrown.
 */
export async function followExecution(o: FollowOptions): Promise<FollowResult> {
  return new ExecutionFollower(o).run();
}

class ExecutionFollower {
  private readonly reader: HistoryReader;
  private readonly timeline = new ExecutionTimeline();
  private readonly trackers = new Map<string, DeploymentTracker>();
  private readonly schedule: FollowSchedule;
  /** The execution's end, held back until the last instance results are printed. */
  private finished: ExecutionFinished | undefined;
  /** The end of the Wait state (ExecutionTimeline.quietUntil) a round already read the history alone for. */
  private historyAloneFor: number | undefined;
  /** How far the server's clock was seen ahead of ours: by an event stamped later than our now. */
  private serverAheadMs = 0;

  constructor(private readonly o: FollowOptions) {
    this.reader = new HistoryReader(o.sfn, o.executionArn);
    this.schedule = new FollowSchedule(o.clock, o.schedule);
  }

  private emit(event: DeployEvent): void {
    this.schedule.news();
    this.o.emit(event);
  }

  async run(): Promise<FollowResult> {
    const { clock, pacer, deadline } = this.o;
    pacer.startPolling();
    for (;;) {
      const round = await this.pollRound();
      if (round.failure) {
        const { failure, error } = round.failure;
        if (failure.kind === 'fatal') throw error;
        if (failure.kind === 'credentials-expired') return this.end({ kind: 'credentials-expired', error: failure.description });
        const { inARow, failingForMs, giveUp } = this.schedule.pollFailed();
        if (giveUp) {
          // The history may have shown the end already: then that is the answer, whatever the deployments say.
          if (this.finished) return this.reportFinished();
          return this.end({ kind: 'unreachable', error: failure.description, failingForMs });
        }
        this.emit({
          kind: 'transient-error',
          error: failure.description,
          throttled: failure.kind === 'throttled',
          retryInMs: pacer.throttledPoll(),
          streak: inARow,
        });
      } else {
        const failedBefore = this.schedule.pollAnswered();
        if (failedBefore > 0) this.emit({ kind: 'recovered', streak: failedBefore });
        pacer.polled(round.changed || this.schedule.nextStateDue);
      }

      const pastDeadline = deadline !== undefined && clock.now() >= deadline;
      if (this.finished) {
        if (!this.deploying || !this.schedule.finalPollsLeft || pastDeadline) return this.reportFinished();
        if (!round.failure) this.schedule.finalPollDone();
      }
      if (pastDeadline) return this.end({ kind: 'deadline' });
      const quietMs = this.schedule.quietTooLongMs;
      if (quietMs !== undefined) this.emit({ kind: 'heartbeat', at: new Date(clock.now()), quietMs });
      await clock.sleep(this.nextDelayMs(round));
    }
  }

  private get deploying(): boolean {
    return [...this.trackers.values()].some((t) => !t.fullyReported);
  }

  private nextDelayMs(round: PollRound): number {
    const { clock, pacer, deadline } = this.o;
    let delay = Math.max(this.finished && !round.failure ? pacer.options.activeMs : pacer.nextDelayMs, this.quietMs(round));
    // A Wait state whose end the log shows ends at a known moment: poll just after it, whatever the
    // cadence or the budget says (the states after it show no line past their first visits).
    const readAt = this.nextWaitRead();
    if (readAt !== undefined && !round.failure && this.schedule.historyDue(this.deploying, undefined, readAt)) {
      const untilRead = readAt - clock.now();
      // A round before it that would leave the budget short then (early on, the deployments spend
      // every call the bucket refills) would hold the wait's lines back: wait for the read instead.
      if (delay >= untilRead || !pacer.leavesCallFor(untilRead - delay)) delay = untilRead;
    }
    return deadline === undefined ? delay : Math.min(delay, Math.max(0, deadline - clock.now()));
  }

  /** When to read the history after the execution's Wait state ends, if that is still to come. */
  private nextWaitRead(): number | undefined {
    const until = this.waitReadAt();
    return until !== undefined && until > this.o.clock.now() ? until : undefined;
  }

  /**
   * When to read the history for the end of the Wait state the execution sits in: AFTER_WAIT_ENDS_MS
   * after its expected end (ExecutionTimeline.quietUntil), on our clock. The history's times are the
   * server's, so a server clock found ahead of ours moves it earlier (one behind ours makes the read
   * early, and the cadence goes on). A wait longer than WAIT_PREDICTED_MAX_MS is not planned for.
   */
  private waitReadAt(): number | undefined {
    const waiting = this.timeline.waiting();
    // Only a wait whose end the log shows is worth a round of its own: a later visit of a wait loop
    // (shorter than a round, on a fast cluster) would otherwise take every round from the deployments.
    if (waiting === undefined || waiting.visit > VISITS_SHOWN + 1) return undefined;
    const until = waiting.until;
    const local = until - this.serverAheadMs + AFTER_WAIT_ENDS_MS;
    return local - this.o.clock.now() > WAIT_PREDICTED_MAX_MS ? undefined : local;
  }

  /**
   * How long nothing is likely to change, when every deployment followed knows (each instance in
   * progress runs a hook that took at least so long elsewhere) and the history has nothing to show
   * (or waits in a Wait state): polls then wait for it, up to QUIET_SLEEP_MAX_MS, and the call budget
   * goes to the busy moments.
   */
  private quietMs(round: PollRound): number {
    if (round.failure || round.changed || this.finished || this.schedule.nextStateDue) return 0;
    if (this.schedule.historyBusy && this.nextWaitRead() === undefined) return 0;
    const active = [...this.trackers.values()].filter((t) => !t.fullyReported);
    if (active.length === 0) return 0;
    let until = Number.POSITIVE_INFINITY;
    for (const tracker of active) until = Math.min(until, tracker.quietUntil() ?? Number.NEGATIVE_INFINITY);
    return Math.min(QUIET_SLEEP_MAX_MS, Math.max(0, until - this.o.clock.now()));
  }

  /**
   * Deployments first, then the history (after a deployment's end, the next state comes in the same
   * round), or the history alone when a Wait state just ended; what the round found is printed in time
   * order (each source's own order kept), so one instance's lines do not jump ahead of another's or of
   * the states around them.
   */
  private async pollRound(): Promise<PollRound> {
    const round: PollRound = { changed: false };
    const found: DeployEvent[][] = [];
    // Each source on its own: CodeDeploy throttling must not stop the Step Functions history, and back.
    const history = () => this.attempt(round, () => this.pollHistory(found));
    if (this.waitJustEnded()) {
      // A round of the history alone, so the budget (low while the states come fast, at the start) goes
      // to its lines first; the deployments are read in the next round. Once per wait: a read that fails
      // or finds the wait still going does not hold the deployments back.
      this.historyAloneFor = this.timeline.quietUntil();
      await history();
    } else {
      for (const tracker of this.trackers.values()) {
        if (tracker.fullyReported) continue;
        await this.attempt(round, () => this.pollDeployment(tracker, found));
      }
      if (!this.finished && (this.schedule.historyDue(this.deploying, this.nextWaitRead()) || this.waitOverdue())) await history();
    }
    for (const event of inTimeOrder(found)) this.emit(event);
    return round;
  }

  /**
   * A Wait state whose lines the log shows ran past its expected end (a wait of varying length): the
   * history is read at the usual pace until its end shows, for at most WAIT_PREDICTED_MAX_MS. (Later
   * visits show no lines, so waitReadAt plans nothing for them: the history is read as often as ever then.)
   */
  private waitOverdue(): boolean {
    const ends = this.waitReadAt();
    const now = this.o.clock.now();
    return ends !== undefined && ends <= now && now - ends < WAIT_PREDICTED_MAX_MS;
  }

  /** The Wait state the execution sat in has ended (by the clock), the history is to be read, and no round went to it alone yet. */
  private waitJustEnded(): boolean {
    const ends = this.waitReadAt();
    return (
      !this.finished &&
      ends !== undefined &&
      ends <= this.o.clock.now() &&
      this.timeline.quietUntil() !== this.historyAloneFor &&
      this.schedule.historyDue(this.deploying)
    );
  }

  private async attempt(round: PollRound, poll: () => Promise<boolean>): Promise<void> {
    try {
      if (await poll()) round.changed = true;
    } catch (error) {
      const failure = this.o.classifyError(error);
      if (!round.failure || severity(failure) > severity(round.failure.failure)) round.failure = { failure, error };
    }
  }

  private async pollDeployment(tracker: DeploymentTracker, found: DeployEvent[][]): Promise<boolean> {
    const changes = await tracker.poll();
    found.push(changes);
    if (tracker.fullyReported) this.schedule.deploymentEnded();
    return changes.length > 0;
  }

  private async pollHistory(found: DeployEvent[][]): Promise<boolean> {
    const events = await this.reader.readNew();
    this.schedule.historyRead();
    const newest = events[events.length - 1];
    if (newest) this.serverAheadMs = Math.max(this.serverAheadMs, newest.timestamp.getTime() - this.o.clock.now());
    const shown: DeployEvent[] = [];
    for (const change of this.timeline.apply(events)) {
      if (change.kind === 'execution-finished') {
        this.finished = change;
        continue;
      }
      shown.push(change);
      if (isShown(change)) this.schedule.historyShowedLine();
      if (change.kind === 'deployment-found' && !this.trackers.has(change.deploymentId)) {
        this.trackers.set(change.deploymentId, new DeploymentTracker(change.deploymentId, this.o.codedeploy, this.o.clock, this.o.tracker));
      }
    }
    found.push(shown);
    return events.length > 0;
  }

  private reportFinished(): FollowResult {
    this.emit(this.finished!);
    return this.end({ kind: 'finished' });
  }

  private end(end: FollowEnd): FollowResult {
    // A state failure whose outcome the history had not shown yet is printed as it is.
    for (const change of this.timeline.flush()) this.emit(change);
    return { end, timeline: this.timeline, deployments: [...this.trackers.values()] };
  }
}

/**
 * The sources' batches merged by time, each batch's own order kept: a batch is keyed by the latest time
 * seen so far in it, so a deployment's end (last in its batch, whatever its time) stays after its
 * instances' results. Lines from different rounds are not reordered: they are printed already.
 */
export function inTimeOrder(batches: readonly (readonly DeployEvent[])[]): DeployEvent[] {
  const keyed = batches.flatMap((batch, source) => {
    let latest = Number.NEGATIVE_INFINITY;
    return batch.map((event, index) => {
      const at = 'at' in event && event.at instanceof Date ? event.at.getTime() : latest;
      latest = Math.max(latest, at);
      return { event, key: latest, source, index };
    });
  });
  keyed.sort((a, b) => a.key - b.key || a.source - b.source || a.index - b.index);
  return keyed.map((k) => k.event);
}

/**
 * The longest a poll waits for a quiet stretch to end (quietMs): a hook that fails ends sooner than
 * its kind took elsewhere, and its line should not wait for long.
 */
const QUIET_SLEEP_MAX_MS = 10_000;

/** The longest Wait state whose end the loop plans a read for (a long wait is read at the usual pace). */
const WAIT_PREDICTED_MAX_MS = 60_000;

/**
 * How long after a Wait state's end to read the history: the next state starts at once, and a read a
 * moment later finds its first lines too (a wait loop's check, a Task of a few hundred ms, and its
 * Choice) instead of leaving them to the poll after.
 */
const AFTER_WAIT_ENDS_MS = 500;

/** When two sources fail in one round, the failure that decides more wins. */
const severity = (f: PollFailure): number => ({ throttled: 0, transient: 1, 'credentials-expired': 2, fatal: 3 })[f.kind];
