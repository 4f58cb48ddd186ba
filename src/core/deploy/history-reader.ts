import type { HistoryEvent, StepFunctionsPort } from './ports.js';

/**
 * Reads only the events added since the last read. GetExecutionHistory cannot start after a given
 * event, so each read pages backwards from the newest event (reverseOrder) and stops at the first
 * event already seen: an idle poll costs one small call whatever the history's length.
 */
/** The largest page a later read asks for (the API allows 1000; events carry their state's data). */
const MAX_PAGE = 100;

export class HistoryReader {
  private lastId = 0;
  private nextPageSize: number;

  constructor(
    private readonly sfn: StepFunctionsPort,
    private readonly executionArn: string,
    /** Page size: small, since a poll usually finds a handful of new events. */
    private readonly pageSize = 25,
  ) {
    this.nextPageSize = pageSize;
  }

  /** New events, oldest first. If a page fails, nothing is consumed and the next read starts over. */
  async readNew(): Promise<HistoryEvent[]> {
    const fresh: HistoryEvent[] = [];
    let nextToken: string | undefined;
    // The first read may be a long history (following an execution that ran for a while): bigger pages.
    // Later reads ask for a page that holds what the previous one found with room to spare, so a read
    // spaced out during a deployment (the wait loop adds ~25 events in 30 s) is one call, not two.
    const first = this.lastId === 0;
    const maxResults = first ? 200 : this.nextPageSize;
    pages: do {
      const page = await this.sfn.getHistoryPage({ executionArn: this.executionArn, reverseOrder: true, maxResults, nextToken });
      for (const event of page.events) {
        if (event.id <= this.lastId) break pages;
        fresh.push(event);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    fresh.reverse();
    // (The first read's catch-up says nothing about how fast events come.)
    if (!first) this.nextPageSize = Math.min(MAX_PAGE, Math.max(this.pageSize, Math.ceil(fresh.length * 1.5) + 5));
    const newest = fresh[fresh.length - 1];
    if (newest) this.lastId = newest.id;
    return fresh;
  }
}
