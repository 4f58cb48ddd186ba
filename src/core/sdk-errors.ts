/**
 * Reading AWS SDK errors without depending on the SDK: the shape its service and network errors share.
 * Used by the AWS adapters (messages that say what to do) and by the deploy core (what to wait out).
 */
export interface SdkErrorShape {
  name?: string;
  /** Node's network errors (ECONNRESET, …). */
  code?: string;
  /** Some S3 errors carry the service's code here instead of in `name`. */
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

export const errorName = (err: unknown): string => {
  const e = err as SdkErrorShape | undefined;
  return e?.name ?? e?.code ?? e?.Code ?? 'Error';
};

/** Whether the error is one of these service errors (by name, or by the code some S3 errors carry instead). */
export const hasErrorName = (err: unknown, ...names: string[]): boolean => {
  const e = err as SdkErrorShape | undefined;
  return names.some((n) => e?.name === n || e?.Code === n || e?.code === n);
};

/** The error's message, or its text when it is not an Error. */
export const errorMessage = (err: unknown): string => (err as SdkErrorShape | undefined)?.message ?? String(err);

/** The HTTP status an SDK error carries, if any. */
export const httpStatus = (err: unknown): number | undefined => (err as SdkErrorShape | undefined)?.$metadata?.httpStatusCode;

/** `Name (HTTP nnn): message` in one line, for messages that then say what to do next. */
export function describeError(err: unknown): string {
  const name = errorName(err);
  const status = httpStatus(err);
  const message = errorMessage(err).replace(/\s+/g, ' ').trim();
  const head = status === undefined ? name : `${name} (HTTP ${status})`;
  // Errors without a body (HeadObject's) have only the status name, or UnknownError, as their message.
  return message && message !== name && message !== 'UnknownError' ? `${head}: ${message}` : head;
}
