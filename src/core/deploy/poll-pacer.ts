import type { Clock } from './clock.js';

/**
 * Polling manners. Poll often right after a change (changes come in clusters: one instance's hook ends
 * as the next begins, the other instances of a batch follow within a second or two), stretch the
 * interval while nothing changes, and slow down with jitter when AWS throttles or fails.
 *
 * One call budget covers every API call of the deploy, both services together: at most
 * `callsPerMinute` calls in any 60-second window. `take()` (the action takes one per HTTP request,
 * src/aws/request-pacing.ts; simulations per port call, metered-port.ts) waits for the budget, whatever the loop asks for, so a 20-minute deploy stays far
 * below Step Functions' and CodeDeploy's rate limits (and leaves room for other tools sharing them).
 * The budget is a token bucket that holds `burst` calls and refills at callsPerMinute − burst −
 * UNMETERED_RESERVE a minute: a full bucket plus a minute's refill stays below the cap, so no window
 * can hold more (a record of the last minute's calls enforces the cap besides). What quiet stretches save, busy moments spend; and
 * the loop waits for its next round until the bucket holds it (nextDelayMs), rather than running into
 * the budget half-way through a round.
 */
export interface PacerOptions {
  /** Interval right after a change. */
  activeMs: number;
  /** Longest interval when idle. */
  idleMaxMs: number;
  /** Interval multiplier per idle poll. */
  idleGrowth: number;
  /** Longest interval while AWS is throttling. */
  throttledMaxMs: number;
  /** API calls allowed in any 60-second window. */
  callsPerMinute: number;
  /** Calls saved up in quiet stretches for busy ones (the rest of the minute's budget is spent evenly). */
  burst: number;
}

export const DEFAULT_PACER_OPTIONS: PacerOptions = {
  activeMs: 1000,
  idleMaxMs: 2500,
  idleGrowth: 1.2,
  throttledMaxMs: 30_000,
  callsPerMinute: 45,
  burst: 6,
};

const WINDOW_MS = 60_000;
/**
 * Room kept below the cap. The action meters each HTTP request (pages and retries included), so the
 * record of the last minute holds the cap exactly; a budget metered per port call (metered-port.ts,
 * the simulations) can send a page or two beyond its tokens, and this room keeps those within it too.
 */
const UNMETERED_RESERVE = 2;

export class PollPacer {
  readonly options: PacerOptions;
  private interval: number;
  private throttledStreak = 0;
  /** When each call of the last WINDOW_MS went out, oldest first. */
  private readonly sent: number[] = [];
  private tokens: number;
  private refilledAt: number;
  /** Calls since the last polled() / throttledPoll(), and in the two rounds before (latest first). */
  private roundCalls = 0;
  private lastRounds: [number, number] = [0, 0];

  constructor(
    private readonly clock: Clock,
    options: Partial<PacerOptions> = {},
    private readonly random: () => number = Math.random,
  ) {
    this.options = { ...DEFAULT_PACER_OPTIONS, ...options };
    this.interval = this.options.activeMs;
    this.tokens = this.options.burst;
    this.refilledAt = clock.now();
  }

  /**
   * The wait before the next poll: the cadence's interval, or longer until the budget holds a round
   * like the recent ones (the smaller of the last two: a one-off round, such as a deployment's first
   * read that lists every instance, says little about the next). Polls rarely run into the budget by
   * their own rounds, which would stall them at a moment the loop did not choose.
   */
  get nextDelayMs(): number {
    if (this.throttled) return this.interval;
    const missing = this.recentRoundCalls - this.tokensNow();
    return missing <= 0 ? this.interval : Math.max(this.interval, Math.ceil(missing / this.refillPerMs));
  }

  /**
   * Whether a round like the recent ones, made now, leaves a call in the bucket `inMs` later: a read
   * due then (a Wait state's end) should not wait for the budget behind a round made just before it.
   */
  leavesCallFor(inMs: number): boolean {
    const left = Math.max(0, this.tokensNow() - this.recentRoundCalls);
    return Math.min(this.options.burst, left + inMs * this.refillPerMs) >= 1;
  }

  /** The calls of a round like the recent ones: the smaller of the last two (see nextDelayMs), at least one. */
  private get recentRoundCalls(): number {
    return Math.max(1, Math.min(...this.lastRounds));
  }

  /**
   * Polling begins: the calls made so far (the pre-flight, the start) were no poll round, and must not
   * make the first poll wait for a round that large. Earlier rounds (another follow's) are forgotten too.
   */
  startPolling(): void {
    this.roundCalls = 0;
    this.lastRounds = [0, 0];
  }

  get throttled(): boolean {
    return this.throttledStreak > 0;
  }

  /** After a poll that went through: fast again if anything changed, a little slower if not. */
  polled(changed: boolean): void {
    this.endRound();
    this.throttledStreak = 0;
    const { activeMs, idleMaxMs, idleGrowth } = this.options;
    this.interval = changed ? activeMs : Math.min(idleMaxMs, Math.max(activeMs, this.interval * idleGrowth));
  }

  /** After a throttled or failed poll: double the interval (at least 5 s), with ±25% jitter so parallel jobs spread out. */
  throttledPoll(): number {
    this.endRound();
    this.throttledStreak += 1;
    const base = Math.min(this.options.throttledMaxMs, Math.max(5000, this.interval * 2));
    this.interval = Math.round(base * (0.75 + this.random() * 0.5));
    return this.interval;
  }

  /** API calls made in the last 60 seconds. */
  callsInWindow(): number {
    this.forget(this.clock.now());
    return this.sent.length;
  }

  /** Waits until the call budget allows one more API call, then spends it. */
  async take(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      this.forget(now);
      const tokens = this.tokensNow();
      if (tokens >= 1 && this.sent.length < this.options.callsPerMinute) {
        this.tokens = tokens - 1;
        this.refilledAt = now;
        this.sent.push(now);
        this.roundCalls += 1;
        return;
      }
      // A token refills, or (never with a full bucket's arithmetic, but enforced all the same) the
      // oldest call leaves the window at sent[0] + WINDOW_MS.
      const forToken = tokens >= 1 ? 0 : Math.ceil((1 - tokens) / this.refillPerMs);
      const forWindow = this.sent.length < this.options.callsPerMinute ? 0 : this.sent[0]! + WINDOW_MS - now;
      await this.clock.sleep(Math.max(1, forToken, forWindow));
    }
  }

  /**
   * The bucket: `burst` calls at most, refilled at callsPerMinute − burst − UNMETERED_RESERVE a
   * minute, so that a full bucket plus a minute's refill stays below callsPerMinute.
   */
  private tokensNow(): number {
    const elapsed = this.clock.now() - this.refilledAt;
    return Math.min(this.options.burst, this.tokens + elapsed * this.refillPerMs);
  }

  private get refillPerMs(): number {
    return Math.max(1, this.options.callsPerMinute - this.options.burst - UNMETERED_RESERVE) / WINDOW_MS;
  }

  private endRound(): void {
    this.lastRounds = [this.roundCalls, this.lastRounds[0]];
    this.roundCalls = 0;
  }

  /** Drops the calls older than the window: a call at t counts in [t, t + WINDOW_MS). */
  private forget(now: number): void {
    while (this.sent.length && this.sent[0]! + WINDOW_MS <= now) this.sent.shift();
  }
}
