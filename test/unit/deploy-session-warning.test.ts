import { credentialLifetime } from '../../src/aws/credential-expiry.js';
import { sessionWarning } from '../../src/deploy/session-warning.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const min = 60_000;

test('credentials with a known expiry: a warning when the wait (plus 5 minutes to stop) outlasts them', () => {
  const expiration = new Date(NOW + 40 * min);
  expect(sessionWarning({ expiration, session: true }, 30 * min, NOW)).toBeUndefined();
  const warning = sessionWarning({ expiration, session: true }, 36 * min, NOW);
  expect(warning).toMatch(
    /^The AWS credentials expire in 40m 00s \(2026-01-01T12:40:00\.000Z\), before timeout-minutes \(36m 00s\) could pass/,
  );
  expect(warning).toContain('role-duration-seconds to at least 2460 ');
});

test("a session of unknown length is taken as configure-aws-credentials' 1 hour", () => {
  expect(sessionWarning({ session: true }, 55 * min, NOW)).toBeUndefined();
  expect(sessionWarning({ session: true }, 56 * min, NOW)).toMatch(
    /^The AWS credentials are a session \(AWS_SESSION_TOKEN\) whose expiry the action cannot see/,
  );
});

test('long-lived keys, or no credentials: no warning', () => {
  expect(sessionWarning({ session: false }, 24 * 60 * min, NOW)).toBeUndefined();
  expect(sessionWarning(null, 24 * 60 * min, NOW)).toBeUndefined();
});

test('the lifetime comes from the resolved credentials', async () => {
  const expiration = new Date(NOW);
  const client = (creds: unknown) => ({ config: { credentials: async () => creds as never } });
  expect(await credentialLifetime(client({ accessKeyId: 'a', sessionToken: 't' }))).toEqual({ expiration: undefined, session: true });
  expect(await credentialLifetime(client({ accessKeyId: 'a', expiration }))).toEqual({ expiration, session: true });
  expect(await credentialLifetime(client({ accessKeyId: 'a' }))).toEqual({ expiration: undefined, session: false });
  expect(await credentialLifetime({ config: { credentials: async () => Promise.reject(new Error('none')) } })).toBeNull();
});
