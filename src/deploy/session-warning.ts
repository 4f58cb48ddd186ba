import type { CredentialLifetime } from '../aws/credential-expiry.js';
import { formatDuration } from '../core/deploy/clock.js';

/**
 * configure-aws-credentials' sessions last 1 hour unless `role-duration-seconds` says otherwise, and
 * it cannot refresh OIDC credentials while a later step runs; `timeout-minutes` accepts days. When the
 * credentials can run out before the wait ends, following (and stopping on timeout) would fail half-way:
 * say so before anything starts.
 */
export const ASSUMED_SESSION_MS = 60 * 60_000;

/** Room for the stop on timeout (and the post step) after the wait itself. */
const MARGIN_MS = 5 * 60_000;

/** The warning to print, or undefined when the credentials outlast the wait (or are long-lived keys). */
export function sessionWarning(lifetime: CredentialLifetime | null, waitMs: number, nowMs: number): string | undefined {
  if (!lifetime?.session) return undefined;
  const needed = waitMs + MARGIN_MS;
  const atLeast = `set configure-aws-credentials' role-duration-seconds to at least ${Math.ceil(needed / 60_000) * 60} (the role's maximum session duration must allow it), or lower timeout-minutes`;
  if (lifetime.expiration) {
    const leftMs = lifetime.expiration.getTime() - nowMs;
    if (leftMs >= needed) return undefined;
    return `The AWS credentials expire in ${formatDuration(Math.max(0, leftMs))} (${lifetime.expiration.toISOString()}), before timeout-minutes (${formatDuration(waitMs)}) could pass: a deploy still running then can no longer be followed or stopped from this step. To wait that long, ${atLeast}.`;
  }
  if (needed <= ASSUMED_SESSION_MS) return undefined;
  return `The AWS credentials are a session (AWS_SESSION_TOKEN) whose expiry the action cannot see; configure-aws-credentials' sessions last 1 hour unless role-duration-seconds says otherwise, shorter than timeout-minutes (${formatDuration(waitMs)}). If the session is that short, ${atLeast}. To let the action check, export AWS_CREDENTIAL_EXPIRATION (configure-aws-credentials' aws-expiration output, with output-credentials: true).`;
}
