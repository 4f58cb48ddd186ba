/**
 * Time as the deploy sees it. Everything that waits or measures goes through a Clock so tests and the
 * benchmark can replay a 20-minute deploy in seconds (a scaled clock) without asserting wall-clock times.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/**
 * A clock running `scale` times faster than real time from `epoch` on. Two processes given the same
 * epoch and scale agree on the time, which is how the fake AWS servers and the action share a script.
 */
export function scaledClock(epoch: number, scale: number): Clock {
  return {
    now: () => epoch + (Date.now() - epoch) * scale,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms) / scale)),
  };
}

/** Where a harness that starts the built action puts another clock (local-cloud/scaled-clock.mjs). */
export const CLOCK_SLOT = Symbol.for('ion-actions.clock');

/**
 * The clock the action runs on: the system's, unless the process was started with a clock already in
 * CLOCK_SLOT (the tests and the benchmark preload a scaled one). Not an input nor a variable on purpose:
 * nothing a workflow sets can change the action's sense of time.
 */
export function injectedClock(): Clock {
  const slot = (globalThis as { [CLOCK_SLOT]?: Clock })[CLOCK_SLOT];
  return slot ?? systemClock;
}

/** `[mm:ss]` (or `[h:mm:ss]`) elapsed since `from`. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** A human duration: `850ms`, `4.2s`, `3m 05s`, `1h 02m`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const totalS = Math.round(ms / 1000);
  if (totalS < 3600) return `${Math.floor(totalS / 60)}m ${String(totalS % 60).padStart(2, '0')}s`;
  return `${Math.floor(totalS / 3600)}h ${String(Math.floor((totalS % 3600) / 60)).padStart(2, '0')}m`;
}
