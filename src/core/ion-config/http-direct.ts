import type { EdnNode } from '../edn/nodes.js';
import type { Checker } from './checker.js';
import type { HttpDirectConfig } from './types.js';

const KNOWN = [
  'handler-fn',
  'pending-ops-queue-length',
  'processing-concurrency',
  'pending-ops-exceeded-message',
  'pending-ops-exceeded-code',
] as const;
const POSITIVE = 'a positive integer';
const MAX = Number.MAX_SAFE_INTEGER;

/**
 * `:http-direct`; optional fields are present only when the config gives them. The result is
 * meaningful only when the checker reported no errors.
 */
export function checkHttpDirect(c: Checker, node: EdnNode): HttpDirectConfig | null {
  const map = c.map(node, ':http-direct', 'a map like {:handler-fn my.ns/handler}');
  if (!map) return null;
  const entries = c.keywordEntries(map, ':http-direct', KNOWN);
  const value = (key: (typeof KNOWN)[number]): EdnNode | undefined => entries.get(key)?.value;
  const what = (key: string): string => `:${key} of :http-direct`;

  const handlerNode = value('handler-fn');
  if (!handlerNode) c.error(map, ':http-direct has no :handler-fn; add :handler-fn my.ns/handler, the function that handles HTTP requests');
  const handlerFn = handlerNode ? c.qualifiedSymbol(handlerNode, what('handler-fn')) : null;

  const queue = value('pending-ops-queue-length');
  const concurrency = value('processing-concurrency');
  const message = value('pending-ops-exceeded-message');
  const code = value('pending-ops-exceeded-code');
  const pendingOpsQueueLength = queue && c.integer(queue, what('pending-ops-queue-length'), 1, MAX, POSITIVE);
  const processingConcurrency = concurrency && c.integer(concurrency, what('processing-concurrency'), 1, MAX, POSITIVE);
  const pendingOpsExceededMessage = message && c.string(message, what('pending-ops-exceeded-message'));
  const pendingOpsExceededCode =
    code && c.integer(code, what('pending-ops-exceeded-code'), 100, 599, 'an HTTP status code, an integer from 100 to 599');
  if (handlerFn === null) return null;
  return {
    handlerFn,
    ...(pendingOpsQueueLength != null && { pendingOpsQueueLength }),
    ...(processingConcurrency != null && { processingConcurrency }),
    ...(pendingOpsExceededMessage != null && { pendingOpsExceededMessage }),
    ...(pendingOpsExceededCode != null && { pendingOpsExceededCode }),
  };
}
