/**
 * Which AWS failures are worth waiting out. The SDK already retries these a few times; when it gives
 * up, the deploy slows down and keeps following rather than abandoning a deploy that is still running.
 */
import { errorName, httpStatus, type SdkErrorShape } from '../sdk-errors.js';

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

export function isThrottling(err: unknown): boolean {
  const e = err as SdkErrorShape | undefined;
  return THROTTLING.has(errorName(err)) || httpStatus(err) === 429 || e?.$retryable?.throttling === true;
}

/** Throttling, 5xx, or the network dropping: wait and try again. */
export function isTransient(err: unknown): boolean {
  if (isThrottling(err)) return true;
  const status = httpStatus(err);
  if (status !== undefined && status >= 500) return true;
  const e = err as SdkErrorShape | undefined;
  return NETWORK.has(errorName(err)) || NETWORK.has(e?.code ?? '');
}
