/**
 * Preloaded into a built deploy action (`node --import`) by runAction and bench/deploy.ts when the
 * harness gives `ION_ACTIONS_TEST_CLOCK=<epochMs>:<scale>`: installs a clock running `scale` times
 * faster than real time from `epochMs`, the clock the local test servers replay their scripts on.
 * The action itself reads no variable for it: it only takes a clock put where injectedClock()
 * (src/core/deploy/clock.ts) looks, so nothing a workflow sets can change its sense of time.
 * Plain JavaScript because the action runs without a TypeScript loader; the arithmetic is
 * scaledClock's (src/core/deploy/clock.ts).
 */
const value = process.env.ION_ACTIONS_TEST_CLOCK ?? '';
const m = /^(\d+):(\d+(?:\.\d+)?)$/.exec(value);
if (!m) throw new Error(`ION_ACTIONS_TEST_CLOCK must be <epochMs>:<scale>, got ${JSON.stringify(value)}`);
const epoch = Number(m[1]);
const scale = Number(m[2]);
globalThis[Symbol.for('ion-actions.clock')] = {
  now: () => epoch + (Date.now() - epoch) * scale,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms) / scale)),
};
