import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectPresencePort } from '../core/deploy/ports.js';
import { describeError } from '../core/sdk-errors.js';
import { isForbidden, isNotFound } from './s3-client.js';

/** Deploy's check that a revision's objects exist: one HeadObject each (authorised as s3:GetObject). */
export class S3ObjectPresence implements ObjectPresencePort {
  constructor(private readonly client: S3Client) {}

  async objectSize(bucket: string, key: string): Promise<number | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return head.ContentLength ?? null;
    } catch (err) {
      if (isNotFound(err)) return null;
      // 403 is "missing" only with s3:ListBucket missing too; never guess: say what to grant.
      const advice = isForbidden(err)
        ? ' Allow the role s3:GetObject on the objects (and s3:ListBucket on the bucket, so that a missing object answers 404).'
        : '';
      throw new Error(`Could not check s3://${bucket}/${key}: ${describeError(err)}.${advice}`, { cause: err });
    }
  }
}
