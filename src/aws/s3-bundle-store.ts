import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { bareETag, isForbidden, isNotFound } from './s3-client.js';

/**
 * Revision bundles are named by revision, not content (a uname can be pushed again with new code),
 * so unlike content-addressed objects they may be overwritten; the sha256 metadata lets a push of
 * identical content skip the upload.
 */
export interface BundleStore {
  /** The stored bundle's sha256 metadata and ETag, or null when there is none. */
  describe(key: string): Promise<{ sha256: string | null; eTag: string | undefined } | null>;
  /** Stores the bundle and returns its ETag (CodeDeploy pins the registered revision to it). */
  put(key: string, data: Buffer, sha256: string): Promise<string | undefined>;
}

export class S3BundleStore implements BundleStore {
  constructor(private readonly client: S3Client, private readonly bucket: string) {}

  async describe(key: string) {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { sha256: head.Metadata?.sha256 ?? null, eTag: bareETag(head.ETag) };
    } catch (err) {
      // 403: without s3:ListBucket a missing key answers 403; the put that follows settles it.
      if (isNotFound(err) || isForbidden(err)) return null;
      throw err;
    }
  }

  async put(key: string, data: Buffer, sha256: string): Promise<string | undefined> {
    const out = await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: data,
        ContentType: 'application/zip',
        ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
        Metadata: { sha256 },
      }),
    );
    return bareETag(out.ETag);
  }
}
