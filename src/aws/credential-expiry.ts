/**
 * How long the AWS credentials the SDK resolved will last, as far as it can be told. Credentials that
 * come from a role (web identity, SSO, a profile's assumed role, the container or instance metadata
 * service) carry `expiration`; environment credentials carry it only when AWS_CREDENTIAL_EXPIRATION is
 * set, which configure-aws-credentials does not do (it exports the key, the secret and the session
 * token). A session token without an expiry is a session of unknown length.
 */
export interface CredentialLifetime {
  /** When the credentials stop working, if the provider said. */
  expiration?: Date;
  /** Temporary credentials (a session token): they end, even when nobody said when. */
  session: boolean;
}

interface HasCredentials {
  config: { credentials: () => Promise<{ sessionToken?: string; expiration?: Date } | undefined> };
}

/** null when no credentials could be resolved (the caller reports that on its own). */
export async function credentialLifetime(client: HasCredentials): Promise<CredentialLifetime | null> {
  try {
    const creds = await client.config.credentials();
    if (!creds) return null;
    return { expiration: creds.expiration, session: Boolean(creds.sessionToken) || creds.expiration !== undefined };
  } catch {
    return null;
  }
}
