/**
 * The reference CodeDeploy hooks (infra/hooks/) against a real S3 server (s3rver) with Debian's AWS
 * CLI, on a temporary instance root, with a PATH holding only what docs/infra.md says an instance
 * needs. Objects are uploaded with SDK v3 Buffer bodies (s3rver stores aws-chunked stream bodies with
 * their framing, lab-notes.md), and every cached object is compared byte for byte with its source.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { PutObjectCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startS3Server, type S3Server } from '../../local-cloud/s3-server.js';
import { awsCalls, instanceEnv, makeInstanceBin } from '../../local-cloud/instance.js';
import { deterministicZip, runHook, runLifecycle, sha256, writeBundle } from '../support/hooks-cluster.js';
import type { Manifest, ManifestEntry } from '../../src/core/manifest/schema.js';
import { objectKey } from '../../src/core/layout.js';

jest.setTimeout(60_000);

const BUCKET = 'ion-code-test';
const PREFIX = 'ions';
const MAVEN = '/usr/share/maven-repo/org/clojure';
const JARS = [
  `${MAVEN}/clojure/1.11.1/clojure-1.11.1.jar`,
  `${MAVEN}/spec.alpha/0.3.218/spec.alpha-0.3.218.jar`,
  `${MAVEN}/core.specs.alpha/0.2.62/core.specs.alpha-0.2.62.jar`,
];

const APP_SRC = {
  'my/app.clj': `(ns my.app)
(defn hello [{:keys [input]}] (str "hello " input))
(defn handler [req] {:status 200 :body "ok"})
`,
};
const APP_RESOURCES = { 'datomic/ion-config.edn': '{:app-name "my-app" :allow [my.app/hello]}\n' };

interface Obj {
  bytes: Buffer;
  entry: ManifestEntry;
}

let s3: S3Server;
let work: string;
const objects: Obj[] = [];

const jarObject = (path: string): Obj => {
  const bytes = readFileSync(path);
  const sha = sha256(bytes);
  return { bytes, entry: { key: objectKey(PREFIX, sha, 'jar'), sha256: sha, size: bytes.length, kind: 'maven', packaging: 'jar', origin: path } };
};
const dirObject = (bytes: Buffer, origin: string): Obj => {
  const sha = sha256(bytes);
  return { bytes, entry: { key: objectKey(PREFIX, sha, 'dir'), sha256: sha, size: bytes.length, kind: 'project', packaging: 'dir', origin } };
};

function manifest(rev: string, entries: Obj[], ionConfig: Record<string, unknown>): Manifest {
  return {
    format: 'ion-actions/manifest',
    version: 1,
    appName: 'my-app',
    rev,
    bucket: BUCKET,
    commit: null,
    reproducible: false,
    classpath: entries.map((o) => o.entry),
    lambdas: [
      { name: 'hello', fn: 'my.app/hello', description: '', timeoutSecs: 60, concurrencyLimit: 20, integration: null },
    ],
    ionConfig,
  };
}

const GOOD_CONFIG = {
  'app-name': 'my-app',
  allow: ['my.app/hello'],
  lambdas: { hello: { fn: 'my.app/hello' } },
  'http-direct': { 'handler-fn': 'my.app/handler' },
};

async function put(o: Obj): Promise<void> {
  const client = s3.client();
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: o.entry.key, Body: o.bytes }));
  client.destroy();
}

/**
 * An instance: its own bin directory (and aws call log) and, unless it shares another's (to skip
 * fetching what that one already has: each AWS CLI start costs about a second), its own root.
 */
function instance(name: string, options: { systemctl?: 'ok' | 'fail'; envFile?: string; root?: string } = {}) {
  const root = options.root ?? join(work, name, 'root');
  const bin = makeInstanceBin(join(work, name, 'bin'), { systemctl: options.systemctl });
  const env = instanceEnv({ binDir: bin, ionRoot: root, s3Endpoint: s3.endpoint, envFile: options.envFile });
  return { root, bin, env };
}

const out = (runs: { stdout: string; stderr: string }[]) => runs.map((r) => r.stdout + r.stderr).join('');

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ion-hooks-'));
  s3 = await startS3Server();
  await s3.createBucket(BUCKET);
  objects.push(dirObject(await deterministicZip(APP_SRC), 'src'));
  objects.push(dirObject(await deterministicZip(APP_RESOURCES), 'resources'));
  for (const jar of JARS) objects.push(jarObject(jar));
  await Promise.all(objects.map(put));
});

afterAll(async () => {
  await s3?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

let inst: ReturnType<typeof instance>;
let bundle: string;

describe('a deployment onto a fresh instance', () => {
  beforeAll(() => {
    inst = instance('fresh');
    bundle = writeBundle(join(work, 'fresh', 'bundle-r1'), manifest('r1', objects, GOOD_CONFIG));
  });

  test('runs every hook, fetching every object byte-identical into the content-addressed cache', async () => {
    const runs = await runLifecycle(bundle, inst.env);
    expect(runs.map((r) => [r.hook, r.code])).toEqual([
      ['before-install', 0],
      ['after-install', 0],
      ['application-start', 0],
      ['validate-service', 0],
    ]);
    const log = out(runs);
    expect(log).toContain(`ion before-install: my-app rev r1: ${objects.length} classpath objects; 0 already cached`);
    expect(log).toContain(`ion before-install: fetched ${objects.length} objects`);
    for (const o of objects) {
      const ext = o.entry.packaging === 'jar' ? 'jar' : 'zip';
      expect(sha256(readFileSync(join(inst.root, 'cache', `${o.entry.sha256}.${ext}`)))).toBe(o.entry.sha256);
      expect(readFileSync(join(inst.root, 'cache', `${o.entry.sha256}.${ext}`)).equals(o.bytes)).toBe(true);
    }
    // One batch `aws s3 cp --recursive` for the whole objects/ prefix, not one process per object.
    expect(awsCalls(inst.bin)).toHaveLength(1);
    expect(awsCalls(inst.bin)[0]).toMatch(/s3 cp s3:\/\/ion-code-test\/ions\/objects\/ .* --recursive/);
  });

  test('writes the classpath in manifest order, unpacks directory entries and points current at the revision', () => {
    const expected = objects.map((o) =>
      o.entry.packaging === 'jar' ? join(inst.root, 'cache', `${o.entry.sha256}.jar`) : join(inst.root, 'unpacked', o.entry.sha256),
    );
    expect(readFileSync(join(inst.root, 'apps', 'my-app', 'r1', 'classpath'), 'utf8').trim()).toBe(expected.join(':'));
    expect(readFileSync(join(inst.root, 'unpacked', objects[0]!.entry.sha256, 'my', 'app.clj'), 'utf8')).toBe(APP_SRC['my/app.clj']);
    expect(readlinkSync(join(inst.root, 'apps', 'my-app', 'current'))).toBe('r1');
    expect(JSON.parse(readFileSync(join(inst.root, 'apps', 'my-app', 'current', 'ion-manifest.json'), 'utf8')).rev).toBe('r1');
    // Scratch directories are cleaned up.
    expect(readdirSync(join(inst.root, 'tmp'))).toEqual([]);
  });

  test('application-start says why it restarts nothing when the instance has no systemctl', async () => {
    const run = await runHook(bundle, 'application-start', { ...inst.env, ION_SERVICE: 'my-app.service' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ion application-start: no systemctl on this machine; not restarting my-app.service');
  });

  test('a second deployment of the same objects fetches nothing', async () => {
    const before = awsCalls(inst.bin).length;
    const bundle2 = writeBundle(join(work, 'fresh', 'bundle-r2'), manifest('r2', objects, GOOD_CONFIG));
    const runs = await runLifecycle(bundle2, inst.env);
    expect(runs.every((r) => r.code === 0)).toBe(true);
    expect(out(runs)).toContain(`${objects.length} already cached`);
    expect(out(runs)).toContain('ion before-install: fetched 0 objects');
    expect(out(runs)).toContain('0 newly unpacked');
    expect(awsCalls(inst.bin).length).toBe(before);
    expect(readlinkSync(join(inst.root, 'apps', 'my-app', 'current'))).toBe('r2');
  });

  test('a corrupted cached object is fetched again', async () => {
    const victim = objects[2]!.entry;
    writeFileSync(join(inst.root, 'cache', `${victim.sha256}.jar`), 'not a jar');
    const run = await runHook(bundle, 'before-install', inst.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`cached ${victim.sha256}.jar does not match its SHA-256 or size; fetching it again`);
    expect(run.stdout).toContain('fetched 1 objects');
    expect(readFileSync(join(inst.root, 'cache', `${victim.sha256}.jar`)).equals(objects[2]!.bytes)).toBe(true);
  });
});

describe('failures end with one line saying what failed', () => {
  test('validate-service names every var that does not resolve', async () => {
    const bad = writeBundle(
      join(work, 'missing-var', 'bundle'),
      manifest('r3', objects, { ...GOOD_CONFIG, allow: ['my.app/hello', 'my.app/nope', 'no.such.ns/f'] }),
    );
    const runs = await runLifecycle(bad, inst.env);
    const validate = runs.at(-1)!;
    expect(validate.hook).toBe('validate-service');
    expect(validate.code).not.toBe(0);
    const lines = validate.stderr.trim().split('\n');
    expect(lines).toContain(
      'ion validate-service: FAILED: var my.app/nope (:allow) not found: namespace my.app loads but defines no var nope',
    );
    expect(lines.find((l) => l.startsWith('ion validate-service: FAILED: var no.such.ns/f (:allow) cannot be loaded'))).toMatch(
      /Could not locate no\/such\/ns__init\.class/,
    );
    expect(lines.at(-1)).toBe('ion validate-service: 4 vars named by ion-config checked, 2 do not resolve');
  });

  test('before-install says which object it cannot fetch', async () => {
    const ghost = dirObject(await deterministicZip({ 'ghost.clj': '(ns ghost)' }), 'ghost');
    const bad = writeBundle(join(work, 'missing-object', 'bundle'), manifest('r4', [...objects, ghost], GOOD_CONFIG));
    const run = await runHook(bad, 'before-install', inst.env);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(
      new RegExp(`^ion before-install: FAILED: cannot fetch s3://${BUCKET}/${ghost.entry.key}: .*404`),
    );
  });

  test('before-install refuses an object whose bytes are not what the manifest says', async () => {
    const tampered = dirObject(await deterministicZip({ 't.clj': '(ns t)' }), 'tampered');
    await put({ ...tampered, bytes: Buffer.from('something else entirely') });
    const bad = writeBundle(join(work, 'tampered', 'bundle'), manifest('r5', [tampered], GOOD_CONFIG));
    const run = await runHook(bad, 'before-install', inst.env);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n').at(-1)).toContain(
      `FAILED: s3://${BUCKET}/${tampered.entry.key} has SHA-256 ${sha256(Buffer.from('something else entirely'))}`,
    );
    expect(existsSync(join(inst.root, 'cache', `${tampered.entry.sha256}.zip`))).toBe(false);
    const client = s3.client();
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: tampered.entry.key }));
    client.destroy();
  });

  test('application-start reports a failed restart; settings come from the env file', async () => {
    const envFile = join(work, 'ion.env');
    writeFileSync(envFile, 'ION_SERVICE=my-app.service\n');
    const withSystemd = instance('restart', { systemctl: 'fail', envFile, root: inst.root });
    const start = await runHook(bundle, 'application-start', withSystemd.env);
    expect(start.code).not.toBe(0);
    expect(start.stderr.trim()).toBe(
      'ion application-start: FAILED: systemctl restart my-app.service failed: Job for my-app.service failed. (see: journalctl -u my-app.service -n 100)',
    );
    expect(readFileSync(join(withSystemd.bin, 'systemctl.log'), 'utf8')).toBe('restart my-app.service\n');
  });

  test('a bundle without a manifest is refused', async () => {
    const bad = writeBundle(join(work, 'no-manifest', 'bundle'), manifest('r7', objects, GOOD_CONFIG));
    rmSync(join(bad, 'ion-manifest.json'));
    const run = await runHook(bad, 'before-install', inst.env);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/^ion before-install: FAILED: no ion-manifest.json next to hooks\//m);
  });
});
