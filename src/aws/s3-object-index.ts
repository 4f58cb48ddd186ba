import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectIndexStore, StoredIndex } from '../core/content/object-index.js';
import { describeError } from '../core/sdk-errors.js';
import { isForbidden, isNotFound } from './s3-client.js';

/**
 * The object index (src/core/content/object-index.ts) as one plain S3 object: read with GetObject,
 * replaced with PutObject (unconditional: the last push to finish wins, which is safe because every
 * version lists only objects that exist).
 */
export class S3ObjectIndex implements ObjectIndexStore {
  /** Requests sent, for the tests' and the benchmark's request counts. */
  readonly requests = { get: 0, put: 0 };

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async read(key: string, maxBytes: number): Promise<StoredIndex> {
    this.requests.get += 1;
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (out.ContentLength !== undefined && out.ContentLength > maxBytes) {
        // Not read: the body is dropped with its connection.
        (out.Body as { destroy?: () => void } | undefined)?.destroy?.();
        return { tooLarge: out.ContentLength };
      }
      const data = Buffer.from(await out.Body!.transformToByteArray());
      return data.length > maxBytes ? { tooLarge: data.length } : { data };
    } catch (err) {
      // 403: without s3:ListBucket a missing key answers 403; either way there is nothing to trust.
      if (isNotFound(err) || isForbidden(err)) return null;
      throw new Error(`GetObject s3://${this.bucket}/${key}: ${describeError(err)}`, { cause: err });
    }
  }

  async write(key: string, data: Buffer): Promise<void> {
    this.requests.put += 1;
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: data, ContentLength: data.length, ContentType: 'application/json' }),
      );
    } catch (err) {
      throw new Error(`PutObject s3://${this.bucket}/${key}: ${describeError(err)}`, { cause: err });
    }
  }
}
