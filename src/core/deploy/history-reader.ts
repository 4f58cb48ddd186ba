import type { HistoryEvent, StepFunctionsPort } from './ports.js';

/**
 * Reads only the events added since the last read. GetExecutionHistory cannot start after a given
 * event, so each read pages backwards from the newest event (reverseOrder) and stops at the first
 * event already seen: an idle poll costs one small call whatever the history's length.
 */
export class HistoryReader {
  private lastId = 0;

  constructor(
    private readonly sfn: StepFunctionsPort,
    private readonly executionArn: string,
    /** Page size: small, since a poll usually finds a handful of new events. */
    private readonly pageSize = 25,
  ) {}

  /** New events, oldest first. If a page fails, nothing is consumed and the next read starts over. */
  async readNew(): Promise<HistoryEvent[]> {
    const fresh: HistoryEvent[] = [];
    let nextToken: string | undefined;
    // The first read may be a long history (following an execution that ran for a while): bigger pages.
    const maxResults = this.lastId === 0 ? 200 : this.pageSize;
    pages: do {
      const page = await this.sfn.getHistoryPage({ executionArn: this.executionArn, reverseOrder: true, maxResults, nextToken });
      for (const event of page.events) {
        if (event.id <= this.lastId) break pages;
        fresh.push(event);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    fresh.reverse();
    const newest = fresh[fresh.length - 1];
    if (newest) this.lastId = newest.id;
    return fresh;
  }
}
