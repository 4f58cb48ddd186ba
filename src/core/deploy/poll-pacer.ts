import type { Clock } from './clock.js';

/**
 * Polling manners. Poll about every 2 s while things change, stretch the interval when nothing does,
 * and slow down with jitter when AWS throttles or fails. A token bucket caps the calls per minute
 * whatever the loop asks for, so a 20-minute deploy stays far below Step Functions' and CodeDeploy's
 * API rate limits (and other tools sharing them in the account).
 */
export interface PacerOptions {
  /** Interval while things change. */
  activeMs: number;
  /** Longest interval when idle. */
  idleMaxMs: number;
  /** Interval multiplier per idle poll. */
  idleGrowth: number;
  /** Longest interval while AWS is throttling. */
  throttledMaxMs: number;
  /** Sustained API calls per minute (the bucket's refill rate). */
  callsPerMinute: number;
  /** Calls that may go out back to back (the bucket's size). */
  burst: number;
}

export const DEFAULT_PACER_OPTIONS: PacerOptions = {
  activeMs: 2000,
  idleMaxMs: 10_000,
  idleGrowth: 1.5,
  throttledMaxMs: 30_000,
  callsPerMinute: 45,
  burst: 10,
};

export class PollPacer {
  readonly options: PacerOptions;
  private interval: number;
  private tokens: number;
  private refilledAt: number;
  private throttledStreak = 0;

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

  /** The wait before the next poll. */
  get nextDelayMs(): number {
    return this.interval;
  }

  get throttled(): boolean {
    return this.throttledStreak > 0;
  }

  /** After a poll that went through: fast again if anything changed, a little slower if not. */
  polled(changed: boolean): void {
    this.throttledStreak = 0;
    const { activeMs, idleMaxMs, idleGrowth } = this.options;
    this.interval = changed ? activeMs : Math.min(idleMaxMs, Math.max(activeMs, this.interval * idleGrowth));
  }

  /** After a throttled or failed poll: double the interval (at least 5 s), with ±25% jitter so parallel jobs spread out. */
  throttledPoll(): number {
    this.throttledStreak += 1;
    const base = Math.min(this.options.throttledMaxMs, Math.max(5000, this.interval * 2));
    this.interval = Math.round(base * (0.75 + this.random() * 0.5));
    return this.interval;
  }

  /** Waits until the call budget allows one more API call, then spends it. */
  async take(): Promise<void> {
    const rate = this.options.callsPerMinute / 60_000;
    for (;;) {
      const now = this.clock.now();
      this.tokens = Math.min(this.options.burst, this.tokens + (now - this.refilledAt) * rate);
      this.refilledAt = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.ceil((1 - this.tokens) / rate));
    }
  }
}
