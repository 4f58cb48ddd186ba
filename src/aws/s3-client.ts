import { S3Client } from '@aws-sdk/client-s3';
import { hasErrorName, httpStatus } from '../core/sdk-errors.js';
import { HTTP_TIMEOUTS } from './http-timeouts.js';

/**
 * An S3 client with the default credential chain and region (opts.region wins when set).
 *
 * - The SDK itself takes the endpoint from AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL (tested against
 *   s3rver). When one of them is set we also force path-style addressing: S3-compatible servers
 *   (s3rver, MinIO, LocalStack) rarely resolve virtual-host bucket names like
 *   `bucket.127.0.0.1`.
 * - Checksums 'WHEN_REQUIRED': the object store sends an explicit x-amz-checksum-sha256 itself;
 *   the SDK default ('WHEN_SUPPORTED') would add a CRC32 and send stream bodies aws-chunked with
 *   a trailing checksum, which some S3-compatible servers store verbatim, framing included
 *   (docs/test-environment.md). Response validation is likewise left to our own SHA-256.
 */
export function createS3Client(opts: { region?: string } = {}, env: NodeJS.ProcessEnv = process.env): S3Client {
  return new S3Client({
    region: opts.region || undefined,
    forcePathStyle: customEndpointConfigured(env),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: HTTP_TIMEOUTS,
  });
}

/** Whether the SDK will use an endpoint from the environment instead of AWS's. */
export function customEndpointConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  // The SDK ignores both variables when this one is true.
  if ((env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() === 'true') return false;
  return Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
}

/** 404: HeadObject says NotFound (no body), GetObject NoSuchKey. */
export const isNotFound = (err: unknown): boolean => httpStatus(err) === 404 || hasErrorName(err, 'NotFound', 'NoSuchKey');

/** 403. Without s3:ListBucket, a missing key answers 403 rather than 404. */
export const isForbidden = (err: unknown): boolean => httpStatus(err) === 403 || hasErrorName(err, 'Forbidden', 'AccessDenied');

/** 412 to a conditional write (If-None-Match: *): the key already exists. */
export const isPreconditionFailed = (err: unknown): boolean => httpStatus(err) === 412 || hasErrorName(err, 'PreconditionFailed');

/** 409 ConditionalRequestConflict: a concurrent conditional write to the same key; retrying settles it. */
export const isConditionalConflict = (err: unknown): boolean => hasErrorName(err, 'ConditionalRequestConflict');

/**
 * S3 returns ETags quoted ("\"abc\""); CodeDeploy's S3Location.eTag wants the bare value, as
 * `aws deploy push` sends it (it strips the quotes).
 */
export const bareETag = (eTag: string | undefined): string | undefined => eTag?.replace(/"/g, '');
