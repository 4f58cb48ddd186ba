import type { S3Client } from '@aws-sdk/client-s3';
import { describeError } from '../core/sdk-errors.js';

/** True when the default credential chain yields credentials (false on a fork's pull request). */
export async function hasCredentials(client: S3Client): Promise<boolean> {
  try {
    const creds = await client.config.credentials();
    return Boolean(creds?.accessKeyId);
  } catch {
    return false;
  }
}

/** Turns an AWS SDK error into a message that says what to do next. */
export function explainAwsError(err: unknown): string {
  const e = err as Error & { $metadata?: { httpStatusCode?: number }; Code?: string };
  const name = e?.name ?? 'Error';
  const message = e?.message ?? String(err);
  const status = e?.$metadata?.httpStatusCode;
  if (/Region is missing/i.test(message)) return 'No AWS region: set the `region` input or configure-aws-credentials\' aws-region.';
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return 'No usable AWS credentials: add aws-actions/configure-aws-credentials before this step.';
  }
  if (name === 'AccessDenied' || name === 'AccessDeniedException' || status === 403) {
    return `AWS denied access (${name}: ${message}). Give the workflow's role the permissions listed in docs/infra.md.`;
  }
  if (name === 'NoSuchBucket') return `${message}: check the \`bucket\` input and the region.`;
  if (status !== undefined) return describeError(err);
  // Not from AWS: most likely a bug of ours, so keep the stack for the report.
  return e?.stack ?? `${name}: ${message}`;
}
