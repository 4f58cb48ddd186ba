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

/**
 * Test and benchmark hook: `ION_ACTIONS_TEST_CLOCK=<epochMs>:<scale>` replays scripted time. Not an
 * input on purpose: a workflow has no reason to set it.
 */
export const TEST_CLOCK_ENV = 'ION_ACTIONS_TEST_CLOCK';

export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): Clock {
  const value = env[TEST_CLOCK_ENV];
  if (!value) return systemClock;
  const m = /^(\d+):(\d+(?:\.\d+)?)$/.exec(value);
  if (!m) throw new Error(`${TEST_CLOCK_ENV} must be <epochMs>:<scale>, got ${JSON.stringify(value)}`);
  return scaledClock(Number(m[1]), Number(m[2]));
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
