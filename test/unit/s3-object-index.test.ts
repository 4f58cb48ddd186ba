/*
 * The S3 adapters of the object index (push) and of deploy's object check, with aws-sdk-client-mock:
 * which requests they send and how they read S3's answers.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { S3ObjectIndex } from '../../src/aws/s3-object-index.js';
import { S3ObjectPresence } from '../../src/aws/s3-object-presence.js';

const s3Error = (name: string, status: number) =>
  new S3ServiceException({ name, message: name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
const newClient = () => new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' } });
/** The part of the SDK's stream body the adapter uses. */
const body = (data: Buffer) => ({ transformToByteArray: async () => new Uint8Array(data), destroy: () => undefined });

describe('S3ObjectIndex', () => {
  it('reads the index with one GetObject, and writes it with one plain PutObject (the last push wins)', async () => {
    const client = newClient();
    const mock = mockClient(client);
    mock.on(GetObjectCommand).resolves({ Body: body(Buffer.from('{"a":1}')) as never, ContentLength: 7 });
    mock.on(PutObjectCommand).resolves({});
    const index = new S3ObjectIndex(client, 'code');
    await expect(index.read('ions/app/revisions/object-index.json', 100)).resolves.toEqual({ data: Buffer.from('{"a":1}') });
    await index.write('ions/app/revisions/object-index.json', Buffer.from('{}'));
    expect(mock.commandCalls(PutObjectCommand)[0]!.args[0].input).toMatchObject({
      Bucket: 'code',
      Key: 'ions/app/revisions/object-index.json',
      ContentType: 'application/json',
    });
    expect(mock.commandCalls(PutObjectCommand)[0]!.args[0].input.IfNoneMatch).toBeUndefined();
    expect(index.requests).toEqual({ get: 1, put: 1 });
  });

  it('does not read an index over the limit', async () => {
    const client = newClient();
    mockClient(client)
      .on(GetObjectCommand)
      .resolves({ Body: body(Buffer.alloc(10)) as never, ContentLength: 5_000_000 });
    await expect(new S3ObjectIndex(client, 'code').read('k', 4_000_000)).resolves.toEqual({ tooLarge: 5_000_000 });
  });

  it.each([
    ['404 NoSuchKey', s3Error('NoSuchKey', 404)],
    ['403 (no s3:ListBucket)', s3Error('AccessDenied', 403)],
  ])('%s: there is no index', async (_label, error) => {
    const client = newClient();
    mockClient(client).on(GetObjectCommand).rejects(error);
    await expect(new S3ObjectIndex(client, 'code').read('k', 100)).resolves.toBeNull();
  });

  it('other read and write errors name the key (the core then ignores the index, or warns)', async () => {
    const client = newClient();
    const mock = mockClient(client);
    mock.on(GetObjectCommand).rejects(s3Error('SlowDown', 503));
    mock.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403));
    const index = new S3ObjectIndex(client, 'code');
    await expect(index.read('k', 100)).rejects.toThrow('GetObject s3://code/k: SlowDown (HTTP 503)');
    await expect(index.write('k', Buffer.from('{}'))).rejects.toThrow('PutObject s3://code/k: AccessDenied (HTTP 403)');
  });
});

describe('S3ObjectPresence', () => {
  it('the size from HeadObject; null for a missing object (404)', async () => {
    const client = newClient();
    const mock = mockClient(client);
    mock.on(HeadObjectCommand, { Key: 'here' }).resolves({ ContentLength: 42 });
    mock.on(HeadObjectCommand, { Key: 'gone' }).rejects(s3Error('NotFound', 404));
    const presence = new S3ObjectPresence(client);
    await expect(presence.objectSize('code', 'here')).resolves.toBe(42);
    await expect(presence.objectSize('code', 'gone')).resolves.toBeNull();
  });

  it('403 is not taken for missing: the error says what to grant', async () => {
    const client = newClient();
    mockClient(client).on(HeadObjectCommand).rejects(s3Error('Forbidden', 403));
    await expect(new S3ObjectPresence(client).objectSize('code', 'k')).rejects.toThrow(
      /Could not check s3:\/\/code\/k: Forbidden \(HTTP 403\)\. Allow the role s3:GetObject on the objects \(and s3:ListBucket/,
    );
  });
});
