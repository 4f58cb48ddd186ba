import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, pipeline, type Readable } from 'node:stream';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ContentObject } from '../core/content/objects.js';
import type { ObjectStore } from '../core/content/sync.js';
import { sha256Hex } from '../core/content/hash.js';
import { openRegularFileSync, readRegularFileSync } from '../core/content/safe-tree.js';
import { describeError, httpStatus } from '../core/sdk-errors.js';
import { BodyBufferPool } from './body-buffer-pool.js';
import { isConditionalConflict, isForbidden, isNotFound, isPreconditionFailed } from './s3-client.js';

export interface S3ObjectStoreOptions {
  /** Objects larger than this go up as multipart uploads; default 16 MiB. */
  multipartThresholdBytes?: number;
  /** Multipart part size; default 8 MiB, at least 5 MiB (S3's minimum). */
  partSizeBytes?: number;
}

const MiB = 1024 * 1024;
const MIN_PART_SIZE = 5 * MiB;
const MAX_PARTS = 10_000;
/** Parts in flight per multipart upload; each is buffered, so memory is about queueSize × partSize. */
const QUEUE_SIZE = 4;
/** Attempts when S3 answers 409 ConditionalRequestConflict (another writer of the same key). */
const CONFLICT_ATTEMPTS = 3;

/**
 * Content-addressed objects in one S3 bucket. Keys carry the SHA-256, so an existing object is
 * never rewritten: writes are conditional (If-None-Match: *), and a 412 (the key exists) is checked
 * with a HeadObject before it is taken for the same bytes.
 */
export class S3ObjectStore implements ObjectStore {
  /** Requests sent: HeadObject, PutObject (single-part), multipart uploads (one per object). */
  readonly requests = { head: 0, put: 0, multipart: 0 };
  /** Body bytes of uploads S3 answered (stored, or refused with 412 because they already existed). */
  bytesSent = 0;

  /** Keys found holding other content than their name says: the next put replaces them (no If-None-Match). */
  private readonly wrongContent = new Set<string>();
  private readonly threshold: number;
  /** Bodies of single-part uploads read from files (see body-buffer-pool.ts). */
  private readonly buffers = new BodyBufferPool();
  private readonly partSize: number;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    opts: S3ObjectStoreOptions = {},
  ) {
    this.threshold = opts.multipartThresholdBytes ?? 16 * MiB;
    this.partSize = opts.partSizeBytes ?? 8 * MiB;
    if (this.partSize < MIN_PART_SIZE)
      throw new Error(`partSizeBytes must be at least ${MIN_PART_SIZE} (S3's minimum part size), got ${this.partSize}`);
  }

  async exists(key: string, expected?: { size: number; sha256: string }): Promise<boolean> {
    this.requests.head += 1;
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      // A content key names its bytes: an object of another size or recorded SHA-256 under it is
      // not that content (a partial or foreign write). Report it missing; put() then replaces it.
      const recorded = head.Metadata?.sha256;
      if (expected && (head.ContentLength !== expected.size || (recorded !== undefined && recorded !== expected.sha256))) {
        this.wrongContent.add(key);
        return false;
      }
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      // Without s3:ListBucket a missing key answers 403. Treat it as missing: the conditional put
      // that follows either stores it or gets 412 (it existed), and a real permission problem
      // then fails the put with a clear error.
      if (isForbidden(err)) return false;
      throw new Error(
        `Could not check s3://${this.bucket}/${key}: ${describeError(err)}. ` +
          `Check that the credentials allow s3:GetObject on the bucket and that the configured region is the bucket's region.`,
        { cause: err },
      );
    }
  }

  /**
   * A create-only write (If-None-Match: *), with no HeadObject before it: a first push costs one
   * round trip per object. When S3 answers 412 (the key exists) the object is checked with one
   * HeadObject: the right size and recorded SHA-256 → 'present'; anything else (a partial or
   * foreign write) is replaced by an unconditional write of the right bytes.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: the port's type (src/core/content/sync.ts)
  async put(object: ContentObject): Promise<'present' | void> {
    try {
      if (await this.write(object)) return;
      if (await this.exists(object.key, object)) return 'present';
      // exists() marked the key as holding wrong content: this write is unconditional.
      if (!(await this.write(object))) throw new Error(`S3 refused to replace the wrong content under ${object.key} (412)`);
    } catch (err) {
      if (err instanceof ContentChangedError) throw err;
      const where = `Could not upload ${describeSource(object)} to s3://${this.bucket}/${object.key}`;
      // Errors without an HTTP status did not come from S3 (a read failure, a network error).
      const status = httpStatus(err);
      const advice =
        status === undefined
          ? ''
          : status >= 500
            ? " S3 failed on its side, even after the SDK's retries; that is usually transient."
            : (err as Error).name === 'NoSuchBucket'
              ? " Check the bucket name and that the configured region is the bucket's."
              : " Check that the credentials allow s3:PutObject on the bucket (and kms:GenerateDataKey if it is encrypted with a KMS key) and that the configured region is the bucket's.";
      throw new Error(`${where}: ${describeError(err)}.${advice}`, { cause: err });
    }
  }

  /** If-None-Match for a write: create-only, unless the key holds wrong content that must be replaced. */
  private createOnly(key: string): '*' | undefined {
    return this.wrongContent.has(key) ? undefined : '*';
  }

  /** True when S3 stored it; false when a create-only write found the key taken (412). */
  private write(object: ContentObject): Promise<boolean> {
    return object.size <= this.threshold ? this.putSingle(object) : this.putMultipart(object);
  }

  private async putSingle(object: ContentObject): Promise<boolean> {
    // A Buffer, not a stream: stream bodies can go out aws-chunked, which some S3-compatible
    // servers store with the chunk framing (docs/test-environment.md).
    const { data, pooled } =
      'data' in object.body
        ? { data: object.body.data, pooled: undefined }
        : readBodySync(object.body.path, this.threshold + 1, this.buffers);
    // The one SHA-256 of these bytes in the upload: it proves they are the hashed content, and it is
    // the payload hash SigV4 signs (withPayloadHash), which the SDK would otherwise compute again.
    verifyContent(object, data.length, sha256Hex(data));
    for (let attempt = 1; ; attempt += 1) {
      this.requests.put += 1;
      try {
        const command = new PutObjectCommand({
          Bucket: this.bucket,
          Key: object.key,
          Body: data,
          ContentLength: data.length,
          ContentType: contentTypeOf(object.key),
          // S3 recomputes the SHA-256 and rejects the upload (BadDigest) if the bytes differ.
          ChecksumSHA256: Buffer.from(object.sha256, 'hex').toString('base64'),
          IfNoneMatch: this.createOnly(object.key),
          Metadata: { sha256: object.sha256 },
        });
        await this.client.send(withPayloadHash(command, object.sha256));
        this.bytesSent += data.length;
        // A success answer: the whole body was received, so its buffer can carry the next one.
        if (pooled) this.buffers.give(pooled);
        return true;
      } catch (err) {
        if (isPreconditionFailed(err)) {
          this.bytesSent += data.length;
          return false;
        }
        if (isConditionalConflict(err) && attempt < CONFLICT_ATTEMPTS) continue;
        throw err;
      }
    }
  }

  private async putMultipart(object: ContentObject): Promise<boolean> {
    this.requests.multipart += 1;
    // Multipart objects get no whole-object SHA-256 from S3 (only per-part ones, which the SDK
    // computes from what it sends), so the content is checked here before the upload completes:
    // the verifying stream fails at its end, before the last part goes out.
    let body: Buffer | Readable;
    if ('data' in object.body) {
      verifyContent(object, object.body.data.length, sha256Hex(object.body.data));
      body = object.body.data;
    } else {
      // Opened as every classpath file is (safe-tree.ts): a file swapped for a FIFO is refused, not waited on.
      const { fd } = openRegularFileSync(object.body.path, { followLink: true });
      body = pipeline(createReadStream('', { fd, highWaterMark: MiB }), verifyingStream(object), () => {});
    }
    // Loaded here, not with the module: only an object over the threshold needs it, and a warm push
    // (nothing to upload, or a small source zip) need not compile it (the build gives it a chunk of its own).
    const { Upload } = await import('@aws-sdk/lib-storage');
    const upload = new Upload({
      client: this.client,
      queueSize: QUEUE_SIZE,
      partSize: Math.max(this.partSize, Math.ceil(object.size / MAX_PARTS)),
      leavePartsOnError: false,
      params: {
        Bucket: this.bucket,
        Key: object.key,
        Body: body,
        ContentLength: object.size,
        ContentType: contentTypeOf(object.key),
        ChecksumAlgorithm: 'SHA256',
        // Upload passes this to CompleteMultipartUpload, which honours it like PutObject.
        IfNoneMatch: this.createOnly(object.key),
        Metadata: { sha256: object.sha256 },
      },
    });
    let created = true;
    try {
      await upload.done();
    } catch (err) {
      if (err instanceof ContentChangedError) throw err;
      if (!isPreconditionFailed(err)) throw err;
      created = false;
    }
    this.bytesSent += object.size;
    return created;
  }
}

/**
 * Signs the request with the body's SHA-256 as its payload hash (x-amz-content-sha256, hex): the
 * SDK's SigV4 signer takes that header as it is instead of hashing a Buffer body once more (a third
 * SHA-256 pass over every byte of a cold push). S3 checks the bytes against it
 * (XAmzContentSHA256Mismatch), as it checks x-amz-checksum-sha256 (BadDigest).
 */
export function withPayloadHash(command: PutObjectCommand, sha256Hex: string): PutObjectCommand {
  command.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers['x-amz-content-sha256'] = sha256Hex;
      return next(args);
    },
    { step: 'build', name: 'ionKnownPayloadHash' },
  );
  return command;
}

/**
 * At most `maxBytes` of a regular file (opened as safe-tree.ts opens classpath files: a FIFO is
 * refused, not waited on), read synchronously into a buffer from the pool. Synchronous on purpose:
 * a 300 KiB jar is read from the page cache in well under a millisecond, while the promise API
 * costs an open, an fstat, reads and a close, each a thread-pool round trip (in the cold bench's
 * profile, reading 200 jars into fresh buffers that way took ~350 ms of CPU).
 */
function readBodySync(path: string, maxBytes: number, buffers: BodyBufferPool): { data: Buffer; pooled: Buffer } {
  // Unzeroed, maybe reused: readRegularFileSync hands on only the bytes read from this file.
  let pooled: Buffer = Buffer.alloc(0);
  const { data } = readRegularFileSync(path, maxBytes, { followLink: true, allocate: (size) => (pooled = buffers.take(size)) });
  return { data, pooled };
}

/** The bytes to upload are not the ones that were hashed: a file changed during the push. */
class ContentChangedError extends Error {
  override name = 'ContentChangedError';
}

function verifyContent(object: ContentObject, size: number, sha256: string): void {
  if (size === object.size && sha256 === object.sha256) return;
  throw new ContentChangedError(
    `${describeSource(object)} changed after it was hashed (now ${size} bytes, sha256 ${sha256}; ` +
      `hashed: ${object.size} bytes, ${object.sha256}). Make sure nothing writes to the classpath during the push, then run it again.`,
  );
}

/** Passes bytes through and fails at the end if they are not the object's content. */
function verifyingStream(object: ContentObject): Transform {
  const hash = createHash('sha256');
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
    flush(callback) {
      try {
        verifyContent(object, size, hash.digest('hex'));
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
  });
}

const describeSource = (object: ContentObject): string =>
  object.source ?? ('path' in object.body ? object.body.path : `in-memory object (${object.size} bytes)`);

function contentTypeOf(key: string): string {
  if (key.endsWith('.jar')) return 'application/java-archive';
  if (key.endsWith('.zip')) return 'application/zip';
  return 'application/octet-stream';
}
