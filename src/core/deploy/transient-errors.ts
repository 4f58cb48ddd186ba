/**
 * Which AWS failures are worth waiting out. The SDK already retries these a few times; when it gives
 * up, the deploy slows down and keeps following rather than abandoning a deploy that is still running.
 */
interface ErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'SlowDown',
]);

const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

export const errorName = (err: unknown): string => {
  const e = err as ErrorShape | undefined;
  return e?.name ?? e?.code ?? 'Error';
};

export const httpStatus = (err: unknown): number | undefined => (err as ErrorShape | undefined)?.$metadata?.httpStatusCode;

export function isThrottling(err: unknown): boolean {
  const e = err as ErrorShape | undefined;
  return THROTTLING.has(errorName(err)) || httpStatus(err) === 429 || e?.$retryable?.throttling === true;
}

/** Throttling, 5xx, or the network dropping: wait and try again. */
export function isTransient(err: unknown): boolean {
  if (isThrottling(err)) return true;
  const status = httpStatus(err);
  if (status !== undefined && status >= 500) return true;
  const e = err as ErrorShape | undefined;
  return NETWORK.has(errorName(err)) || NETWORK.has(e?.code ?? '');
}

/** `Name (HTTP nnn): message` in one line. */
export function describeError(err: unknown): string {
  const name = errorName(err);
  const status = httpStatus(err);
  const message = ((err as ErrorShape | undefined)?.message ?? String(err)).replace(/\s+/g, ' ').trim();
  const head = status === undefined ? name : `${name} (HTTP ${status})`;
  return message && message !== name ? `${head}: ${message}` : head;
}
