/*
 * What s3rver cannot prove (docs/test-environment.md: it ignores If-None-Match, does not verify checksums):
 * the request parameters and headers S3ObjectStore sends, and how it reads S3's answers.
 * Behaviour is tested with aws-sdk-client-mock (command inputs); the wire format with a real
 * S3Client whose last middleware captures the signed HTTP request instead of sending it.
 */
import { execFileSync } from 'node:child_process';
import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { FinalizeRequestMiddleware, MetadataBearer } from '@smithy/types';
import { mockClient } from 'aws-sdk-client-mock';
import { S3ObjectStore } from '../../src/aws/s3-object-store.js';
import { createS3Client, customEndpointConfigured } from '../../src/aws/s3-client.js';
import type { ContentObject } from '../../src/core/content/objects.js';

const BUCKET = 'code-bucket';
const s3Error = (name: string, status: number, message = name) =>
  new S3ServiceException({ name, message, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });

const memoryObject = (data: Buffer, ext = 'jar'): ContentObject => {
  const sha256 = createHash('sha256').update(data).digest('hex');
  return { key: `ions/objects/${sha256}.${ext}`, sha256, size: data.length, body: { data } };
};

const newClient = () => new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' } });

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 's3-store-unit-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('S3ObjectStore.exists', () => {
  it.each([
    { label: '200 → true', error: null, expected: true },
    { label: '404 NotFound → false', error: s3Error('NotFound', 404), expected: false },
    { label: '403 → false (without s3:ListBucket missing keys answer 403)', error: s3Error('Forbidden', 403), expected: false },
  ])('$label', async ({ error, expected }) => {
    const client = newClient();
    const mock = mockClient(client);
    if (error) mock.on(HeadObjectCommand).rejects(error);
    else mock.on(HeadObjectCommand).resolves({});
    const store = new S3ObjectStore(client, BUCKET);
    await expect(store.exists('ions/objects/abc.jar')).resolves.toBe(expected);
    expect(mock.commandCalls(HeadObjectCommand)[0]!.args[0].input).toEqual({ Bucket: BUCKET, Key: 'ions/objects/abc.jar' });
    expect(store.requests.head).toBe(1);
  });

  it('throws other errors naming the bucket and key and what to check', async () => {
    const client = newClient();
    mockClient(client).on(HeadObjectCommand).rejects(s3Error('PermanentRedirect', 301));
    await expect(new S3ObjectStore(client, BUCKET).exists('k.jar')).rejects.toThrow(
      /Could not check s3:\/\/code-bucket\/k\.jar: PermanentRedirect \(HTTP 301\)\. .*s3:GetObject.*region/,
    );
  });
});

describe('an object that is not what its content key names (a partial or foreign write)', () => {
  const data = Buffer.from('PK the real jar bytes');
  const object = memoryObject(data);

  it.each([
    { label: 'another size', head: { ContentLength: 7, Metadata: { sha256: object.sha256 } } },
    { label: 'another recorded SHA-256', head: { ContentLength: data.length, Metadata: { sha256: 'f'.repeat(64) } } },
  ])('with $label counts as missing, and the next put replaces it (no If-None-Match)', async ({ head }) => {
    const client = newClient();
    const mock = mockClient(client);
    mock.on(HeadObjectCommand).resolves(head);
    mock.on(PutObjectCommand).resolves({});
    const store = new S3ObjectStore(client, BUCKET);
    await expect(store.exists(object.key, object)).resolves.toBe(false);
    await store.put(object);
    const input = mock.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(input.IfNoneMatch).toBeUndefined();
    expect(input.Body).toEqual(data);
  });

  it('the right size and SHA-256 count as present; other keys stay create-only', async () => {
    const client = newClient();
    const mock = mockClient(client);
    mock.on(HeadObjectCommand).resolves({ ContentLength: data.length, Metadata: { sha256: object.sha256 } });
    mock.on(PutObjectCommand).resolves({});
    const store = new S3ObjectStore(client, BUCKET);
    await expect(store.exists(object.key, object)).resolves.toBe(true);
    await store.put(object);
    expect(mock.commandCalls(PutObjectCommand)[0]!.args[0].input.IfNoneMatch).toBe('*');
  });
});

describe('every AWS client has HTTP timeouts', () => {
  it('S3, CodeDeploy and Step Functions clients fail a silent connection instead of waiting forever', async () => {
    const { createCodeDeployClient } = await import('../../src/aws/codedeploy-client.js');
    const { createSfnClient } = await import('../../src/aws/sfn-executions.js');
    const { HTTP_TIMEOUTS } = await import('../../src/aws/http-timeouts.js');
    for (const client of [
      createS3Client({ region: 'us-east-1' }),
      createCodeDeployClient({ region: 'us-east-1' }),
      createSfnClient({ region: 'us-east-1' }),
    ]) {
      const handler: any = client.config.requestHandler;
      const config = await handler.configProvider;
      expect(config).toMatchObject(HTTP_TIMEOUTS);
      client.destroy();
    }
  });

  it('the socket timeout ends a request to a server that never answers (the SDK then retries, then fails)', async () => {
    const { createServer } = await import('node:net');
    const sockets: import('node:net').Socket[] = [];
    const server = createServer((s) => sockets.push(s)); // accepts, never answers
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as import('node:net').AddressInfo).port;
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      forcePathStyle: true,
      maxAttempts: 2,
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' },
      requestHandler: { connectionTimeout: 2_000, socketTimeout: 300 },
    });
    try {
      await expect(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'k' }))).rejects.toThrow(/timeout|timed out|ETIMEDOUT/i);
      expect(sockets.length).toBe(2);
    } finally {
      client.destroy();
      for (const s of sockets) s.destroy();
      server.close();
    }
  });
});

describe('S3ObjectStore.put (single part)', () => {
  const data = Buffer.from('PK fake jar bytes');
  const object = memoryObject(data);
  const base64 = createHash('sha256').update(data).digest('base64');

  it('sends a Buffer with ChecksumSHA256, If-None-Match *, sha256 metadata and the content type', async () => {
    const client = newClient();
    const mock = mockClient(client);
    mock.on(PutObjectCommand).resolves({ ETag: '"e"' });
    const store = new S3ObjectStore(client, BUCKET);
    await store.put(object);
    const input = mock.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      Bucket: BUCKET,
      Key: object.key,
      ChecksumSHA256: base64,
      IfNoneMatch: '*',
      Metadata: { sha256: object.sha256 },
      ContentType: 'application/java-archive',
      ContentLength: data.length,
    });
    expect(Buffer.isBuffer(input.Body)).toBe(true);
    expect((input.Body as Buffer).equals(data)).toBe(true);
    expect(store.requests).toEqual({ head: 0, put: 1, multipart: 0 });
    expect(store.bytesSent).toBe(data.length);
  });

  it('reads a file body into a Buffer (no stream) and labels zips application/zip', async () => {
    const path = join(scratch, 'dir.zip');
    writeFileSync(path, data);
    const client = newClient();
    const mock = mockClient(client);
    mock.on(PutObjectCommand).resolves({});
    await new S3ObjectStore(client, BUCKET).put({ ...memoryObject(data, 'zip'), body: { path } });
    const input = mock.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(Buffer.isBuffer(input.Body)).toBe(true);
    expect(input.ContentType).toBe('application/zip');
  });

  it('sends no HeadObject before the create-only write: one request per new object', async () => {
    const client = newClient();
    const mock = mockClient(client);
    mock.on(PutObjectCommand).resolves({});
    const store = new S3ObjectStore(client, BUCKET);
    await expect(store.put(object)).resolves.toBeUndefined();
    expect(mock.calls().map((c) => c.args[0].constructor.name)).toEqual(['PutObjectCommand']);
    expect(mock.commandCalls(PutObjectCommand)[0]!.args[0].input.IfNoneMatch).toBe('*');
  });

  it('412 PreconditionFailed (the key exists): one HeadObject checks it is these bytes, then it is reported present', async () => {
    const client = newClient();
    const mock = mockClient(client);
    mock.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));
    mock.on(HeadObjectCommand).resolves({ ContentLength: object.size, Metadata: { sha256: object.sha256 } });
    const store = new S3ObjectStore(client, BUCKET);
    await expect(store.put(object)).resolves.toBe('present');
    expect(store.requests).toEqual({ head: 1, put: 1, multipart: 0 });
  });

  it.each([
    { label: 'another size', head: { ContentLength: 3, Metadata: { sha256: object.sha256 } } },
    { label: 'another recorded SHA-256', head: { ContentLength: object.size, Metadata: { sha256: 'e'.repeat(64) } } },
  ])(
    '412 on a key holding $label (a partial or foreign write): replaced by an unconditional write of the right bytes',
    async ({ head }) => {
      const client = newClient();
      const mock = mockClient(client);
      mock.on(PutObjectCommand, { IfNoneMatch: '*' }).rejects(s3Error('PreconditionFailed', 412));
      mock.on(PutObjectCommand, { IfNoneMatch: undefined }).resolves({});
      mock.on(HeadObjectCommand).resolves(head);
      const store = new S3ObjectStore(client, BUCKET);
      await expect(store.put(object)).resolves.toBeUndefined();
      const puts = mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
      expect(puts.map((p) => p.IfNoneMatch)).toEqual(['*', undefined]);
      expect(puts[1]!.Body).toEqual(data);
      expect(puts[1]!.ChecksumSHA256).toBe(Buffer.from(object.sha256, 'hex').toString('base64'));
    },
  );

  it('retries 409 ConditionalRequestConflict (a concurrent writer)', async () => {
    const client = newClient();
    const mock = mockClient(client);
    mock.on(PutObjectCommand).rejectsOnce(s3Error('ConditionalRequestConflict', 409)).resolves({});
    const store = new S3ObjectStore(client, BUCKET);
    await store.put(object);
    expect(store.requests.put).toBe(2);
  });

  it('fails with the key and what to check when S3 refuses', async () => {
    const client = newClient();
    mockClient(client)
      .on(PutObjectCommand)
      .rejects(s3Error('AccessDenied', 403, 'Access Denied'));
    await expect(new S3ObjectStore(client, BUCKET).put(object)).rejects.toThrow(
      new RegExp(
        `Could not upload in-memory object .* to s3://${BUCKET}/${object.key}: AccessDenied \\(HTTP 403\\): Access Denied\\. .*s3:PutObject`,
      ),
    );
  });

  it('refuses to upload bytes that are not the hashed content, sending nothing', async () => {
    const client = newClient();
    const mock = mockClient(client);
    await expect(new S3ObjectStore(client, BUCKET).put({ ...object, body: { data: Buffer.from('other') } })).rejects.toThrow(
      /changed after it was hashed/,
    );
    expect(mock.calls()).toHaveLength(0);
  });
});

describe('S3ObjectStore.put (multipart)', () => {
  const MiB = 1024 * 1024;
  const data = Buffer.alloc(12 * MiB + 17, 'ions');
  const sha256 = createHash('sha256').update(data).digest('hex');

  function multipartMock(complete: () => Promise<unknown>) {
    const client = newClient();
    const mock = mockClient(client);
    mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' });
    mock.on(UploadPartCommand).callsFake((input: { PartNumber: number }) => ({ ETag: `"p${input.PartNumber}"` }));
    mock.on(CompleteMultipartUploadCommand).callsFake(complete);
    mock.on(AbortMultipartUploadCommand).resolves({});
    return { client, mock };
  }

  it('uploads parts with SHA-256 checksums and completes with If-None-Match *', async () => {
    const path = join(scratch, 'big.jar');
    writeFileSync(path, data);
    const { client, mock } = multipartMock(async () => ({}));
    const store = new S3ObjectStore(client, BUCKET, { multipartThresholdBytes: 5 * MiB, partSizeBytes: 5 * MiB });
    await store.put({ key: `p/objects/${sha256}.jar`, sha256, size: data.length, body: { path } });

    expect(mock.commandCalls(CreateMultipartUploadCommand)[0]!.args[0].input).toMatchObject({
      ChecksumAlgorithm: 'SHA256',
      Metadata: { sha256 },
      ContentType: 'application/java-archive',
    });
    const parts = mock.commandCalls(UploadPartCommand).map((c) => c.args[0].input);
    expect(parts.map((p) => p.PartNumber).sort()).toEqual([1, 2, 3]);
    expect(parts.every((p) => p.ChecksumAlgorithm === 'SHA256')).toBe(true);
    expect(Buffer.concat(parts.sort((a, b) => a.PartNumber! - b.PartNumber!).map((p) => p.Body as Buffer)).equals(data)).toBe(true);
    expect(mock.commandCalls(CompleteMultipartUploadCommand)[0]!.args[0].input).toMatchObject({ IfNoneMatch: '*', UploadId: 'u1' });
    expect(store.requests).toEqual({ head: 0, put: 0, multipart: 1 });
    expect(store.bytesSent).toBe(data.length);
  });

  it('412 on CompleteMultipartUpload: checked with one HeadObject, then reported present', async () => {
    const { client, mock } = multipartMock(async () => {
      throw s3Error('PreconditionFailed', 412);
    });
    mock.on(HeadObjectCommand).resolves({ ContentLength: data.length, Metadata: { sha256 } });
    const store = new S3ObjectStore(client, BUCKET, { multipartThresholdBytes: 5 * MiB, partSizeBytes: 5 * MiB });
    await expect(store.put({ key: `p/objects/${sha256}.zip`, sha256, size: data.length, body: { data } })).resolves.toBe('present');
    expect(mock.commandCalls(HeadObjectCommand)).toHaveLength(1);
  });

  it('aborts without completing when the file is not the hashed content', async () => {
    const path = join(scratch, 'changed.jar');
    const changed = Buffer.from(data);
    changed[changed.length - 1]! ^= 1; // last byte: only the end of the stream can tell
    writeFileSync(path, changed);
    const { client, mock } = multipartMock(async () => ({}));
    const store = new S3ObjectStore(client, BUCKET, { multipartThresholdBytes: 5 * MiB, partSizeBytes: 5 * MiB });
    await expect(store.put({ key: `p/objects/${sha256}.jar`, sha256, size: data.length, body: { path } })).rejects.toThrow(
      /changed\.jar changed after it was hashed/,
    );
    expect(mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
    expect(mock.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1);
  });
});

describe('wire format', () => {
  /** A real client (full middleware stack, signing) whose last step records the request and answers 200. */
  function capturingClient(client: S3Client) {
    const requests: { method: string; path: string; headers: Record<string, string>; body: unknown }[] = [];
    client.middlewareStack.add(
      (_next) => async (args) => {
        const req = args.request as { method: string; path: string; headers: Record<string, string>; body: unknown };
        requests.push({ method: req.method, path: req.path, headers: { ...req.headers }, body: req.body });
        return { response: { statusCode: 200, headers: {} }, output: { $metadata: { httpStatusCode: 200 } } };
      },
      { step: 'finalizeRequest', priority: 'low', name: 'captureRequest' },
    );
    return requests;
  }

  it('createS3Client + PutObject sends x-amz-checksum-sha256, If-None-Match: * and a plain (not aws-chunked) body', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'SECRET', AWS_REGION: 'eu-west-1' });
    try {
      const client = createS3Client({});
      const requests = capturingClient(client);
      const data = Buffer.from('jar bytes');
      const object = memoryObject(data);
      await new S3ObjectStore(client, BUCKET).put(object);
      const [req] = requests;
      const h = Object.fromEntries(Object.entries(req!.headers).map(([k, v]) => [k.toLowerCase(), v]));
      expect(h['x-amz-checksum-sha256']).toBe(createHash('sha256').update(data).digest('base64'));
      expect(h['if-none-match']).toBe('*');
      expect(h['x-amz-meta-sha256']).toBe(object.sha256);
      expect(h['content-type']).toBe('application/java-archive');
      expect(h['content-encoding']).toBeUndefined();
      expect(h['x-amz-trailer']).toBeUndefined();
      // WHEN_REQUIRED: no extra SDK checksum next to ours.
      expect(Object.keys(h).filter((k) => k.startsWith('x-amz-checksum-'))).toEqual(['x-amz-checksum-sha256']);
      expect(Buffer.isBuffer(req!.body)).toBe(true);
    } finally {
      process.env = saved;
    }
  });
});

describe('one SHA-256 per single-part upload', () => {
  const signedRequest = async (client: S3Client, send: (c: S3Client) => Promise<unknown>) => {
    const requests: Record<string, string>[] = [];
    client.middlewareStack.add(
      (_next) => async (args) => {
        requests.push({ ...(args.request as { headers: Record<string, string> }).headers });
        return { response: { statusCode: 200, headers: {} }, output: { $metadata: { httpStatusCode: 200 } } };
      },
      { step: 'finalizeRequest', priority: 'low', name: 'captureRequest' },
    );
    // The one signed header that differs between two sends (a random id per request), fixed.
    client.middlewareStack.addRelativeTo(
      ((next, _context) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers['amz-sdk-invocation-id'] = 'fixed';
        return next(args);
      }) satisfies FinalizeRequestMiddleware<object, MetadataBearer>,
      { relation: 'before', toMiddleware: 'httpSigningMiddleware', name: 'fixInvocationId' },
    );
    await send(client);
    const h = requests[0]!;
    return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
  };

  it('signs with the known SHA-256 as payload hash: the signature the SDK computes by hashing the body itself', async () => {
    // A fixed clock: both requests are signed for the same second.
    jest.useFakeTimers({ now: new Date('2026-03-01T12:00:00Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const data = Buffer.from('jar bytes, signed once');
      const object = memoryObject(data);
      const ours = await signedRequest(newClient(), (c) => new S3ObjectStore(c, BUCKET).put(object));
      // The same PutObject through the plain SDK, which hashes the Buffer body to sign it.
      const sdk = await signedRequest(newClient(), (c) =>
        c.send(
          new PutObjectCommand({
            Bucket: BUCKET,
            Key: object.key,
            Body: data,
            ContentLength: data.length,
            ContentType: 'application/java-archive',
            ChecksumSHA256: createHash('sha256').update(data).digest('base64'),
            IfNoneMatch: '*',
            Metadata: { sha256: object.sha256 },
          }),
        ),
      );
      expect(ours['x-amz-content-sha256']).toBe(object.sha256);
      expect(sdk['x-amz-content-sha256']).toBe(object.sha256);
      expect(ours.authorization).toBe(sdk.authorization);
    } finally {
      jest.useRealTimers();
    }
  });

  it('a file that no longer holds the hashed bytes is refused before anything is sent', async () => {
    const path = join(scratch, 'rewritten.jar');
    const data = Buffer.from('the bytes that were hashed');
    writeFileSync(path, Buffer.from('the bytes that are there now'));
    const client = newClient();
    const mock = mockClient(client);
    await expect(new S3ObjectStore(client, BUCKET).put({ ...memoryObject(data), body: { path } })).rejects.toThrow(
      /rewritten\.jar changed after it was hashed/,
    );
    expect(mock.calls()).toHaveLength(0);
  });

  it('a jar swapped for a FIFO is refused at once, not waited on', async () => {
    const path = join(scratch, 'fifo.jar');
    execFileSync('mkfifo', [path]);
    const client = newClient();
    const mock = mockClient(client);
    await expect(new S3ObjectStore(client, BUCKET).put({ ...memoryObject(Buffer.from('x')), body: { path } })).rejects.toThrow(
      /not a regular file|a FIFO/,
    );
    expect(mock.calls()).toHaveLength(0);
  });
});

describe('createS3Client', () => {
  it('forces path-style only when an endpoint comes from the environment', async () => {
    expect(customEndpointConfigured({})).toBe(false);
    expect(customEndpointConfigured({ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000' })).toBe(true);
    expect(customEndpointConfigured({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9000' })).toBe(true);
    expect(customEndpointConfigured({ AWS_ENDPOINT_URL: 'http://x', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toBe(false);
    expect(createS3Client({ region: 'us-east-1' }, {}).config.forcePathStyle).toBe(false);
    expect(createS3Client({ region: 'us-east-1' }, { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000' }).config.forcePathStyle).toBe(true);
  });

  it('asks for checksums only when required', async () => {
    const client = createS3Client({ region: 'us-east-1' }, {});
    await expect(client.config.requestChecksumCalculation()).resolves.toBe('WHEN_REQUIRED');
    await expect(client.config.responseChecksumValidation()).resolves.toBe('WHEN_REQUIRED');
    await expect(client.config.region()).resolves.toBe('us-east-1');
  });
});
