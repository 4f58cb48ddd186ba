/**
 * Every AWS client's HTTP timeouts. The SDK sets none by default, so an answer that never comes (a
 * black-holed connection, a stalled upload) would hang the step until the job's limit: the SDK's
 * retries only start once a request has failed. The socket timeout is an idle timeout, so a large
 * upload that keeps sending is never cut; a silent connection fails, and the SDK retries it.
 */
export const HTTP_TIMEOUTS = {
  /** Milliseconds to establish a connection. */
  connectionTimeout: 10_000,
  /** Milliseconds a socket may stay silent (no bytes either way) before the request fails. */
  socketTimeout: 60_000,
} as const;
