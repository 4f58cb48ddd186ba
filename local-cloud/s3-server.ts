import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3Client, CreateBucketCommand } from '@aws-sdk/client-s3';

const here = dirname(fileURLToPath(import.meta.url));

/** s3rver's only accepted credentials (docs/test-environment.md). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface S3ServerOptions {
  /** More key pairs the server accepts besides S3RVER (each request's signature is checked with its secret). */
  keys?: { accessKeyId: string; secretAccessKey: string }[];
  /** Record every request (see accessLog()). */
  recordAccess?: boolean;
}

/** What one S3 request needs from IAM, the way S3 authorises it. */
export interface S3Authorization {
  action: string;
  /** `arn:aws:s3:::bucket` or `arn:aws:s3:::bucket/key`. */
  resource: string;
  /** Condition keys S3 sets for this request (`s3:prefix` on a listing). */
  context: Record<string, string>;
}

export interface S3Access {
  accessKeyId: string | undefined;
  method: string;
  url: string;
  status: number;
  authorizations: S3Authorization[];
}

export interface S3Server {
  endpoint: string;
  directory: string;
  /** Every request so far, oldest first (empty unless started with recordAccess). */
  accessLog(): S3Access[];
  /** A client configured the way the tests need against s3rver (path-style, WHEN_REQUIRED checksums); S3RVER's keys unless given others. */
  client(credentials?: { accessKeyId: string; secretAccessKey: string }): S3Client;
  createBucket(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts a real S3 server (s3rver) on loopback in a child process. */
export async function startS3Server(options: S3ServerOptions = {}): Promise<S3Server> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  // Beside the data directory, not in it: s3rver treats every directory there as a bucket.
  const logDir = mkdtempSync(join(tmpdir(), 's3rver-log-'));
  const logFile = join(logDir, 'access.jsonl');
  const child: ChildProcess = spawn(process.execPath, [join(here, 's3rver-process.cjs'), directory], {
    env: {
      ...process.env,
      NODE_OPTIONS: '--openssl-legacy-provider',
      ION_S3_KEYS: JSON.stringify(options.keys ?? []),
      ...(options.recordAccess ? { ION_S3_ACCESS_LOG: logFile } : {}),
    },
    // stdin: a pipe the child watches, so it ends with this process (s3rver-process.cjs); unref'd,
    // so it does not keep this process alive.
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
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
  const client = (credentials: { accessKeyId: string; secretAccessKey: string } = S3RVER_CREDENTIALS) =>
    new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials,
      // Stream bodies sent aws-chunked are stored with their framing by s3rver (docs/test-environment.md).
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  return {
    endpoint,
    directory,
    accessLog() {
      if (!existsSync(logFile)) return [];
      return readFileSync(logFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const r = JSON.parse(line) as { method: string; url: string; accessKeyId?: string; status: number };
          return { ...r, accessKeyId: r.accessKeyId, authorizations: s3Authorizations(r.method, r.url) };
        });
    },
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
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}

/**
 * The IAM actions S3 checks for a path-style request, after the S3 API reference's "Permissions"
 * sections: HEAD/GET of an object → s3:GetObject; PUT, multipart create/part/complete → s3:PutObject
 * (a CopyObject's source is not seen: nothing here copies); DELETE → s3:DeleteObject (s3:AbortMultipartUpload with an
 * uploadId); a bucket listing or HEAD of the bucket → s3:ListBucket (with `s3:prefix`). Anything else
 * comes out as `s3:Unclassified:<METHOD>` so a test sees it instead of missing it.
 */
export function s3Authorizations(method: string, url: string): S3Authorization[] {
  const u = new URL(url, 'http://s3.local');
  const [bucket = '', ...rest] = u.pathname.replace(/^\//, '').split('/');
  const key = rest.map(decodeURIComponent).join('/');
  const q = u.searchParams;
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const objectArn = `${bucketArn}/${key}`;
  const one = (action: string, resource: string, context: Record<string, string> = {}): S3Authorization[] => [
    { action, resource, context },
  ];
  if (!key) {
    if (
      (method === 'GET' && !['location', 'uploads', 'versioning', 'policy', 'acl', 'cors', 'website', 'tagging'].some((p) => q.has(p))) ||
      method === 'HEAD'
    ) {
      return one('s3:ListBucket', bucketArn, method === 'GET' ? { 's3:prefix': q.get('prefix') ?? '' } : {});
    }
    if (method === 'GET' && q.has('location')) return one('s3:GetBucketLocation', bucketArn);
    if (method === 'GET' && q.has('uploads')) return one('s3:ListBucketMultipartUploads', bucketArn);
    if (method === 'PUT' && [...q.keys()].length === 0) return one('s3:CreateBucket', bucketArn);
    if (method === 'DELETE' && [...q.keys()].length === 0) return one('s3:DeleteBucket', bucketArn);
    if (method === 'POST' && q.has('delete')) return one('s3:DeleteObject', `${bucketArn}/*`);
    return one(`s3:Unclassified:${method}`, bucketArn);
  }
  if (method === 'GET' || method === 'HEAD') return one(q.has('uploadId') ? 's3:ListMultipartUploadParts' : 's3:GetObject', objectArn);
  if (method === 'PUT' || method === 'POST') return one('s3:PutObject', objectArn);
  if (method === 'DELETE') return one(q.has('uploadId') ? 's3:AbortMultipartUpload' : 's3:DeleteObject', objectArn);
  return one(`s3:Unclassified:${method}`, objectArn);
}
