/**
 * The reference CodeDeploy hooks (infra/hooks/) against a real S3 server (s3rver) with Debian's AWS
 * CLI, on a temporary instance root, with a PATH holding only what docs/infra.md says an instance
 * needs. Objects are uploaded with SDK v3 Buffer bodies (s3rver stores aws-chunked stream bodies with
 * their framing, docs/test-environment.md), and every cached object is compared byte for byte with its source.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { PutObjectCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  symlinkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
  existsSync,
  readdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startS3Server, type S3Server } from '../../local-cloud/s3-server.js';
import {
  awsCalls,
  instanceEnv,
  letServiceUserIn,
  makeInstanceBin,
  LOCAL_APP_USER,
  type PrivilegeDrop,
} from '../../local-cloud/instance.js';
import { deterministicZip, HOOK_ORDER, runHook, runLifecycle, sha256, writeBundle } from '../support/hooks-cluster.js';
import type { Manifest, ManifestEntry } from '../../src/core/manifest/schema.js';
import { objectKey } from '../../src/core/layout.js';

// Generous: JVM starts and AWS CLI runs take many times longer on a busy machine; these only catch hangs.
jest.setTimeout(600_000);

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
  return {
    bytes,
    entry: { key: objectKey(PREFIX, sha, 'jar'), sha256: sha, size: bytes.length, kind: 'maven', packaging: 'jar', origin: path },
  };
};
const dirObject = (bytes: Buffer, origin: string): Obj => {
  const sha = sha256(bytes);
  return {
    bytes,
    entry: { key: objectKey(PREFIX, sha, 'dir'), sha256: sha, size: bytes.length, kind: 'project', packaging: 'dir', origin },
  };
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
    lambdas: [{ name: 'hello', fn: 'my.app/hello', description: '', timeoutSecs: 60, concurrencyLimit: 20, integration: null }],
    ionConfig,
  };
}

const GOOD_CONFIG = {
  'app-name': 'my-app',
  allow: ['my.app/hello'],
  lambdas: { hello: { fn: 'my.app/hello' } },
  'http-direct': { 'handler-fn': 'my.app/handler' },
};

/** An ion-config that names no vars (with no lambdas in the manifest): ValidateService then starts no JVM, for tests about something else. */
const NO_VARS_CONFIG = { 'app-name': 'my-app' };

async function put(o: Obj): Promise<void> {
  const client = s3.client();
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: o.entry.key, Body: o.bytes }));
  client.destroy();
}

/**
 * An instance: its own bin directory (and aws call log) and, unless it shares another's (to skip
 * fetching what that one already has: each AWS CLI start costs about a second), its own root.
 */
function instance(
  name: string,
  options: { systemctl?: 'ok' | 'fail'; envFile?: string; root?: string; privilegeDrop?: PrivilegeDrop[] } = {},
) {
  const root = options.root ?? join(work, name, 'root');
  const bin = makeInstanceBin(join(work, name, 'bin'), { systemctl: options.systemctl, privilegeDrop: options.privilegeDrop });
  mkdirSync(root, { recursive: true });
  letServiceUserIn(root, bin);
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
      ['prune-cache', 0],
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
    // No vars to load: loading them (a JVM start) was proven by the first deployment, and is not what this one is about.
    const bundle2 = writeBundle(join(work, 'fresh', 'bundle-r2'), { ...manifest('r2', objects, NO_VARS_CONFIG), lambdas: [] });
    const runs = await runLifecycle(bundle2, inst.env);
    expect(runs.every((r) => r.code === 0)).toBe(true);
    expect(out(runs)).toContain(`${objects.length} already cached`);
    expect(out(runs)).toContain('ion before-install: fetched 0 objects');
    expect(out(runs)).toContain('0 newly unpacked');
    expect(out(runs)).toContain('ion validate-service: ion-config names no vars');
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
    // The objects are cached (the first deployment): AfterInstall writes r3's classpath, then the check.
    expect((await runHook(bad, 'after-install', inst.env)).code).toBe(0);
    const validate = await runHook(bad, 'validate-service', inst.env);
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

  test('a health URL that never answers fails the hook, and credentials in it never reach the log', async () => {
    const box = instance('health', { root: inst.root });
    symlinkSync('/usr/bin/curl', join(box.bin, 'curl'));
    // Rev r1 (installed by the first deployment) with an ion-config that names no vars: no JVM before the health check.
    const noVars = writeBundle(join(work, 'health', 'bundle'), { ...manifest('r1', objects, NO_VARS_CONFIG), lambdas: [] });
    const run = await runHook(noVars, 'validate-service', {
      ...box.env,
      ION_HEALTH_URL: 'http://admin:s3cret@127.0.0.1:1/health',
      ION_HEALTH_TIMEOUT: '0',
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(
      /^ion validate-service: FAILED: http:\/\/\*\*\*@127\.0\.0\.1:1\/health did not answer 2xx within 0s: curl: /,
    );
    expect(run.stdout + run.stderr).not.toContain('s3cret');
  });

  test('a bundle without a manifest is refused', async () => {
    const bad = writeBundle(join(work, 'no-manifest', 'bundle'), manifest('r7', objects, GOOD_CONFIG));
    rmSync(join(bad, 'ion-manifest.json'));
    const run = await runHook(bad, 'before-install', inst.env);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/^ion before-install: FAILED: no ion-manifest.json next to hooks\//m);
  });
});

describe('no temporary tree outlives a hook', () => {
  test('a failed unpack leaves neither a half-unpacked directory nor a scratch directory', async () => {
    const good = await deterministicZip({ 'broken/core.clj': `(ns broken.core)\n;; ${'filler '.repeat(2000)}\n` });
    // Corrupt the deflated data of the one entry (after its 30-byte header and name): the zip's
    // structure still reads, but extracting fails part-way. Its SHA-256 is the manifest's, so
    // BeforeInstall accepts it, as it would a zip push wrote wrong.
    const bad = Buffer.from(good);
    const dataStart = 30 + bad.readUInt16LE(26) + bad.readUInt16LE(28);
    for (let i = dataStart + 10; i < dataStart + 40; i++) bad[i] = bad[i]! ^ 0xff;
    const broken = dirObject(bad, 'broken');
    await put(broken);
    const failing = instance('bad-unpack');
    const b = writeBundle(join(work, 'bad-unpack', 'bundle'), manifest('r-bad', [...objects, broken], GOOD_CONFIG));
    const runs = await runLifecycle(b, failing.env);
    expect(runs.map((r) => [r.hook, r.code === 0])).toEqual([
      ['before-install', true],
      ['after-install', false],
    ]);
    expect(runs[1]!.stderr.trim().split('\n').at(-1)).toMatch(
      new RegExp(
        `^ion after-install: FAILED: .*${broken.entry.sha256}\\.zip is not a valid zip \\(.*\\); it passed its SHA-256 check, so push produced it: push again$`,
      ),
    );
    expect(readdirSync(join(failing.root, 'unpacked')).filter((n) => n.startsWith(broken.entry.sha256))).toEqual([]);
    expect(readdirSync(join(failing.root, 'tmp'))).toEqual([]);
    expect(existsSync(join(failing.root, 'apps', 'my-app', 'current'))).toBe(false);
  });

  test('a hook stopped by SIGTERM (the agent stopping it) removes its scratch directory', async () => {
    // An `aws` that hangs, so BeforeInstall is stopped mid-fetch with its scratch directory full.
    const stopped = instance('stopped', {});
    writeFileSync(join(stopped.bin, 'aws'), `#!/bin/sh\necho started >> '${join(stopped.bin, 'hang.log')}'\nexec sleep 600\n`);
    const b = writeBundle(join(work, 'stopped', 'bundle'), manifest('r-stop', objects, GOOD_CONFIG));
    const child = spawn(join(b, 'hooks', 'before-install.sh'), [], {
      env: stopped.env,
      cwd: '/',
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    while (!existsSync(join(stopped.bin, 'hang.log'))) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(join(stopped.root, 'tmp'))).toHaveLength(1);
    process.kill(-child.pid!, 'SIGTERM'); // the process group, as a supervisor stops a script
    expect(await exited).toBe(143);
    expect(stderr).toContain('ion before-install: FAILED: unexpected error (exit status 143) while fetching objects from s3://');
    expect(readdirSync(join(stopped.root, 'tmp'))).toEqual([]);
  });
});

describe('pruning after a good deployment', () => {
  const srcObject = async (n: number) => dirObject(await deterministicZip({ [`v${n}/core.clj`]: `(ns v${n}.core)\n` }), `src-v${n}`);
  const NO_VARS = {};
  const revision = (rev: string, src: Obj, jarsAndResources: Obj[]): Manifest => ({
    ...manifest(rev, [src, ...jarsAndResources], NO_VARS),
    lambdas: [],
  });

  test('keeps the objects of the newest ION_KEEP_REVISIONS revisions (set in the env file) and logs what it removed', async () => {
    const shared = objects.slice(1); // resources and the jars: used by every revision
    const src = await Promise.all([1, 2, 3].map(srcObject));
    await Promise.all(src.map(put));
    const envFile = join(work, 'prune.env');
    writeFileSync(envFile, 'ION_KEEP_REVISIONS=2\n');
    const box = instance('prune', { envFile });
    const cacheOf = (o: Obj) => `${o.entry.sha256}.${o.entry.packaging === 'jar' ? 'jar' : 'zip'}`;
    // The first three deployments find their objects in the cache, as an earlier fetch would have left
    // them (fetching is the first describe's business), so only the rollback below starts the AWS CLI:
    // for the one object pruning removed.
    mkdirSync(join(box.root, 'cache'));
    const seed = (...os: Obj[]) => {
      for (const o of os) writeFileSync(join(box.root, 'cache', cacheOf(o)), o.bytes);
    };
    let fetchLog = '';
    /** Deploys a revision; returns prune-cache's log (and keeps before-install's in fetchLog). */
    const deploy = async (rev: string, s: Obj) => {
      const runs = await runLifecycle(writeBundle(join(work, 'prune', `bundle-${rev}`), revision(rev, s, shared)), box.env);
      expect(runs.map((r) => [r.hook, r.code, r.stderr])).toEqual(HOOK_ORDER.map((h) => [h, 0, '']));
      fetchLog = runs[0]!.stdout;
      return runs.at(-1)!.stdout;
    };
    const cached = () => readdirSync(join(box.root, 'cache')).sort();

    seed(...shared, src[0]!);
    expect(await deploy('r1', src[0]!)).toContain(
      'ion prune-cache: pruned 0 revisions, 0 cached objects and 0 unpacked directories: 0 B freed (ION_KEEP_REVISIONS=2)',
    );
    seed(src[1]!);
    await deploy('r2', src[1]!);
    // Leftovers of killed hooks: an old scratch directory and a half-unpacked tree of an older version.
    const staleScratch = join(box.root, 'tmp', 'before-install.AbCdEf');
    mkdirSync(join(staleScratch, 'stage'), { recursive: true });
    const threeHoursAgo = new Date(Date.now() - 3 * 3600_000);
    utimesSync(staleScratch, threeHoursAgo, threeHoursAgo);
    const halfUnpacked = `${src[1]!.entry.sha256}.tmp-4242`;
    mkdirSync(join(box.root, 'unpacked', halfUnpacked, 'v2'), { recursive: true });

    seed(src[2]!);
    const log3 = await deploy('r3', src[2]!);
    expect(log3).toContain('ion prune-cache: my-app: keeping 2 of 3 revisions (r3, r2; current r3)');
    expect(log3).toContain('ion prune-cache: removed revision my-app/r1 (');
    expect(log3).toContain(`ion prune-cache: removed cache/${cacheOf(src[0]!)} (`);
    expect(log3).toContain(`ion prune-cache: removed unpacked/${src[0]!.entry.sha256}/ (`);
    expect(log3).toContain(`ion prune-cache: removed unpacked/${halfUnpacked}/ (`);
    expect(log3).toContain('ion prune-cache: removed tmp/before-install.AbCdEf (left by a hook that was killed)');
    expect(log3).toMatch(
      /ion prune-cache: pruned 1 revisions, 1 cached objects and 2 unpacked directories: \d+(\.\d)? (B|KiB) freed \(ION_KEEP_REVISIONS=2\)/,
    );
    expect(cached()).toEqual([...shared, src[1]!, src[2]!].map(cacheOf).sort());
    expect(readdirSync(join(box.root, 'unpacked')).sort()).toEqual(
      [src[1]!.entry.sha256, src[2]!.entry.sha256, shared[0]!.entry.sha256].sort(),
    );
    expect(readdirSync(join(box.root, 'apps', 'my-app')).sort()).toEqual(['current', 'r2', 'r3']);
    expect(readdirSync(join(box.root, 'tmp'))).toEqual([]);

    // A rollback to r1 deploys it again (fetching its one pruned object): it is now the newest, r2 the oldest.
    expect(awsCalls(box.bin)).toEqual([]);
    const log1 = await deploy('r1', src[0]!);
    expect(fetchLog).toContain('ion before-install: fetched 1 objects');
    expect(awsCalls(box.bin)).toHaveLength(1);
    expect(log1).toContain('ion prune-cache: my-app: keeping 2 of 3 revisions (r1, r3; current r1)');
    expect(log1).toContain('ion prune-cache: removed revision my-app/r2 (');
    expect(cached()).toEqual([...shared, src[0]!, src[2]!].map(cacheOf).sort());
  });

  test('a bad ION_KEEP_REVISIONS fails the hook, saying what to set', async () => {
    const box = instance('bad-keep');
    const b = writeBundle(join(work, 'bad-keep', 'bundle'), manifest('r1', objects, GOOD_CONFIG));
    const run = await runHook(b, 'prune-cache', { ...box.env, ION_KEEP_REVISIONS: '0' });
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim()).toBe(
      `ion prune-cache: FAILED: ION_KEEP_REVISIONS is '0'; set it in ${box.env.ION_ENV_FILE} to how many revisions per app the instance keeps, a whole number from 1 (default 3)`,
    );
  });
});

describe("the application's code is loaded as the service user, never as root", () => {
  // CI runs as root, as the CodeDeploy agent runs the hooks; the service user is `nobody` there.
  const AS_ROOT = process.getuid?.() === 0;
  const asRoot = AS_ROOT ? test : test.skip;
  let spy: string;
  let rootOnly: string;
  let nosy: Obj;
  let b: string;
  let root: string; // the instance root these tests share (the first deploys onto it)

  beforeAll(async () => {
    spy = join(work, 'spy'); // what the app's top-level forms saw, written where anyone may write
    mkdirSync(spy);
    chmodSync(spy, 0o777);
    rootOnly = join(work, 'root-only');
    mkdirSync(rootOnly, { mode: 0o755 });
    const at = (name: string) => JSON.stringify(join(spy, name));
    nosy = dirObject(
      await deterministicZip({
        'nosy/core.clj': `(ns nosy.core)
(spit ${at('user')} (System/getProperty "user.name"))
(spit ${at('env')} (pr-str (sort (keys (System/getenv)))))
(spit ${at('attempt')} (try (spit ${JSON.stringify(join(rootOnly, 'pwned'))} "x") "wrote it" (catch Exception e (.getMessage e))))
(defn f [_] "ok")
`,
      }),
      'nosy',
    );
    await put(nosy);
    root = join(work, 'privileges', 'root');
    b = writeBundle(join(work, 'privileges', 'bundle'), {
      ...manifest('r-nosy', [nosy, ...objects.slice(1)], { 'app-name': 'my-app', allow: ['nosy.core/f'] }),
      lambdas: [],
    });
    // Installed once, for every test here (each may run alone).
    const setup = instance('privileges-setup', { root });
    for (const hook of ['before-install', 'after-install'] as const) expect((await runHook(b, hook, setup.env)).code).toBe(0);
  });

  const clearSpy = () => {
    for (const f of readdirSync(spy)) rmSync(join(spy, f));
  };
  const expectLoadedAsServiceUser = () => {
    expect(readFileSync(join(spy, 'user'), 'utf8')).toBe(LOCAL_APP_USER);
    expect(readFileSync(join(spy, 'attempt'), 'utf8')).toMatch(/Permission denied/);
    expect(existsSync(join(rootOnly, 'pwned'))).toBe(false);
    // A clean environment: nothing of the hook's (ion.env, the agent's variables, credentials).
    const env = readFileSync(join(spy, 'env'), 'utf8');
    expect(env).toContain('"PATH"');
    for (const name of ['AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'ION_ROOT', 'DEPLOYMENT_ID', 'ION_APP_USER'])
      expect(env).not.toContain(`"${name}"`);
  };

  asRoot(
    'with setpriv: top-level forms run as the service user, cannot write what root owns, and see none of the hook environment',
    async () => {
      clearSpy();
      const box = instance('privileges', { root });
      const runs = await runLifecycle(b, box.env);
      expect(runs.map((r) => [r.hook, r.code])).toEqual(HOOK_ORDER.map((h) => [h, 0]));
      const validate = runs.find((r) => r.hook === 'validate-service')!;
      expect(validate.stdout).toContain(
        `ion validate-service: loading the application's code as ${LOCAL_APP_USER} (via setpriv), not as root`,
      );
      expect(validate.stdout).toContain('ion validate-service: 1 vars named by ion-config checked, 0 do not resolve');
      expectLoadedAsServiceUser();
    },
  );

  asRoot('with runuser, on an image without setpriv, the same', async () => {
    clearSpy();
    const box = instance('privileges-runuser', { root, privilegeDrop: ['runuser'] });
    const run = await runHook(b, 'validate-service', box.env);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain(`ion validate-service: loading the application's code as ${LOCAL_APP_USER} (via runuser), not as root`);
    expectLoadedAsServiceUser();
  });

  asRoot('a service user that does not exist fails the hook before any code is loaded', async () => {
    clearSpy();
    const box = instance('no-user', { root });
    const run = await runHook(b, 'validate-service', { ...box.env, ION_APP_USER: 'no-such-ion-user' });
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim()).toBe(
      `ion validate-service: FAILED: the service user 'no-such-ion-user' does not exist on this instance: the application's code is never loaded as root. Create it (useradd --system --no-create-home no-such-ion-user), or set ION_APP_USER in ${box.env.ION_ENV_FILE} to the User= of your service's unit`,
    );
    expect(readdirSync(spy)).toEqual([]);
  });

  asRoot('an image with neither setpriv nor runuser fails the hook rather than load the code as root', async () => {
    clearSpy();
    const box = instance('no-util-linux', { root, privilegeDrop: [] });
    const run = await runHook(b, 'validate-service', box.env);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim()).toBe(
      `ion validate-service: FAILED: neither setpriv nor runuser is installed, so the hook cannot drop root to run the application's code as ${LOCAL_APP_USER}: install util-linux`,
    );
    expect(readdirSync(spy)).toEqual([]);
  });

  asRoot('a classpath entry the service user cannot read fails the hook, saying what to fix', async () => {
    clearSpy();
    const box = instance('unreadable', { root });
    const dir = join(root, 'unpacked', nosy.entry.sha256);
    const mode = statSync(dir).mode & 0o7777;
    chmodSync(dir, 0o700);
    try {
      const run = await runHook(b, 'validate-service', box.env);
      expect(run.code).not.toBe(0);
      expect(run.stderr.trim()).toBe(
        `ion validate-service: FAILED: the service user cannot read the classpath entry ${dir}: the service could not either. Make ${root} and the directories above it readable and searchable by ${LOCAL_APP_USER} (chmod 755)`,
      );
      expect(readdirSync(spy)).toEqual([]);
    } finally {
      chmodSync(dir, mode);
    }
  });

  test('not root (a developer machine, a local cloud): nothing to drop, and the log says so', async () => {
    // As root (CI), an `id` that reports another uid stands in for a hook run by a normal user.
    const box = instance('not-root', { root });
    if (AS_ROOT) {
      rmSync(join(box.bin, 'id'));
      writeFileSync(join(box.bin, 'id'), '#!/bin/sh\nif [ "$*" = -u ]; then echo 1000; else exec /usr/bin/id "$@"; fi\n', { mode: 0o755 });
    }
    const run = await runHook(b, 'validate-service', box.env);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toMatch(
      /^ion validate-service: not running as root, so loading the application's code as \S+ \(no privileges to drop\)$/m,
    );
    expect(run.stdout).not.toContain('via setpriv');
  });
});
