import type { Clock } from '../../src/core/deploy/clock.js';
import { PollPacer } from '../../src/core/deploy/poll-pacer.js';

function manualClock(): Clock & { t: number } {
  const c = { t: 0, now: () => c.t, sleep: async (ms: number) => void (c.t += ms) };
  return c;
}

test('fast while things change, stretching to the cap when idle, fast again on a change', () => {
  const p = new PollPacer(manualClock());
  expect(p.nextDelayMs).toBe(2000);
  const idle: number[] = [];
  for (let i = 0; i < 8; i++) {
    p.polled(false);
    idle.push(p.nextDelayMs);
  }
  expect(idle).toEqual([3000, 4500, 6750, 10000, 10000, 10000, 10000, 10000]);
  p.polled(true);
  expect(p.nextDelayMs).toBe(2000);
});

test('throttled: at least 5 s, doubling to 30 s, with ±25% jitter', () => {
  const low = new PollPacer(manualClock(), {}, () => 0);
  const high = new PollPacer(manualClock(), {}, () => 0.999);
  expect(low.throttledPoll()).toBe(3750);
  expect(high.throttledPoll()).toBeCloseTo(6250, -1);
  for (let i = 0; i < 10; i++) high.throttledPoll();
  expect(high.nextDelayMs).toBeLessThanOrEqual(30_000 * 1.25);
  expect(high.throttled).toBe(true);
  high.polled(false);
  expect(high.throttled).toBe(false);
});

test('the call budget holds any loop under callsPerMinute (plus the burst) per minute', async () => {
  const clock = manualClock();
  const p = new PollPacer(clock, { callsPerMinute: 45, burst: 10 });
  const times: number[] = [];
  // A loop that asks for a call every 100 ms for 10 minutes.
  while (clock.t < 600_000) {
    await p.take();
    times.push(clock.t);
    await clock.sleep(100);
  }
  for (let start = 0; start < 540_000; start += 30_000) {
    const inWindow = times.filter((t) => t >= start && t < start + 60_000).length;
    expect(inWindow).toBeLessThanOrEqual(45 + 10);
  }
  expect(times.length / 10).toBeGreaterThan(44);
});
