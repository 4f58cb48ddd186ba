import type { Clock } from '../../src/core/deploy/clock.js';
import { PollPacer } from '../../src/core/deploy/poll-pacer.js';
import { seeded as seededRandom } from '../support/seeded-random.js';

/** Simulated time: sleeping moves the clock, nothing waits for real. */
function manualClock(): Clock & { t: number } {
  const c = { t: 0, now: () => c.t, sleep: async (ms: number) => void (c.t += Math.max(0, ms)) };
  return c;
}

/** The most calls in any window [t, t + 60 s). */
function busiestMinute(times: number[]): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 60_000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

test('fast right after a change, stretching to the cap while idle, fast again on a change', () => {
  const p = new PollPacer(manualClock());
  expect(p.nextDelayMs).toBe(1000);
  const idle: number[] = [];
  for (let i = 0; i < 8; i++) {
    p.polled(false);
    idle.push(Math.round(p.nextDelayMs));
  }
  expect(idle).toEqual([1200, 1440, 1728, 2074, 2488, 2500, 2500, 2500]);
  p.polled(true);
  expect(p.nextDelayMs).toBe(1000);
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

test('the call budget: never more than callsPerMinute calls in any 60-second window, whatever the loop asks', async () => {
  const random = seededRandom(9);
  for (const [callsPerMinute, burst] of [
    [45, 6],
    [10, 3],
    [100, 20],
  ] as const) {
    const clock = manualClock();
    const p = new PollPacer(clock, { callsPerMinute, burst });
    const times: number[] = [];
    // A greedy loop: bursts of 1–6 calls back to back, 0–300 ms apart, for 10 minutes.
    while (clock.t < 600_000) {
      const calls = 1 + Math.floor(random() * 6);
      for (let i = 0; i < calls; i++) {
        await p.take();
        times.push(clock.t);
      }
      await clock.sleep(Math.floor(random() * 300));
    }
    expect(busiestMinute(times)).toBeLessThanOrEqual(callsPerMinute);
    // …and it is the budget, not a slower pace: a greedy loop gets the burst and the refill rate (the
    // cap less the burst and the 2 calls kept for requests beyond their token, such as pages).
    expect(times.length).toBeGreaterThanOrEqual((callsPerMinute - burst - 2) * 10 + burst - 1);
  }
});

test('the loop’s own pace keeps it clear of the budget: rounds of 1–3 calls waiting nextDelayMs wait in take() for two calls’ refill at most', async () => {
  const random = seededRandom(4);
  const clock = manualClock();
  const p = new PollPacer(clock);
  const times: number[] = [];
  let longestStall = 0;
  while (clock.t < 900_000) {
    const calls = 1 + Math.floor(random() * 3);
    for (let i = 0; i < calls; i++) {
      const before = clock.t;
      await p.take();
      longestStall = Math.max(longestStall, clock.t - before);
      times.push(clock.t);
      await clock.sleep(100); // the call's own round trip
    }
    // Something changes on every other round: the cadence asks for its fastest pace half the time.
    p.polled(random() < 0.5);
    await clock.sleep(p.nextDelayMs);
  }
  // The wait plans for a round like the last one: a round of 3 after one of 1 can find the bucket
  // short by two calls, and waits for them (37 calls a minute refill).
  expect(longestStall).toBeLessThanOrEqual(Math.ceil((2 * 60_000) / 37));
  expect(busiestMinute(times)).toBeLessThanOrEqual(45);
  // It spends the budget rather than idling: over 15 minutes, close to the 37 a minute it refills.
  expect(times.length / 15).toBeGreaterThanOrEqual(34);
});

test('quiet stretches save calls for busy moments: a full bucket goes out back to back, then the pace is the refill', async () => {
  const clock = manualClock();
  const p = new PollPacer(clock);
  await clock.sleep(60_000);
  for (let i = 0; i < 6; i++) await p.take();
  expect(clock.t).toBe(60_000);
  p.polled(true);
  // One such round is a one-off (a deployment's first read): the next poll waits for one call's refill only.
  expect(p.nextDelayMs).toBe(Math.ceil(60_000 / 37));
  for (let i = 0; i < 6; i++) await p.take();
  p.polled(true);
  // Rounds like these (6 calls) wait until the bucket holds 6 again: 6 calls at 37 a minute.
  expect(p.nextDelayMs).toBe(Math.ceil((6 * 60_000) / 37));
  // A round of one call after a quiet minute: the cadence alone decides.
  await clock.sleep(60_000);
  await p.take();
  p.polled(true);
  expect(p.nextDelayMs).toBe(1000);
});

test('calls before polling begins (the pre-flight, the start) do not hold back the first polls, nor does a one-off large round', async () => {
  const clock = manualClock();
  const p = new PollPacer(clock);
  const oneCallsRefill = Math.ceil(60_000 / 37);
  // The pre-flight and StartExecution spend 5 of the bucket's 6 calls.
  for (let i = 0; i < 5; i++) await p.take();
  p.startPolling();
  await p.take(); // the first history read
  p.polled(true);
  // It waits for one call, not for a round of six.
  expect(p.nextDelayMs).toBeLessThanOrEqual(oneCallsRefill);
  // The deployment's first read (overview, every target, those in progress, their events) and a history read.
  await clock.sleep(p.nextDelayMs);
  for (let i = 0; i < 5; i++) await p.take();
  p.polled(true);
  // The rounds after it cost one or two calls: the next waits for one call's refill, not for five.
  expect(p.nextDelayMs).toBeLessThanOrEqual(oneCallsRefill);
  // Rounds of two, then: the wait is for two calls.
  await clock.sleep(p.nextDelayMs);
  for (let round = 0; round < 2; round++) {
    await p.take();
    await p.take();
    p.polled(true);
  }
  expect(p.nextDelayMs).toBeGreaterThan(oneCallsRefill);
  expect(p.nextDelayMs).toBeLessThanOrEqual(2 * oneCallsRefill);
});
