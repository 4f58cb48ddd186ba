import type { Clock } from './clock.js';

/**
 * When following reads what, when it says "still running", and when it gives up: everything the
 * follow loop has to remember between polls, so the loop itself only polls and reports.
 */
export interface FollowScheduleOptions {
  /** While a deployment runs the state machine mostly waits for it: read its history this often. */
  historyEveryMsDuringDeployment: number;
  /** Say "still running" after this long without news. */
  heartbeatMs: number;
  /**
   * Stop following when no poll has fully succeeded for this long (throttling, 5xx, resets, garbled
   * answers all along). The SDK retries each call 3 times first; the loop backs off 5 s → 30 s.
   */
  giveUpAfterMs: number;
}

export const DEFAULT_FOLLOW_SCHEDULE: FollowScheduleOptions = {
  historyEveryMsDuringDeployment: 30_000,
  heartbeatMs: 60_000,
  giveUpAfterMs: 10 * 60_000,
};

/** How long after a deployment ends the next state is expected (the state machine's wait loop is ~10 s). */
const SOON_AFTER_DEPLOYMENT_MS = 30_000;

/**
 * While the history keeps producing lines (the wait loop's first, shown visits), read it at the
 * pace of the loop rather than every historyEvery: until this long after its last line.
 */
const HISTORY_NEWS_KEEPS_IT_FAST_MS = 15_000;

/** Polls after the execution ended, so the last instance results reach the log. */
const FINAL_DEPLOYMENT_POLLS = 3;

export class FollowSchedule {
  readonly options: FollowScheduleOptions;
  private historyReadAt = Number.NEGATIVE_INFINITY;
  private historyNewsAt = Number.NEGATIVE_INFINITY;
  private deploymentEndedAt = Number.NEGATIVE_INFINITY;
  private newsAt: number;
  /** The last poll in which every source answered. */
  private answeredAt: number;
  private failedInARow = 0;
  private finalPolls = 0;

  constructor(
    private readonly clock: Clock,
    options: Partial<FollowScheduleOptions> = {},
  ) {
    this.options = { ...DEFAULT_FOLLOW_SCHEDULE, ...options };
    this.newsAt = clock.now();
    this.answeredAt = clock.now();
  }

  /**
   * Whether to read the history on this poll. `quietUntil`: the history holds nothing new before then
   * (the execution waits in a Wait state, ExecutionTimeline.quietUntil): it is read at that moment, and
   * before it only as often as during a deployment (a stop would show). `now`: ask about a moment to come.
   */
  historyDue(deploying: boolean, quietUntil?: number, now = this.clock.now()): boolean {
    const periodic = now - this.historyReadAt >= this.options.historyEveryMsDuringDeployment;
    if (quietUntil !== undefined && now < quietUntil) return periodic;
    return !deploying || periodic || now - this.historyNewsAt < HISTORY_NEWS_KEEPS_IT_FAST_MS;
  }

  /** The history is still yielding lines to show (read on every poll, see historyDue). */
  get historyBusy(): boolean {
    return this.clock.now() - this.historyNewsAt < HISTORY_NEWS_KEEPS_IT_FAST_MS;
  }

  historyRead(): void {
    this.historyReadAt = this.clock.now();
  }

  /** The history yielded a line the log shows. */
  historyShowedLine(): void {
    this.historyNewsAt = this.clock.now();
  }

  /** A deployment ended: read the history at once, and stay quick while the next state is due. */
  deploymentEnded(): void {
    this.historyReadAt = Number.NEGATIVE_INFINITY;
    this.deploymentEndedAt = this.clock.now();
  }

  /** Right after a deployment ends the state machine moves on within its own poll period. */
  get nextStateDue(): boolean {
    return this.clock.now() - this.deploymentEndedAt < SOON_AFTER_DEPLOYMENT_MS;
  }

  /** Something was reported. */
  news(): void {
    this.newsAt = this.clock.now();
  }

  /** How long nothing was reported, when that deserves a "still running" line. */
  get quietTooLongMs(): number | undefined {
    const quiet = this.clock.now() - this.newsAt;
    return quiet >= this.options.heartbeatMs ? quiet : undefined;
  }

  /** Every source answered; returns how many polls had failed in a row before. */
  pollAnswered(): number {
    const failed = this.failedInARow;
    this.failedInARow = 0;
    this.answeredAt = this.clock.now();
    return failed;
  }

  /** A source failed with a transient error. */
  pollFailed(): { inARow: number; failingForMs: number; giveUp: boolean } {
    this.failedInARow += 1;
    const failingForMs = this.clock.now() - this.answeredAt;
    return { inARow: this.failedInARow, failingForMs, giveUp: failingForMs >= this.options.giveUpAfterMs };
  }

  /** After the execution ended: one more answered poll of the deployments. */
  finalPollDone(): void {
    this.finalPolls += 1;
  }

  get finalPollsLeft(): boolean {
    return this.finalPolls < FINAL_DEPLOYMENT_POLLS;
  }
}
