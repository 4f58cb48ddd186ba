import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3Client, CreateBucketCommand } from '@aws-sdk/client-s3';

const here = dirname(fileURLToPath(import.meta.url));

/** s3rver's only accepted credentials (lab-notes.md). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface S3Server {
  endpoint: string;
  directory: string;
  /** A client configured the way the tests need against s3rver (path-style, WHEN_REQUIRED checksums). */
  client(): S3Client;
  createBucket(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts a real S3 server (s3rver) on loopback in a child process. */
export async function startS3Server(): Promise<S3Server> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const child: ChildProcess = spawn(process.execPath, [join(here, 's3rver-process.cjs'), directory], {
    env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = () =>
    new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
      // Stream bodies sent aws-chunked are stored with their framing by s3rver (lab-notes.md).
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  return {
    endpoint,
    directory,
    client,
    async createBucket(name) {
      const c = client();
      await c.send(new CreateBucketCommand({ Bucket: name }));
      c.destroy();
    },
    async close() {
      child.kill();
      await new Promise((r) => child.once('exit', r));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
