import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { BundlePort } from '../core/deploy/ports.js';
import { bareETag, isNotFound } from './s3-client.js';

/** Downloads revision bundles (small: ion-manifest.json and the instance hooks) to read their manifest. */
export class S3BundleDownload implements BundlePort {
  constructor(private readonly client: S3Client) {}

  async getBundle(bucket: string, key: string): Promise<{ bytes: Buffer; eTag?: string } | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = Buffer.from(await out.Body!.transformToByteArray());
      return { bytes, eTag: bareETag(out.ETag) };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }
}
