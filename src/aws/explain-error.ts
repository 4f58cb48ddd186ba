import type { S3Client } from '@aws-sdk/client-s3';
import { describeError, errorMessage, errorName, hasErrorName, httpStatus } from '../core/sdk-errors.js';

/** True when the default credential chain yields credentials (false on a fork's pull request). */
export async function hasCredentials(client: S3Client): Promise<boolean> {
  try {
    const creds = await client.config.credentials();
    return Boolean(creds?.accessKeyId);
  } catch {
    return false;
  }
}

/**
 * Turns an AWS SDK error into a message that says what to do next. Plain text: the message may
 * carry AWS's words, so the action prints it through inert() (src/github/inert-text.ts).
 */
export function explainAwsError(err: unknown): string {
  const message = errorMessage(err);
  const status = httpStatus(err);
  if (/Region is missing/i.test(message)) return "No AWS region: set the `region` input or configure-aws-credentials' aws-region.";
  if (hasErrorName(err, 'CredentialsProviderError') || /Could not load credentials/i.test(message)) {
    return 'No usable AWS credentials: add aws-actions/configure-aws-credentials before this step.';
  }
  if (hasErrorName(err, 'AccessDenied', 'AccessDeniedException') || status === 403) {
    return `AWS denied access (${describeError(err)}). Give the workflow's role the permissions listed in docs/infra.md.`;
  }
  if (hasErrorName(err, 'NoSuchBucket')) return `${describeError(err)}: check the \`bucket\` input and the region.`;
  if (status !== undefined) return describeError(err);
  // Not from AWS: most likely a bug of ours, so keep the stack for the report.
  return (err as Error | undefined)?.stack ?? `${errorName(err)}: ${message}`;
}
