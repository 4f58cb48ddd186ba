import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { BundleCreation, BundleStore, StoredBundle } from '../core/push/ports.js';
import { bareETag, isConditionalConflict, isForbidden, isNotFound, isPreconditionFailed } from './s3-client.js';

/** Attempts when S3 answers 409 ConditionalRequestConflict (another writer of the same key at that moment). */
const CONFLICT_ATTEMPTS = 3;

/**
 * Revision bundles in one S3 bucket. A revision name means one thing forever, so a bundle is only
 * ever created, never replaced: the write is conditional (If-None-Match: *), and S3 answers 412
 * when the key exists, even when another push created it a moment ago. The `sha256` metadata lets
 * a push of identical content see with one HeadObject that there is nothing to do.
 */
export class S3BundleStore implements BundleStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async describe(key: string): Promise<StoredBundle | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { sha256: head.Metadata?.sha256 ?? null, eTag: bareETag(head.ETag) };
    } catch (err) {
      // 403: without s3:ListBucket a missing key answers 403; the conditional create that follows settles it.
      if (isNotFound(err) || isForbidden(err)) return null;
      throw err;
    }
  }

  async read(key: string): Promise<Buffer | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return Buffer.from(await out.Body!.transformToByteArray());
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async create(key: string, data: Buffer, sha256: string): Promise<BundleCreation> {
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: data,
            IfNoneMatch: '*',
            ContentType: 'application/zip',
            ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
            Metadata: { sha256 },
          }),
        );
        return { created: true, eTag: bareETag(out.ETag) };
      } catch (err) {
        if (isPreconditionFailed(err)) return { created: false };
        if (isConditionalConflict(err) && attempt < CONFLICT_ATTEMPTS) continue;
        throw err;
      }
    }
  }
}
