/**
 * The built push action against hostile trees: links out of the project, system files, devices,
 * FIFOs and sockets on the classpath. Push must refuse each one by name, at once (no hang: a FIFO
 * or /dev/zero that is opened or read blocks or never ends), read nothing from it, and upload
 * nothing. Runs against a real S3 server (s3rver) and a local CodeDeploy, like push.test.ts.
 *
 * Client configuration against s3rver: the action's own (path-style because AWS_ENDPOINT_URL_S3 is
 * set). s3rver does not verify checksums, so a test that uploads compares stored bytes with sources.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import yauzl from 'yauzl';
import { startS3Server, type S3Server } from '../../local-cloud/s3-server.js';
import { startFakeCodeDeployRevisions, type FakeCodeDeployRevisions } from '../support/fake-codedeploy-revisions.js';
import { runAction, type ActionResult } from '../../local-cloud/run-action.js';
import { STAND_IN_BIN } from '../../local-cloud/clojure-stand-in.js';
import { makeSampleProject, resolveSampleClasspath } from '../support/sample-project.js';
import { runnerCommands } from '../support/runner-commands.js';

// jest.config.js gives every test 120 s; these need far less (none may hang).

const BUCKET = 'ion-hostile';
/** A session token only this test knows: if it reaches the log, the summary or the bucket, a secret leaked. */
const SESSION_TOKEN = `tok-${randomBytes(12).toString('hex')}`;
let s3: S3Server;
let client: S3Client;
let codedeploy: FakeCodeDeployRevisions;
let sampleClasspath: string;

beforeAll(async () => {
  [s3, codedeploy] = await Promise.all([startS3Server(), startFakeCodeDeployRevisions({ 'sample-app': ['sample-prod'] })]);
  await s3.createBucket(BUCKET);
  client = s3.client();
  sampleClasspath = resolveSampleClasspath(makeSampleProject().dir);
});

afterAll(async () => {
  client?.destroy();
  await Promise.all([s3?.close(), codedeploy?.close()]);
});

const awsEnv = () => ({
  AWS_ENDPOINT_URL_S3: s3.endpoint,
  AWS_ENDPOINT_URL_CODEDEPLOY: codedeploy.url,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_SESSION_TOKEN: SESSION_TOKEN,
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_EC2_METADATA_DISABLED: 'true',
});

const noCredentials = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined };

function push(dir: string, inputs: Record<string, string> = {}, env: Record<string, string | undefined> = {}): Promise<ActionResult> {
  return runAction(
    'push',
    { bucket: BUCKET, 'working-directory': '.', classpath: sampleClasspath, ...inputs },
    {
      cwd: dir,
      env: { ...awsEnv(), PATH: `${STAND_IN_BIN}${delimiter}${process.env.PATH}`, GITHUB_WORKSPACE: dir, ...env },
    },
  );
}

async function listKeys(): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: token, MaxKeys: 50 }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}

async function getBytes(key: string): Promise<Buffer> {
  const out = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

function readZip(data: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(data, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const files = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(files));
      zip.readEntry();
    });
  });
}

/** Every byte the bucket holds, zips inflated: a secret hidden in a deflated entry is found too. */
async function everythingStored(): Promise<string> {
  const parts: string[] = [];
  for (const key of await listKeys()) {
    const data = await getBytes(key);
    parts.push(data.toString('latin1'));
    if (key.endsWith('.zip')) for (const content of (await readZip(data)).values()) parts.push(content.toString('latin1'));
  }
  return parts.join('\n');
}

/** The failed run's error annotations, and a check that push printed no command but its own. */
function errorsOf(r: ActionResult): string[] {
  for (const c of runnerCommands(r.stdout)) expect(['error', 'warning', 'notice', 'group', 'endgroup', 'debug']).toContain(c.name);
  return r.annotations.filter((a) => a.startsWith('::error'));
}

describe('nothing outside the project is ever packed', () => {
  test('a committed link to /proc/self/environ: push fails naming the link and its target, uploads nothing, leaks nothing', async () => {
    const project = makeSampleProject();
    symlinkSync('/proc/self/environ', join(project.dir, 'resources', 'build-info.txt'));
    project.commit();
    const before = await listKeys();
    const registered = codedeploy.state.applications.get('sample-app')?.revisions.length ?? 0;

    const r = await push(project.dir);
    expect(r.exitCode).toBe(1);
    const errors = errorsOf(r);
    expect(errors.join('\n')).toMatch(
      /resources\/build-info\.txt is a symbolic link to \/proc\/self\/environ.*under \/proc, \/sys or \/dev/,
    );
    expect(await listKeys()).toEqual(before);
    expect(codedeploy.state.applications.get('sample-app')?.revisions.length ?? 0).toBe(registered);
    for (const text of [r.stdout, r.stderr, r.summary, await everythingStored()]) expect(text).not.toContain(SESSION_TOKEN);
  });

  test('a link to a file outside the repository is refused, naming link and target; nothing is uploaded', async () => {
    const outside = join(mkdtempSync(join(tmpdir(), 'outside-')), 'secrets.edn');
    writeFileSync(outside, `{:token "${SESSION_TOKEN}"}\n`);
    const project = makeSampleProject();
    symlinkSync(outside, join(project.dir, 'src', 'sample', 'config.edn'));
    project.commit();
    const before = await listKeys();
    const r = await push(project.dir);
    expect(r.exitCode).toBe(1);
    const errors = errorsOf(r);
    expect(
      errors.some((e) => e.includes(`src/sample/config.edn is a symbolic link to ${outside}`) && e.includes('outside the repository')),
    ).toBe(true);
    expect(await listKeys()).toEqual(before);
    for (const text of [r.stdout, r.summary, await everythingStored()]) expect(text).not.toContain(SESSION_TOKEN);
  });

  test('a link that stays inside the repository is fine: its target is packed as the JVM would see it', async () => {
    const project = makeSampleProject({ 'shared/banner.txt': 'shared inside the repo\n' });
    symlinkSync('../shared/banner.txt', join(project.dir, 'resources', 'banner.txt'));
    const sha = project.commit();
    const r = await push(project.dir);
    if (r.exitCode !== 0) throw new Error(`push failed:\n${r.stdout}\n${r.stderr}`);
    const bundle = await readZip(await getBytes(`ions/sample-app/revisions/${sha}.zip`));
    const manifest = JSON.parse(bundle.get('ion-manifest.json')!.toString());
    const resources = manifest.classpath.find((e: { origin: string }) => e.origin === 'resources');
    const zip = await readZip(await getBytes(resources.key));
    expect(zip.get('banner.txt')?.toString()).toBe('shared inside the repo\n');
    expect(zip.has('datomic/ion-config.edn')).toBe(true);
  });

  test('a :paths entry that is a link to /proc is refused, located on deps.edn', async () => {
    const project = makeSampleProject();
    symlinkSync('/proc', join(project.dir, 'proc-view'));
    project.commit();
    const r = await push(project.dir, { classpath: `${sampleClasspath}${delimiter}proc-view`, 'dry-run': 'true' }, noCredentials);
    expect(r.exitCode).toBe(1);
    expect(errorsOf(r).join('\n')).toMatch(/classpath entry proc-view is a symbolic link to \/proc, which is under \/proc, \/sys or \/dev/);
  });

  test('a :local/root outside the repository whose directory links out of itself is refused', async () => {
    const lib = mkdtempSync(join(tmpdir(), 'local-lib-'));
    mkdirSync(join(lib, 'src', 'locallib'), { recursive: true });
    writeFileSync(join(lib, 'src', 'locallib', 'core.clj'), '(ns locallib.core)\n');
    symlinkSync('/etc/passwd', join(lib, 'src', 'hostname'));
    const project = makeSampleProject();
    const r = await push(
      project.dir,
      { classpath: `${sampleClasspath}${delimiter}${join(lib, 'src')}`, uname: 'hostile-local', 'dry-run': 'true' },
      noCredentials,
    );
    expect(r.exitCode).toBe(1);
    expect(errorsOf(r).join('\n')).toMatch(/hostname is a symbolic link to \/etc\/passwd, which is outside that directory/);
  });
});

describe('only regular files and directories are read: no hang', () => {
  test('lib/zero.jar -> /dev/zero fails at once, in a dry run without credentials', async () => {
    const project = makeSampleProject();
    mkdirSync(join(project.dir, 'lib'));
    symlinkSync('/dev/zero', join(project.dir, 'lib', 'zero.jar'));
    project.commit();
    const r = await push(
      project.dir,
      { classpath: `${sampleClasspath}${delimiter}lib/zero.jar`, 'dry-run': 'true', bucket: '' },
      noCredentials,
    );
    expect(r.exitCode).toBe(1);
    expect(errorsOf(r).join('\n')).toMatch(
      /classpath entry lib\/zero\.jar is a symbolic link to \/dev\/zero, which is under \/proc, \/sys or \/dev/,
    );
  });

  test('a FIFO jar inside the repository is refused by its type', async () => {
    const project = makeSampleProject();
    mkdirSync(join(project.dir, 'lib'));
    execFileSync('mkfifo', [join(project.dir, 'lib', 'pipe.jar')]);
    const r = await push(project.dir, { classpath: `${sampleClasspath}${delimiter}lib/pipe.jar`, 'dry-run': 'true' }, noCredentials);
    expect(r.exitCode).toBe(1);
    expect(errorsOf(r).join('\n')).toMatch(
      /classpath entry lib\/pipe\.jar is a FIFO \(named pipe\); push packs only regular files and directories/,
    );
  });

  test('a FIFO in a classpath directory is named, not read', async () => {
    const project = makeSampleProject();
    execFileSync('mkfifo', [join(project.dir, 'src', 'sample', 'pipe')]);
    const r = await push(project.dir, { 'dry-run': 'true' }, noCredentials);
    expect(r.exitCode).toBe(1);
    expect(errorsOf(r).join('\n')).toMatch(/src\/sample\/pipe is a FIFO \(named pipe\); push packs only regular files and directories/);
  });

  test('a FIFO as datomic/ion-config.edn is named, not read', async () => {
    const project = makeSampleProject();
    const config = join(project.dir, 'resources', 'datomic', 'ion-config.edn');
    rmSync(config);
    project.commit(); // git does not track FIFOs: the tree stays clean with one in place of the file
    execFileSync('mkfifo', [config]);
    const r = await push(project.dir, { 'dry-run': 'true' }, noCredentials);
    expect(r.exitCode).toBe(1);
    expect(errorsOf(r).join('\n')).toMatch(/resources\/datomic\/ion-config\.edn is a FIFO/);
  });

  test('a socket in a classpath directory is named', async () => {
    const project = makeSampleProject();
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(join(project.dir, 'resources', 'app.sock'), r));
    try {
      const r = await push(project.dir, { 'dry-run': 'true' }, noCredentials);
      expect(r.exitCode).toBe(1);
      expect(errorsOf(r).join('\n')).toMatch(/resources\/app\.sock is a socket/);
    } finally {
      server.close();
    }
  });
});

describe('directory zips are written to temporary files', () => {
  test('none is left behind, after a push that succeeds and after one that fails', async () => {
    // The action's own temporary directory (TMPDIR), so other runs on the machine cannot interfere.
    const temp = mkdtempSync(join(tmpdir(), 'push-temp-'));
    const ok = makeSampleProject({ 'src/sample/tmp_check.clj': `(ns sample.tmp-check)\n(def n ${Date.now()})\n` });
    const r = await push(ok.dir, {}, { TMPDIR: temp });
    if (r.exitCode !== 0) throw new Error(`push failed:\n${r.stdout}\n${r.stderr}`);
    expect(r.stdout).toMatch(/Zipped and hashed 2 directories/);
    expect(readdirSync(temp)).toEqual([]);

    const bad = makeSampleProject();
    symlinkSync('gone.clj', join(bad.dir, 'src', 'sample', 'dangling.clj'));
    bad.commit();
    expect((await push(bad.dir, {}, { TMPDIR: temp })).exitCode).toBe(1);
    expect(readdirSync(temp)).toEqual([]);
  });
});
