/**
 * The object index (docs/s3-layout.md), with the built push action against a real S3 server
 * (s3rver) behind the counting proxy (test/support/s3-proxy.ts), which records every request: what
 * is asserted is the requests, never the time.
 *
 * Client configuration against s3rver: the action's own (path-style because AWS_ENDPOINT_URL_S3 is
 * set; WHEN_REQUIRED checksums, Buffer bodies). s3rver ignores If-None-Match (its create-only
 * writes overwrite), so the 412 path is covered by test/unit/s3-object-store.test.ts; objects are
 * checked here by hashing what the server returns.
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yazl from 'yazl';
import { type ActionResult, runAction } from '../../local-cloud/run-action.js';
import { type S3Server, startS3Server } from '../../local-cloud/s3-server.js';
import { type FakeCodeDeployRevisions, startFakeCodeDeployRevisions } from '../support/fake-codedeploy-revisions.js';
import { startS3Proxy } from '../support/s3-proxy.js';

const APP = 'idx-app';
const INDEX_KEY = `ions/${APP}/revisions/object-index.json`;
let s3: S3Server;
let client: S3Client;
let codedeploy: FakeCodeDeployRevisions;
let buckets = 0;

beforeAll(async () => {
  [s3, codedeploy] = await Promise.all([startS3Server(), startFakeCodeDeployRevisions({ [APP]: [] })]);
  client = s3.client();
});
afterAll(async () => {
  client?.destroy();
  await Promise.all([s3?.close(), codedeploy?.close()]);
});

async function newBucket(): Promise<string> {
  const bucket = `idx-${++buckets}-${process.pid}`;
  await s3.createBucket(bucket);
  return bucket;
}

const zipOf = (files: Record<string, Buffer>) =>
  new Promise<Buffer>((done) => {
    const zip = new yazl.ZipFile();
    for (const [name, data] of Object.entries(files)) zip.addBuffer(data, name);
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => done(Buffer.concat(chunks)));
  });

/** A committed project with `jars` real (small) Maven jars on its classpath, given through the `classpath` input. */
async function makeProject(jars: number): Promise<{ dir: string; home: string; classpath: string; change: () => void }> {
  const root = mkdtempSync(join(tmpdir(), 'idx-project-'));
  const dir = join(root, 'app');
  mkdirSync(join(dir, 'src', 'app'), { recursive: true });
  mkdirSync(join(dir, 'resources', 'datomic'), { recursive: true });
  writeFileSync(join(dir, 'deps.edn'), '{:paths ["src" "resources"]}\n');
  writeFileSync(join(dir, 'src', 'app', 'core.clj'), '(ns app.core)\n(defn f [x] x)\n');
  writeFileSync(join(dir, 'resources', 'datomic', 'ion-config.edn'), `{:app-name "${APP}" :allow [app.core/f]}\n`);
  const paths: string[] = [];
  for (let i = 0; i < jars; i++) {
    const jarDir = join(root, 'home', '.m2', 'repository', 'idx', `lib${i}`, '1.0');
    const path = join(jarDir, `lib${i}-1.0.jar`);
    mkdirSync(jarDir, { recursive: true });
    writeFileSync(path, await zipOf({ [`lib${i}/core.clj`]: Buffer.from(`(ns lib${i}.core)\n`), 'data.bin': randomBytes(2048) }));
    paths.push(path);
  }
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
    });
  const commit = () => {
    git('add', '-A');
    git('commit', '-q', '-m', 'change');
  };
  git('init', '-q', '-b', 'main');
  commit();
  let changes = 0;
  return {
    dir,
    home: join(root, 'home'),
    classpath: ['src', 'resources', ...paths].join(':'),
    change: () => {
      writeFileSync(join(dir, 'src', 'app', 'core.clj'), `(ns app.core)\n(defn f [x] (+ x ${++changes}))\n`);
      commit();
    },
  };
}

interface Pushed extends ActionResult {
  /** `METHOD key` of every S3 request, in order of arrival. */
  requests: string[];
}

async function push(bucket: string, project: { dir: string; home: string; classpath: string }): Promise<Pushed> {
  const requests: string[] = [];
  const proxy = await startS3Proxy(s3.endpoint, {
    onRequest: (method, path) => requests.push(`${method} ${decodeURIComponent(path.split('?')[0]!).replace(`/${bucket}/`, '')}`),
  });
  try {
    const result = await runAction(
      'push',
      { bucket, classpath: project.classpath },
      {
        cwd: project.dir,
        env: {
          AWS_ENDPOINT_URL_S3: proxy.url,
          AWS_ENDPOINT_URL_CODEDEPLOY: codedeploy.url,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'S3RVER',
          AWS_SECRET_ACCESS_KEY: 'S3RVER',
          AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
          AWS_CONFIG_FILE: '/nonexistent',
          AWS_EC2_METADATA_DISABLED: 'true',
          GITHUB_WORKSPACE: project.dir,
          HOME: project.home, // the jars are in its ~/.m2: Maven jars, so the revision is the commit
        },
      },
    );
    if (result.exitCode !== 0) throw new Error(`push failed:\n${result.stdout}\n${result.stderr}`);
    return { ...result, requests };
  } finally {
    await proxy.close();
  }
}

type Project = Awaited<ReturnType<typeof makeProject>>;

/** One cold push of a 4-jar project, made the first time a test asks for it. */
let coldPush: Promise<{ bucket: string; project: Project }> | undefined;

/**
 * A new bucket holding what a cold push of the shared 4-jar project left (copied with CopyObject, metadata
 * and all), and that project: for tests that start from a pushed bucket and push a new commit onto it, so
 * the cold push is run once rather than once per test.
 */
async function copyOfColdPush(): Promise<{ bucket: string; project: Project }> {
  coldPush ??= (async () => {
    const bucket = await newBucket();
    const project = await makeProject(4);
    await push(bucket, project);
    return { bucket, project };
  })();
  const { bucket: from, project } = await coldPush;
  const bucket = await newBucket();
  const listed = await client.send(new ListObjectsV2Command({ Bucket: from }));
  expect(listed.IsTruncated).toBe(false);
  for (const { Key } of listed.Contents ?? []) {
    await client.send(new CopyObjectCommand({ Bucket: bucket, Key, CopySource: `${from}/${Key}` }));
  }
  return { bucket, project };
}

const objectRequests = (p: Pushed) => p.requests.filter((r) => r.includes('/objects/'));

async function get(bucket: string, key: string): Promise<Buffer | null> {
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await out.Body!.transformToByteArray());
  } catch {
    return null;
  }
}

const indexKeys = async (bucket: string): Promise<string[]> =>
  JSON.parse((await get(bucket, INDEX_KEY))!.toString('utf8')).objects.map((o: { key: string }) => o.key);

describe('the object index', () => {
  test('a warm push of a new commit asks S3 about no object the index lists: its requests do not grow with the number of jars', async () => {
    const warm: Pushed[] = [];
    for (const jars of [3, 40]) {
      const bucket = await newBucket();
      const project = await makeProject(jars);
      const cold = await push(bucket, project);
      // Cold: one create-only PutObject per object, no HeadObject before it.
      expect(objectRequests(cold).filter((r) => r.startsWith('HEAD'))).toEqual([]);
      expect(objectRequests(cold).filter((r) => r.startsWith('PUT'))).toHaveLength(jars + 2);
      expect(await indexKeys(bucket)).toHaveLength(jars + 2);
      project.change();
      warm.push(await push(bucket, project));
    }
    for (const w of warm) {
      expect(w.stdout).toMatch(/Object index .* objects known to be in the bucket/);
      // Only the changed directory's zip goes up; nothing else about objects is asked.
      expect(objectRequests(w)).toHaveLength(1);
      expect(objectRequests(w)[0]).toMatch(/^PUT ions\/objects\/[0-9a-f]{64}\.zip$/);
    }
    // The bound: GET index + HEAD bundle, PUT per changed entry, PUT bundle, PUT index — whatever the jars.
    expect(warm[0]!.requests.length).toBe(warm[1]!.requests.length);
    expect(warm[1]!.requests.length).toBe(5);
  });

  test('a warm push of the same commit makes two requests (bundle and index, at once) and writes nothing', async () => {
    const bucket = await newBucket();
    const project = await makeProject(5);
    await push(bucket, project);
    const again = await push(bucket, project);
    expect(again.requests.sort()).toEqual([
      `GET ${INDEX_KEY}`,
      `HEAD ions/${APP}/revisions/${execFileSync('git', ['rev-parse', 'HEAD'], { cwd: project.dir }).toString().trim()}.zip`,
    ]);
  });

  test.each([
    ['garbled', () => Buffer.from('{"format": "ion-actions/object-index", "objects": [')],
    ['foreign (another application)', (keys: string[]) => indexOf('other-app', keys)],
    [
      'foreign (keys under another prefix)',
      (keys: string[]) =>
        indexOf(
          APP,
          keys.map((k) => k.replace(/^ions\//, 'elsewhere/')),
        ),
    ],
    ['oversize (over 4 MiB)', () => Buffer.alloc(4 * 1024 * 1024 + 1, 0x20)],
  ])(
    'a %s index is ignored with a log line: every object is checked in S3 as before, and the index is rewritten from this push alone',
    async (_label, make) => {
      const { bucket, project } = await copyOfColdPush();
      const keys = await indexKeys(bucket);
      expect(keys).toHaveLength(4 + 2);
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: INDEX_KEY, Body: make(keys) }));
      project.change();
      const warm = await push(bucket, project);
      expect(warm.stdout).toMatch(/Object index .* ignored \(.+\): every object is checked in S3/);
      const checked = objectRequests(warm)
        .filter((r) => r.startsWith('HEAD'))
        .map((r) => r.slice(5));
      expect(checked).toHaveLength(keys.length);
      // Rewritten from this push's objects alone: nothing of the untrusted index is kept.
      expect(new Set(await indexKeys(bucket))).toEqual(new Set(checked));
    },
  );

  test('after a deploy found an object missing: deleting the index and pushing the same commit again uploads it', async () => {
    const bucket = await newBucket();
    const project = await makeProject(4);
    await push(bucket, project);
    const [lost] = (await indexKeys(bucket)).filter((k) => k.endsWith('.jar'));
    const before = await get(bucket, lost!);
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: lost! }));
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: INDEX_KEY }));
    const again = await push(bucket, project);
    expect(again.requests).toContain(`PUT ${lost}`);
    const stored = await get(bucket, lost!);
    expect(stored && createHash('sha256').update(stored).digest('hex')).toBe(createHash('sha256').update(before!).digest('hex'));
    expect(await indexKeys(bucket)).toContain(lost);
  });
});

function indexOf(appName: string, keys: string[]): Buffer {
  const objects = keys.map((key) => ({ key, sha256: /([0-9a-f]{64})/.exec(key)![1], size: 1 }));
  return Buffer.from(JSON.stringify({ format: 'ion-actions/object-index', version: 1, appName, objects }));
}
