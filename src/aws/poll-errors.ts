import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { PollFailure } from '../core/deploy/ports.js';
import { describeError, errorName, httpStatus, type SdkErrorShape } from '../core/sdk-errors.js';

/**
 * What a failed read-only poll (GetExecutionHistory, DescribeExecution, GetDeployment, …) means for the
 * deploy, told from the SDK's error. The SDK has already retried what it retries (3 attempts); this
 * decides whether the deploy waits and polls again, ends because the credentials expired, or stops.
 *
 * The SDK's own classifiers (@smithy/core/retry, the code behind its retry strategy) decide throttling
 * and transient errors: throttling codes and 429, 500/502/503/504, timeouts, ECONNRESET, ECONNREFUSED,
 * EPIPE, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH, ENOTFOUND, EAI_AGAIN. What they leave out and a poll can
 * safely wait out is added here: any other 5xx, ECONNABORTED and EPROTO (a proxy or TLS middlebox
 * cutting in), and an answer the SDK could not parse (a truncated or HTML `200`: the SDK throws a
 * SyntaxError carrying the response's `$metadata` and does not retry it). A read-only call can always
 * be repeated, so none of these is a reason to abandon a deploy that is still running.
 */
const MORE_NETWORK_CODES = new Set(['ECONNABORTED', 'EPROTO', 'ECONNRESET', 'EPIPE']);

/** The token or the signature's credentials ran out: waiting does not help, fresh credentials do. */
const EXPIRED_CREDENTIALS = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']);

export function classifyPollError(err: unknown): PollFailure {
  const name = errorName(err);
  if (EXPIRED_CREDENTIALS.has(name)) return { kind: 'credentials-expired', description: describeError(err) };
  if (isGarbledAnswer(err)) {
    return {
      kind: 'transient',
      description: `an answer that is not valid JSON (HTTP ${httpStatus(err) ?? '?'}): ${firstLine((err as Error).message)}`,
    };
  }
  // The SDK's classifiers take its own error type; they read only name, code, $metadata and $retryable.
  const sdkError = err as Parameters<typeof isTransientError>[0];
  if (err !== null && typeof err === 'object') {
    if (isThrottlingError(sdkError)) return { kind: 'throttled', description: describeError(err) };
    if (isTransientError(sdkError)) return { kind: 'transient', description: describeError(err) };
  }
  const status = httpStatus(err);
  if (status !== undefined && status >= 500) return { kind: 'transient', description: describeError(err) };
  if (isNetworkDrop(err)) return { kind: 'transient', description: describeError(err) };
  return { kind: 'fatal', description: describeError(err) };
}

/** A response arrived but could not be read as the protocol's JSON: the SDK's deserializer threw. */
function isGarbledAnswer(err: unknown): boolean {
  const e = err as (SdkErrorShape & { $response?: unknown }) | undefined;
  if (!e || typeof e !== 'object') return false;
  const fromResponse = e.$metadata !== undefined || e.$response !== undefined;
  return fromResponse && (e.name === 'SyntaxError' || /Deserialization error/i.test(e.message ?? ''));
}

/** Node's socket errors, also when wrapped in an error's `cause` ("socket hang up" is ECONNRESET). */
function isNetworkDrop(err: unknown, depth = 0): boolean {
  const e = err as (SdkErrorShape & { cause?: unknown }) | undefined;
  if (!e || typeof e !== 'object' || depth > 5) return false;
  if (MORE_NETWORK_CODES.has(e.code ?? '') || /socket hang up/i.test(e.message ?? '')) return true;
  return isNetworkDrop(e.cause, depth + 1);
}

const firstLine = (text: string | undefined): string => (text ?? '').split('\n')[0]!.trim();
