/**
 * The bundle store's create-only write, against aws-sdk-client-mock: s3rver ignores If-None-Match,
 * so only here can the conditional write itself be seen (the integration tests cover the behaviour).
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { S3BundleStore } from '../../src/aws/s3-bundle-store.js';

const s3Error = (name: string, status: number) =>
  new S3ServiceException({ name, message: name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });

const SHA = 'ab'.repeat(32);
const s3 = mockClient(S3Client);
const store = () =>
  new S3BundleStore(new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'k', secretAccessKey: 's' } }), 'ion-code');

beforeEach(() => s3.reset());

describe('S3BundleStore', () => {
  test('create is conditional (If-None-Match: *) and sends the SHA-256 as checksum and metadata', async () => {
    s3.on(PutObjectCommand).resolves({ ETag: '"e1"' });
    expect(await store().create('ions/app/revisions/r.zip', Buffer.from('zip'), SHA)).toEqual({ created: true, eTag: 'e1' });
    const input = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      Bucket: 'ion-code',
      Key: 'ions/app/revisions/r.zip',
      IfNoneMatch: '*',
      Metadata: { sha256: SHA },
      ChecksumSHA256: Buffer.from(SHA, 'hex').toString('base64'),
    });
  });

  test('a key that exists (412 PreconditionFailed) is reported, never overwritten', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));
    expect(await store().create('k', Buffer.from('zip'), SHA)).toEqual({ created: false });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1);
  });

  test('409 ConditionalRequestConflict (another writer at that moment) is tried again, then given up with the error', async () => {
    s3.on(PutObjectCommand).rejectsOnce(s3Error('ConditionalRequestConflict', 409)).resolves({ ETag: '"e2"' });
    expect(await store().create('k', Buffer.from('zip'), SHA)).toEqual({ created: true, eTag: 'e2' });
    s3.reset();
    s3.on(PutObjectCommand).rejects(s3Error('ConditionalRequestConflict', 409));
    await expect(store().create('k', Buffer.from('zip'), SHA)).rejects.toThrow('ConditionalRequestConflict');
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(3);
  });

  test('other errors are not taken for "exists"', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403));
    await expect(store().create('k', Buffer.from('zip'), SHA)).rejects.toThrow('AccessDenied');
  });

  test('describe reads the sha256 metadata and the bare ETag; a missing key (404, or 403 without ListBucket) is null', async () => {
    s3.on(HeadObjectCommand, { Key: 'there' }).resolves({ ETag: '"e3"', Metadata: { sha256: SHA } });
    s3.on(HeadObjectCommand, { Key: 'plain' }).resolves({ ETag: '"e4"' });
    s3.on(HeadObjectCommand, { Key: 'gone' }).rejects(s3Error('NotFound', 404));
    s3.on(HeadObjectCommand, { Key: 'hidden' }).rejects(s3Error('Forbidden', 403));
    expect(await store().describe('there')).toEqual({ sha256: SHA, eTag: 'e3' });
    expect(await store().describe('plain')).toEqual({ sha256: null, eTag: 'e4' });
    expect(await store().describe('gone')).toBeNull();
    expect(await store().describe('hidden')).toBeNull();
  });

  test('read returns the bytes, or null when the key is gone', async () => {
    // The part of the SDK's stream body the store uses.
    const body = { transformToByteArray: async () => new Uint8Array(Buffer.from('bundle bytes')) };
    s3.on(GetObjectCommand, { Key: 'there' }).resolves({ Body: body as never });
    s3.on(GetObjectCommand, { Key: 'gone' }).rejects(s3Error('NoSuchKey', 404));
    expect((await store().read('there'))!.toString()).toBe('bundle bytes');
    expect(await store().read('gone')).toBeNull();
  });
});
