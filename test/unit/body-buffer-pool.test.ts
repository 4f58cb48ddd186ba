import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { BodyBufferPool } from '../../src/aws/body-buffer-pool.js';
import { S3ObjectStore } from '../../src/aws/s3-object-store.js';
import type { ContentObject } from '../../src/core/content/objects.js';

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'body-pool-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('BodyBufferPool', () => {
  test('a buffer given back is taken again; sizes round up to 64 KiB and powers of two', () => {
    const pool = new BodyBufferPool();
    const a = pool.take(300 * 1024);
    expect(a.length).toBe(512 * 1024);
    pool.give(a);
    expect(pool.take(400 * 1024)).toBe(a);
    expect(pool.take(10).length).toBe(64 * 1024);
  });

  test('a small body does not pin a buffer more than 4x its size', () => {
    const pool = new BodyBufferPool();
    const big = pool.take(2 * 1024 * 1024);
    pool.give(big);
    expect(pool.take(100 * 1024)).not.toBe(big);
    expect(pool.size).toBe(1);
  });

  test('bounded: large buffers and buffers past maxSpare are not kept; a buffer given twice is kept once', () => {
    const pool = new BodyBufferPool(2, 1024 * 1024);
    const large = pool.take(2 * 1024 * 1024);
    expect(large.length).toBe(2 * 1024 * 1024);
    pool.give(large);
    expect(pool.size).toBe(0);
    const [x, y, z] = [pool.take(1), pool.take(1), pool.take(1)];
    pool.give(x!);
    pool.give(x!);
    pool.give(y!);
    pool.give(z!);
    expect(pool.size).toBe(2);
  });
});

describe('S3ObjectStore reuses a body buffer only after a success answer', () => {
  const fileObject = (name: string, data: Buffer): ContentObject => {
    const path = join(scratch, name);
    writeFileSync(path, data);
    const sha256 = createHash('sha256').update(data).digest('hex');
    return { key: `p/objects/${sha256}.jar`, sha256, size: data.length, body: { path } };
  };
  const client = () => new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' } });
  const bodyOf = (mock: ReturnType<typeof mockClient>, i: number) => mock.commandCalls(PutObjectCommand)[i]!.args[0].input.Body as Buffer;

  test('after a 200 the next file is read into the same memory, and only its own bytes are sent', async () => {
    const c = client();
    const mock = mockClient(c);
    const sent: Buffer[] = [];
    mock.on(PutObjectCommand).callsFake((input: { Body: Buffer }) => {
      sent.push(Buffer.from(input.Body)); // a copy: what went out at that moment
      return {};
    });
    const store = new S3ObjectStore(c, 'b');
    const a = fileObject('a.jar', Buffer.alloc(1000, 'a'));
    const b = fileObject('b.jar', Buffer.alloc(700, 'b'));
    await store.put(a);
    await store.put(b);
    expect(bodyOf(mock, 1).buffer).toBe(bodyOf(mock, 0).buffer);
    expect(sent[0]!.equals(Buffer.alloc(1000, 'a'))).toBe(true);
    expect(sent[1]!.equals(Buffer.alloc(700, 'b'))).toBe(true);
  });

  test('after an error the buffer is dropped: the next file gets other memory', async () => {
    const c = client();
    const mock = mockClient(c);
    mock
      .on(PutObjectCommand)
      .rejectsOnce(new S3ServiceException({ name: 'AccessDenied', message: 'no', $fault: 'client', $metadata: { httpStatusCode: 403 } }))
      .resolves({});
    const store = new S3ObjectStore(c, 'b');
    await expect(store.put(fileObject('c.jar', Buffer.alloc(1000, 'c')))).rejects.toThrow(/AccessDenied/);
    await store.put(fileObject('d.jar', Buffer.alloc(1000, 'd')));
    expect(bodyOf(mock, 1).buffer).not.toBe(bodyOf(mock, 0).buffer);
  });

  test('after a 412 (which may come before the body was read) the buffer is dropped too', async () => {
    const c = client();
    const mock = mockClient(c);
    const e = fileObject('e.jar', Buffer.alloc(1000, 'e'));
    mock
      .on(PutObjectCommand)
      .rejectsOnce(
        new S3ServiceException({ name: 'PreconditionFailed', message: 'exists', $fault: 'client', $metadata: { httpStatusCode: 412 } }),
      )
      .resolves({});
    const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
    mock.on(HeadObjectCommand).resolves({ ContentLength: e.size, Metadata: { sha256: e.sha256 } });
    const store = new S3ObjectStore(c, 'b');
    await expect(store.put(e)).resolves.toBe('present');
    await store.put(fileObject('f.jar', Buffer.alloc(1000, 'f')));
    expect(bodyOf(mock, 1).buffer).not.toBe(bodyOf(mock, 0).buffer);
  });
});
