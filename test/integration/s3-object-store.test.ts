/*
 * S3ObjectStore, createS3Client and syncObjects against a real S3 server (s3rver, loopback).
 *
 * Client configuration: `server.client()` from test/support/s3-server.ts — endpoint
 * http://127.0.0.1:<port>, region us-east-1, forcePathStyle, credentials S3RVER/S3RVER,
 * requestChecksumCalculation and responseChecksumValidation 'WHEN_REQUIRED' (the same checksum
 * settings as createS3Client). The createS3Client tests build their client from environment
 * variables only.
 *
 * s3rver can store aws-chunked framing as content without an error (docs/test-environment.md), so every
 * upload is read back and its SHA-256 compared with the source's. s3rver ignores If-None-Match
 * and x-amz-checksum-sha256, so those are covered by test/unit/s3-object-store.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { startS3Server, type S3Server } from '../../local-cloud/s3-server.js';
import { S3ObjectStore } from '../../src/aws/s3-object-store.js';
import { createS3Client } from '../../src/aws/s3-client.js';
import { sha256FileSync, sha256Hex } from '../../src/core/content/hash.js';
import { zipDirectory } from '../../src/core/content/deterministic-zip.js';
import type { ContentObject } from '../../src/core/content/objects.js';
import { syncObjects } from '../../src/core/content/sync.js';
import { objectKey } from '../../src/core/layout.js';

const BUCKET = 'ion-objects';
const MiB = 1024 * 1024;

let server: S3Server;
let client: S3Client;
let scratch: string;

beforeAll(async () => {
  server = await startS3Server();
  await server.createBucket(BUCKET);
  client = server.client();
  scratch = mkdtempSync(join(tmpdir(), 's3-store-it-'));
});
afterAll(async () => {
  client?.destroy();
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

let counter = 0;
/** A file of random bytes and the content object for it. */
async function fileObject(size: number): Promise<ContentObject> {
  const path = join(scratch, `f${counter++}.jar`);
  writeFileSync(path, randomBytes(size));
  const { sha256, size: hashed } = sha256FileSync(path);
  return { key: objectKey('it', sha256, 'jar'), sha256, size: hashed, body: { path } };
}

/** SHA-256 and size of what the server returns for the key. */
async function stored(key: string, c: S3Client = client): Promise<{ sha256: string; size: number }> {
  const out = await c.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const bytes = Buffer.from(await out.Body!.transformToByteArray());
  return { sha256: sha256Hex(bytes), size: bytes.length };
}

describe('S3ObjectStore against s3rver', () => {
  it('says a missing key does not exist, and an uploaded one does', async () => {
    const store = new S3ObjectStore(client, BUCKET);
    const object = await fileObject(300 * 1024);
    await expect(store.exists(object.key)).resolves.toBe(false);
    await store.put(object);
    await expect(store.exists(object.key)).resolves.toBe(true);
    expect(store.requests).toEqual({ head: 2, put: 1, multipart: 0 });
    expect(store.bytesSent).toBe(object.size);
  });

  it('replaces an object that is not what its content key names (a partial write), and syncs the right bytes', async () => {
    const object = await fileObject(200 * 1024);
    // What a connection reset left on a server that keeps partial uploads: the first 64 KiB.
    const { PutObjectCommand } = await import('@aws-sdk/client-s3');
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: object.key, Body: Buffer.alloc(64 * 1024, 1) }));
    const store = new S3ObjectStore(client, BUCKET);
    const result = await syncObjects(store, [object]);
    expect(result.uploaded.map((o) => o.key)).toEqual([object.key]);
    expect(await stored(object.key)).toEqual({ sha256: object.sha256, size: object.size });
    // Now it is what its key says: the next sync reuses it.
    expect((await syncObjects(new S3ObjectStore(client, BUCKET), [object])).reused.map((o) => o.key)).toEqual([object.key]);
  });

  it('stores a small file byte for byte, with sha256 metadata and content type', async () => {
    const store = new S3ObjectStore(client, BUCKET);
    const object = await fileObject(307_200); // the size s3rver corrupted with aws-chunked bodies
    await store.put(object);
    await expect(stored(object.key)).resolves.toEqual({ sha256: object.sha256, size: object.size });
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: object.key }));
    expect(head.Metadata).toEqual({ sha256: object.sha256 });
    expect(head.ContentType).toBe('application/java-archive');
  });

  it('stores a 40 MB file with a multipart upload above a 16 MiB threshold, byte for byte', async () => {
    const store = new S3ObjectStore(client, BUCKET, { multipartThresholdBytes: 16 * MiB });
    const object = await fileObject(40 * 1000 * 1000);
    await store.put(object);
    expect(store.requests).toEqual({ head: 0, put: 0, multipart: 1 });
    await expect(stored(object.key)).resolves.toEqual({ sha256: object.sha256, size: object.size });
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: object.key }));
    expect(head.Metadata).toEqual({ sha256: object.sha256 });
  });

  it('stores an in-memory zipped directory byte for byte', async () => {
    const dir = join(scratch, 'classes');
    mkdirSync(join(dir, 'app'), { recursive: true });
    writeFileSync(join(dir, 'app', 'core.clj'), '(ns app.core)\n');
    const data = await zipDirectory(dir);
    const sha256 = sha256Hex(data);
    const object: ContentObject = { key: objectKey('it', sha256, 'dir'), sha256, size: data.length, body: { data } };
    await new S3ObjectStore(client, BUCKET).put(object);
    await expect(stored(object.key)).resolves.toEqual({ sha256, size: data.length });
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: object.key }));
    expect(head.ContentType).toBe('application/zip');
  });

  it('does not fail when the key already exists', async () => {
    const store = new S3ObjectStore(client, BUCKET);
    const object = await fileObject(1000);
    await store.put(object);
    await expect(store.put(object)).resolves.toBeUndefined();
    await expect(stored(object.key)).resolves.toEqual({ sha256: object.sha256, size: object.size });
  });

  it('reports a missing bucket with what to check', async () => {
    const store = new S3ObjectStore(client, 'no-such-bucket');
    const object = await fileObject(10);
    await expect(store.put(object)).rejects.toThrow(/Could not upload .* to s3:\/\/no-such-bucket\/.*NoSuchBucket.*Check the bucket name/);
  });
});

describe('syncObjects against s3rver', () => {
  it('uploads everything on the first run and nothing on the second', async () => {
    const objects = await Promise.all(Array.from({ length: 30 }, () => fileObject(20 * 1024 + Math.floor(Math.random() * 1000))));
    const first = new S3ObjectStore(client, BUCKET);
    const r1 = await syncObjects(first, objects);
    expect(r1.uploaded).toHaveLength(30);
    expect(r1.reused).toHaveLength(0);
    expect(first.requests).toEqual({ head: 30, put: 30, multipart: 0 });

    const second = new S3ObjectStore(client, BUCKET);
    const r2 = await syncObjects(second, objects);
    expect(r2.uploaded).toHaveLength(0);
    expect(r2.reused).toHaveLength(30);
    expect(second.requests).toEqual({ head: 30, put: 0, multipart: 0 });

    for (const o of objects) await expect(stored(o.key)).resolves.toEqual({ sha256: o.sha256, size: o.size });
  });
});

describe('reused body buffers (body-buffer-pool.ts) against s3rver', () => {
  it('150 files of mixed sizes, 16 at once, create-only: every stored object is its own file, byte for byte', async () => {
    // Sizes around the pool's size classes (64 KiB, powers of two) and tiny ones, so buffers are
    // taken again by objects smaller and larger than the ones they carried before.
    const sizes = Array.from({ length: 150 }, (_, i) => [1, 700, 64 * 1024, 64 * 1024 + 1, 200 * 1024, 300 * 1024 + 17][i % 6]! + (i % 7));
    const objects = await Promise.all(sizes.map((n) => fileObject(n)));
    const store = new S3ObjectStore(client, BUCKET);
    const r = await syncObjects(store, objects, { checkFirst: false, concurrency: 16 });
    expect(r.uploaded).toHaveLength(new Set(objects.map((o) => o.key)).size);
    for (const o of objects) await expect(stored(o.key)).resolves.toEqual({ sha256: o.sha256, size: o.size });
  });
});

describe('createS3Client against s3rver', () => {
  // Proves that the SDK itself takes the endpoint from these variables: the client is given no
  // endpoint, and only s3rver holds the object it finds.
  it.each(['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL'])('uses the endpoint from %s, path-style', async (variable) => {
    const saved = { ...process.env };
    for (const v of ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL', 'AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'])
      delete process.env[v];
    Object.assign(process.env, {
      [variable]: server.endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
      AWS_CONFIG_FILE: join(scratch, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(scratch, 'no-credentials'),
    });
    const envClient = createS3Client({});
    try {
      expect(envClient.config.forcePathStyle).toBe(true);
      const store = new S3ObjectStore(envClient, BUCKET);
      const object = await fileObject(300 * 1024);
      await expect(store.exists(object.key)).resolves.toBe(false);
      await store.put(object);
      await expect(store.exists(object.key)).resolves.toBe(true);
      await expect(stored(object.key)).resolves.toEqual({ sha256: object.sha256, size: object.size });
    } finally {
      envClient.destroy();
      process.env = saved;
    }
  });
});
