import { HistoryReader } from '../../src/core/deploy/history-reader.js';
import type { HistoryEvent, StepFunctionsPort } from '../../src/core/deploy/ports.js';

/** GetExecutionHistory over an array, with the service's reverse paging. */
function historyPort(
  events: HistoryEvent[],
  calls: { reverseOrder: boolean; maxResults: number; nextToken?: string }[],
  fail = { n: 0 },
): StepFunctionsPort {
  return {
    startExecution: async () => ({ executionArn: '', startDate: new Date() }),
    describeExecution: async () => null,
    listRunningExecutions: async () => [],
    stopExecution: async () => undefined,
    async getHistoryPage(r) {
      calls.push({ reverseOrder: r.reverseOrder, maxResults: r.maxResults, nextToken: r.nextToken });
      if (fail.n > 0 && r.nextToken) {
        fail.n -= 1;
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      }
      const ordered = r.reverseOrder ? [...events].reverse() : events;
      const from = r.nextToken ? Number(r.nextToken) : undefined;
      const rest = from === undefined ? ordered : ordered.filter((e) => (r.reverseOrder ? e.id <= from : e.id >= from));
      const next = rest[r.maxResults];
      return { events: rest.slice(0, r.maxResults), nextToken: next ? String(next.id) : undefined };
    },
  };
}

const make = (from: number, to: number): HistoryEvent[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ id: from + i, type: 'PassStateEntered', timestamp: new Date(0) }));

test('the first read returns everything; later reads only new events, each in one small call', async () => {
  const events = make(1, 450);
  const calls: { reverseOrder: boolean; maxResults: number; nextToken?: string }[] = [];
  const reader = new HistoryReader(historyPort(events, calls), 'arn');
  const first = await reader.readNew();
  expect(first.map((e) => e.id)).toEqual(events.map((e) => e.id));
  expect(calls).toHaveLength(3);

  calls.length = 0;
  expect(await reader.readNew()).toEqual([]);
  expect(calls).toEqual([{ reverseOrder: true, maxResults: 25 }]);

  events.push(...make(451, 455));
  calls.length = 0;
  expect((await reader.readNew()).map((e) => e.id)).toEqual([451, 452, 453, 454, 455]);
  expect(calls).toHaveLength(1);

  events.push(...make(456, 520));
  calls.length = 0;
  expect((await reader.readNew()).map((e) => e.id)).toEqual(make(456, 520).map((e) => e.id));
  expect(calls).toHaveLength(3);

  // That read needed three pages: the next asks for a page that holds as many with room to spare.
  events.push(...make(521, 585));
  calls.length = 0;
  expect((await reader.readNew()).map((e) => e.id)).toEqual(make(521, 585).map((e) => e.id));
  expect(calls).toEqual([{ reverseOrder: true, maxResults: 100 }]);
});

test('a page failing half-way consumes nothing: the next read returns all the new events', async () => {
  const events = make(1, 10);
  const calls: { reverseOrder: boolean; maxResults: number; nextToken?: string }[] = [];
  const fail = { n: 0 };
  const reader = new HistoryReader(historyPort(events, calls, fail), 'arn');
  await reader.readNew();
  events.push(...make(11, 70));
  fail.n = 1;
  await expect(reader.readNew()).rejects.toThrow('Rate exceeded');
  expect((await reader.readNew()).map((e) => e.id)).toEqual(make(11, 70).map((e) => e.id));
});
