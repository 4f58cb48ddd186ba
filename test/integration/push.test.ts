/**
 * The push action, built (dist/push/index.js) and run the way the runner runs it, against a real S3
 * server (s3rver) and a local CodeDeploy speaking the AWS JSON protocol, on a sample project whose
 * classpath comes from the real tools.deps (Debian's, offline; see local-cloud/bin/clojure, which keeps each
 * resolution as the CLI's .cpcache does: a fresh machine resolves each deps.edn and alias set once).
 *
 * Client configuration against s3rver: the action's own (path-style because AWS_ENDPOINT_URL_S3 is
 * set; WHEN_REQUIRED checksums with an explicit SHA-256 on buffer bodies). s3rver neither verifies
 * checksums nor stores aws-chunked bodies correctly, so every test compares stored bytes with sources.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import yauzl from 'yauzl';
import { startS3Proxy } from '../support/s3-proxy.js';
import { startS3Server, type S3Server } from '../../local-cloud/s3-server.js';
import { startFakeCodeDeployRevisions, type FakeCodeDeployRevisions } from '../support/fake-codedeploy-revisions.js';
import { runAction, type ActionResult } from '../../local-cloud/run-action.js';
import { STAND_IN_BIN } from '../../local-cloud/clojure-stand-in.js';
import { makeSampleProject, resolveSampleClasspath, SAMPLE_APP } from '../support/sample-project.js';

const BUCKET = 'ion-code';
let s3: S3Server;
let client: S3Client;
let codedeploy: FakeCodeDeployRevisions;
/** The sample app's classpath from the real tools.deps, resolved once: every copy of the app shares it. */
let sampleClasspath: string;

beforeAll(async () => {
  [s3, codedeploy] = await Promise.all([
    // Requests recorded: the multipart test reads them.
    startS3Server({ recordAccess: true }),
    startFakeCodeDeployRevisions({ 'sample-app': ['sample-prod', 'sample-staging', 'sample-dev'] }),
  ]);
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
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_EC2_METADATA_DISABLED: 'true',
});

function push(dir: string, inputs: Record<string, string> = {}, env: Record<string, string | undefined> = {}): Promise<ActionResult> {
  return runAction(
    'push',
    { bucket: BUCKET, 'working-directory': '.', ...inputs },
    {
      cwd: dir,
      env: { ...awsEnv(), PATH: `${STAND_IN_BIN}${delimiter}${process.env.PATH}`, GITHUB_WORKSPACE: dir, ...env },
    },
  );
}

async function listKeys(prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token, MaxKeys: 50 }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}

async function getBytes(key: string): Promise<Buffer> {
  const out = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

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

const expectOk = (r: ActionResult) => {
  if (r.exitCode !== 0) throw new Error(`action failed (${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
};

describe('push to a real S3 server and a local CodeDeploy', () => {
  const project = makeSampleProject();
  let first: ActionResult;
  let firstKeys: string[];

  test('first push resolves the classpath with tools.deps, uploads every entry content-addressed, then registers the revision', async () => {
    first = await push(project.dir);
    expectOk(first);
    const sha = project.head();
    expect(first.outputs.rev).toBe(sha);
    expect(first.outputs.reproducible).toBe('true');
    expect(first.outputs['app-name']).toBe('sample-app');
    expect(first.outputs.bundle).toBe(`s3://${BUCKET}/ions/sample-app/revisions/${sha}.zip`);
    expect(JSON.parse(first.outputs['deploy-groups']!)).toEqual(['sample-prod', 'sample-staging', 'sample-dev']);
    expect(Number(first.outputs['reused-files'])).toBe(0);

    // The bundle's manifest names every object; each is in S3 byte for byte as its source.
    const bundle = await readZip(await getBytes(`ions/sample-app/revisions/${sha}.zip`));
    expect([...bundle.keys()]).toEqual(expect.arrayContaining(['appspec.yml', 'ion-manifest.json']));
    const manifest = JSON.parse(bundle.get('ion-manifest.json')!.toString());
    expect(manifest).toMatchObject({
      format: 'ion-actions/manifest',
      version: 1,
      appName: 'sample-app',
      rev: sha,
      commit: sha,
      reproducible: true,
      bucket: BUCKET,
    });
    expect(manifest.lambdas).toEqual([
      { name: 'echo', fn: 'sample.core/echo', description: 'echoes its input', timeoutSecs: 30, concurrencyLimit: 20, integration: null },
    ]);
    const kinds = manifest.classpath.map((e: { kind: string; origin: string }) => `${e.kind} ${e.origin}`);
    expect(kinds.slice(0, 2)).toEqual(['project src', 'project resources']);
    expect(kinds).toContain('maven org.clojure/clojure 1.11.1');
    expect(Number(first.outputs['uploaded-files'])).toBe(manifest.classpath.length);
    expect(Number(first.outputs['uploaded-bytes'])).toBe(manifest.classpath.reduce((n: number, e: { size: number }) => n + e.size, 0));
    for (const entry of manifest.classpath) {
      const stored = await getBytes(entry.key);
      expect(sha256(stored)).toBe(entry.sha256);
      expect(entry.key).toBe(`ions/objects/${entry.sha256}.${entry.packaging === 'jar' ? 'jar' : 'zip'}`);
    }
    const clojureJar = manifest.classpath.find((e: { origin: string }) => e.origin === 'org.clojure/clojure 1.11.1');
    expect(sha256(readFileSync(join(process.env.HOME!, '.m2/repository/org/clojure/clojure/1.11.1/clojure-1.11.1.jar')))).toBe(
      clojureJar.sha256,
    );
    // The src directory's zip holds the source as it is.
    const srcZip = await readZip(await getBytes(manifest.classpath[0].key));
    expect(srcZip.get('sample/core.clj')!.toString()).toBe(readFileSync(join(project.dir, 'src/sample/core.clj'), 'utf8'));

    const revisions = codedeploy.state.applications.get('sample-app')!.revisions;
    expect(revisions.at(-1)).toMatchObject({ bucket: BUCKET, key: `ions/sample-app/revisions/${sha}.zip` });
    expect(first.summary).toContain(`revision \`${sha}\``);
    expect(first.summary).toContain('group: sample-staging');
    firstKeys = await listKeys();
  });

  test('pushing the same revision again uploads nothing', async () => {
    const again = await push(project.dir);
    expectOk(again);
    expect(again.outputs['uploaded-files']).toBe('0');
    expect(again.outputs['uploaded-bytes']).toBe('0');
    expect(again.outputs['reused-files']).toBe(first.outputs['uploaded-files']);
    expect(again.outputs['reused-bytes']).toBe(first.outputs['uploaded-bytes']);
    expect(again.stdout).toContain('Reused revision bundle');
    expect(await listKeys()).toEqual(firstKeys);
  });

  test('a changed source file uploads only its directory zip (and the new bundle)', async () => {
    project.write('src/sample/core.clj', `${readFileSync(join(project.dir, 'src/sample/core.clj'), 'utf8')}\n(defn added [] :new)\n`);
    const sha = project.commit();
    const changed = await push(project.dir, { classpath: sampleClasspath });
    expectOk(changed);
    expect(changed.outputs.rev).toBe(sha);
    expect(changed.outputs['uploaded-files']).toBe('1');
    const added = (await listKeys()).filter((k) => !firstKeys.includes(k));
    expect(added).toHaveLength(2);
    expect(added).toContain(`ions/sample-app/revisions/${sha}.zip`);
    expect(added.find((k) => k.startsWith('ions/objects/'))).toMatch(/\.zip$/);
  });
});

describe('large classpath entries', () => {
  test('a directory whose zip is over the multipart threshold (16 MiB) goes up in parts, byte for byte', async () => {
    const project = makeSampleProject();
    // Random bytes do not deflate: three 7 MiB files make a ~21 MiB zip.
    for (const name of ['a', 'b', 'c']) project.write(`big/${name}.bin`, randomBytes(7 * 1024 * 1024).toString('latin1'));
    project.commit();
    const r = await push(project.dir, { classpath: `${sampleClasspath}${delimiter}big` });
    expectOk(r);
    const manifest = JSON.parse(
      (await readZip(await getBytes(`ions/sample-app/revisions/${project.head()}.zip`))).get('ion-manifest.json')!.toString(),
    ) as { classpath: { origin: string; key: string; sha256: string; size: number }[] };
    const big = manifest.classpath.find((e) => e.origin === 'big')!;
    expect(big.size).toBeGreaterThan(16 * 1024 * 1024);
    const requests = s3.accessLog().filter((a) => a.url.includes(big.key.split('/').pop()!));
    expect(requests.filter((a) => a.method === 'POST' && a.url.includes('uploads'))).toHaveLength(1);
    expect(requests.filter((a) => a.method === 'PUT' && a.url.includes('partNumber=')).length).toBeGreaterThanOrEqual(2);
    const stored = await getBytes(big.key);
    expect(sha256(stored)).toBe(big.sha256);
    const zip = await readZip(stored);
    for (const name of ['a', 'b', 'c'])
      expect(zip.get(`${name}.bin`)!.equals(Buffer.from(readFileSync(join(project.dir, 'big', `${name}.bin`), 'latin1'), 'latin1'))).toBe(
        true,
      );
  }, 120_000);
});

describe('nothing half-done', () => {
  test('an upload that fails leaves no bundle and no registered revision; the next push completes it', async () => {
    // A source file no other test has, so its directory zip is new to the bucket.
    const project = makeSampleProject({ 'src/sample/extra.clj': `(ns sample.extra)\n(def marker "${Date.now()}")\n` });
    const sha = project.head();
    const registered = codedeploy.state.applications.get('sample-app')!.revisions.length;
    // Every PUT of a new classpath object fails with a 500 (after the SDK's own retries).
    const proxy = await startS3Proxy(s3.endpoint, {
      fault: (method, path) => (method === 'PUT' && path.includes('/ions/objects/') ? { status: 500, code: 'InternalError' } : undefined),
    });
    try {
      const failed = await push(project.dir, { classpath: sampleClasspath }, { AWS_ENDPOINT_URL_S3: proxy.url });
      expect(failed.exitCode).toBe(1);
      const error = failed.annotations.find((a) => a.startsWith('::error'))!;
      // Names the object and S3's error, says what to do, and carries no stack trace.
      expect(error).toMatch(
        /^::error::Could not upload \d+ of \d+ objects?.*ions\/objects\/[0-9a-f]{64}\.zip: .*InternalError \(HTTP 500\).*run push again/,
      );
      expect(error).not.toMatch(/ at |dist\/push/);
    } finally {
      await proxy.close();
    }
    expect(await listKeys(`ions/sample-app/revisions/${sha}`)).toEqual([]);
    expect(codedeploy.state.applications.get('sample-app')!.revisions).toHaveLength(registered);

    const retried = await push(project.dir, { classpath: sampleClasspath });
    expectOk(retried);
    expect(retried.outputs.rev).toBe(sha);
    expect(Number(retried.outputs['uploaded-files'])).toBeGreaterThanOrEqual(1);
    expect(await listKeys(`ions/sample-app/revisions/${sha}`)).toEqual([`ions/sample-app/revisions/${sha}.zip`]);
    expect(codedeploy.state.applications.get('sample-app')!.revisions).toHaveLength(registered + 1);
  });
});

describe('unreproducible pushes', () => {
  test('a dirty tree fails, names every dirty file and says to set uname; nothing is written', async () => {
    const project = makeSampleProject();
    project.write('src/sample/core.clj', '(ns sample.core)\n(defn echo [_]) (defn items-by-type [_ _]) (defn handler [_])\n');
    project.write('notes.txt', 'untracked\n');
    const before = await listKeys();
    const registered = codedeploy.state.applications.get('sample-app')!.revisions.length;
    const r = await push(project.dir, { classpath: sampleClasspath });
    expect(r.exitCode).toBe(1);
    expect(r.annotations).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^::error file=src\/sample\/core\.clj::Unreproducible push: uncommitted change \(M\)/),
        expect.stringMatching(/^::error file=notes\.txt::.*uname/),
      ]),
    );
    expect(await listKeys()).toEqual(before);
    expect(codedeploy.state.applications.get('sample-app')!.revisions).toHaveLength(registered);
  });

  test('a local dependency fails without uname and pushes with it, unreproducible', async () => {
    const lib = mkdtempSync(join(tmpdir(), 'local-lib-'));
    mkdirSync(join(lib, 'src', 'locallib'), { recursive: true });
    writeFileSync(join(lib, 'deps.edn'), '{:paths ["src"]}\n');
    writeFileSync(join(lib, 'src', 'locallib', 'core.clj'), '(ns locallib.core)\n(defn f [] 1)\n');
    const project = makeSampleProject({
      'deps.edn': readFileSync(join(SAMPLE_APP, 'deps.edn'), 'utf8').replace(
        'org.clojure/data.json {:mvn/version "2.4.0"}',
        `org.clojure/data.json {:mvn/version "2.4.0"}\n        local/lib {:local/root "${lib}"}`,
      ),
    });
    const without = await push(project.dir);
    expect(without.exitCode).toBe(1);
    expect(without.stdout).toContain(`local dependency outside the repository: ${join(lib, 'src')}`);

    const named = await push(project.dir, { uname: 'sample-local-1' });
    expectOk(named);
    expect(named.outputs.rev).toBe('sample-local-1');
    expect(named.outputs.reproducible).toBe('false');
    const manifest = JSON.parse(
      (await readZip(await getBytes('ions/sample-app/revisions/sample-local-1.zip'))).get('ion-manifest.json')!.toString(),
    );
    expect(manifest.classpath.find((e: { kind: string }) => e.kind === 'local')).toMatchObject({
      origin: join(lib, 'src'),
      packaging: 'dir',
    });
    expect(named.summary).toContain('Unreproducible');
  });

  test('an invalid uname is an input error before anything runs', async () => {
    const project = makeSampleProject();
    const r = await push(project.dir, { uname: 'has spaces/and slashes' });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/::error::uname: .*not a valid revision name/);
  });
});

describe('ion-config problems are annotated on their file, line and column, all at once', () => {
  test('every class of bad value', async () => {
    const project = makeSampleProject({
      'resources/datomic/ion-config.edn': [
        '{:app-name "sample app!"', //                                    line 1
        ' :allow [sample.core/items-by-type unqualified missing.ns/f]', // line 2
        ' :lambdas {:echo {:fn sample.core/echo :timeout-secs 901}', //   line 3
        '           :bad {:description "no fn"}}', //                     line 4
        ' :http-direct {:handler-fn "not-a-symbol"}', //                  line 5
        ' :colour :blue}', //                                             line 6
      ].join('\n'),
    });
    const r = await push(project.dir, { classpath: sampleClasspath });
    expect(r.exitCode).toBe(1);
    const at = (line: number) => r.annotations.filter((a) => a.includes(`file=resources/datomic/ion-config.edn,line=${line},`));
    expect(at(1)[0]).toMatch(/^::error .*col=12::.*app-name/);
    expect(at(2).some((a) => /col=36::.*unqualified/.test(a))).toBe(true);
    expect(at(2).some((a) => /col=48::.*missing\.ns/.test(a))).toBe(true);
    expect(at(3).some((a) => /::error .*timeout-secs/.test(a))).toBe(true);
    expect(at(4).some((a) => /::error .*:fn/.test(a))).toBe(true);
    expect(at(5).some((a) => /::error .*handler-fn/.test(a))).toBe(true);
    expect(at(6).some((a) => /^::warning .*:colour/.test(a))).toBe(true);
    expect(r.stdout).toContain('Nothing was uploaded');
  });

  test('a syntax error is located', async () => {
    const project = makeSampleProject({
      'resources/datomic/ion-config.edn': '{:app-name "sample-app"\n :allow [sample.core/items-by-type}\n',
    });
    const r = await push(project.dir, { classpath: sampleClasspath });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.some((a) => /^::error file=resources\/datomic\/ion-config\.edn,line=2,col=\d+::/.test(a))).toBe(true);
  });

  test('a missing ion-config says where to create it', async () => {
    const project = makeSampleProject();
    const { rmSync } = await import('node:fs');
    rmSync(join(project.dir, 'resources', 'datomic'), { recursive: true });
    project.commit();
    const r = await push(project.dir, { classpath: sampleClasspath });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('resources/datomic/ion-config.edn');
  });
});

describe('dry run', () => {
  test('with credentials: validates, reports what would be uploaded, writes nothing', async () => {
    // The project pushed first, so that the bucket holds its jars and resources whatever ran before.
    const project = makeSampleProject();
    expectOk(await push(project.dir, { classpath: sampleClasspath }));
    project.write('src/sample/extra.clj', '(ns sample.extra)\n');
    project.commit();
    const before = await listKeys();
    const registered = codedeploy.state.applications.get('sample-app')!.revisions.length;
    const r = await push(project.dir, { 'dry-run': 'true', classpath: sampleClasspath });
    expectOk(r);
    expect(r.outputs.rev).toBe(project.head());
    expect(r.outputs['uploaded-files']).toBe('1'); // the new src zip: would be uploaded
    expect(await listKeys()).toEqual(before);
    expect(codedeploy.state.applications.get('sample-app')!.revisions).toHaveLength(registered);
    expect(r.summary).toContain('dry run');
  });

  test("without credentials (a fork's pull request): still validates and says what it skipped", async () => {
    const project = makeSampleProject();
    const r = await push(
      project.dir,
      { 'dry-run': 'true', bucket: '', classpath: sampleClasspath },
      { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
    );
    expectOk(r);
    expect(r.stdout).toMatch(/::notice::Skipped S3 existence checks and uploads: no AWS credentials/);
    expect(r.stdout).toMatch(/::notice::Skipped CodeDeploy checks/);
    expect(r.outputs['app-name']).toBe('sample-app');
  });

  test('with credentials, an application CodeDeploy does not know is a warning, and the dry run succeeds', async () => {
    const project = makeSampleProject({ 'resources/datomic/ion-config.edn': '{:app-name "not-yet-created"}' });
    const r = await push(project.dir, { 'dry-run': 'true', classpath: sampleClasspath });
    expectOk(r);
    expect(r.annotations).toContainEqual(expect.stringMatching(/^::warning::CodeDeploy application "not-yet-created" does not exist/));
  });

  test('without a bucket, nothing points at s3:/// (log, outputs, summary)', async () => {
    const project = makeSampleProject();
    const r = await push(project.dir, { 'dry-run': 'true', bucket: '', classpath: sampleClasspath });
    expectOk(r);
    expect(r.outputs.bundle).toBe('');
    expect(r.stdout).toMatch(/::notice::Skipped S3 existence checks and uploads: no bucket given/);
    for (const text of [r.stdout, r.summary, JSON.stringify(r.outputs)]) expect(text).not.toContain('s3:///');
    expect(r.summary).toContain('(no bucket given)');
  });

  test('without credentials, problems are still annotated', async () => {
    const project = makeSampleProject({ 'resources/datomic/ion-config.edn': '{:app-name "sample-app" :allow [nope/f]}' });
    const r = await push(
      project.dir,
      { 'dry-run': 'true', classpath: sampleClasspath },
      { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
    );
    expect(r.exitCode).toBe(1);
    expect(r.annotations[0]).toMatch(/^::error file=resources\/datomic\/ion-config\.edn,line=1,col=33::.*nope/);
  });
});

describe('a revision name means one thing forever', () => {
  test(
    'the same commit pushed again with other aliases is refused, says what differs and what to do; the first bundle stays',
    async () => {
      const project = makeSampleProject({ 'src/sample/forever.clj': `(ns sample.forever)\n(def n ${Date.now()})\n` });
      const sha = project.head();
      const key = `ions/sample-app/revisions/${sha}.zip`;
      expectOk(await push(project.dir));
      const firstBundle = await getBytes(key);
      expect(JSON.parse((await readZip(firstBundle)).get('ion-manifest.json')!.toString()).aliases).toEqual([]);
      const registered = codedeploy.state.applications.get('sample-app')!.revisions.length;

      const other = await push(project.dir, { aliases: ':dev' });
      expect(other.exitCode).toBe(1);
      const error = other.annotations.find((a) => a.startsWith('::error'))!;
      expect(error).toMatch(
        new RegExp(
          `Revision ${sha} already exists at s3://${BUCKET}/${key} with other content \\(pushed earlier with aliases none, now with :dev`,
        ),
      );
      expect(error).toMatch(/`uname`/);
      expect(sha256(await getBytes(key))).toBe(sha256(firstBundle));
      expect(codedeploy.state.applications.get('sample-app')!.revisions).toHaveLength(registered);

      // Under its own name it is pushed, and its manifest records the aliases.
      const named = await push(project.dir, { aliases: ':dev', uname: `${sha.slice(0, 12)}-dev` });
      expectOk(named);
      expect(named.outputs.reproducible).toBe('true');
      const manifest = JSON.parse(
        (await readZip(await getBytes(`ions/sample-app/revisions/${sha.slice(0, 12)}-dev.zip`))).get('ion-manifest.json')!.toString(),
      );
      expect(manifest.aliases).toEqual(['dev']);
    },
    10 * 60_000,
  );
});

describe('the project and the Clojure CLI', () => {
  test('a missing clojure command says how to install it', async () => {
    const project = makeSampleProject();
    const r = await push(project.dir, {}, { PATH: mkdtempSync(join(tmpdir(), 'empty-bin-')) });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/::error::The `clojure` command was not found on PATH.*DeLaGuardo\/setup-clojure/);
  });

  test("Debian's plain clojure launcher is recognised as not the CLI", async () => {
    const project = makeSampleProject();
    const r = await push(project.dir, {}, { PATH: '/usr/bin:/bin' });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/is not the Clojure CLI/);
  });

  test('a classpath directory that cannot be zipped (a dangling symbolic link) names the link, without a stack trace', async () => {
    const project = makeSampleProject();
    symlinkSync('gone.clj', join(project.dir, 'src/sample/dangling.clj'));
    project.commit();
    const r = await push(project.dir, { classpath: sampleClasspath, 'dry-run': 'true' });
    expect(r.exitCode).toBe(1);
    const error = r.annotations.find((a) => a.startsWith('::error'))!;
    expect(error).toMatch(
      /Cannot zip .*src: the symbolic link sample\/dangling\.clj points to nothing \(ENOENT\)\. Remove the link or restore its target\./,
    );
    expect(error).not.toMatch(/ at |dist\/push/);
  });

  test('a missing deps.edn is a clear error', async () => {
    const r = await push(mkdtempSync(join(tmpdir(), 'no-deps-')));
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/No deps\.edn in .*working-directory/);
  });

  test('an application CodeDeploy does not know fails before uploading', async () => {
    const project = makeSampleProject({ 'resources/datomic/ion-config.edn': '{:app-name "unknown-app"}' });
    const before = await listKeys();
    const r = await push(project.dir, { classpath: sampleClasspath });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/CodeDeploy application "unknown-app" does not exist/);
    expect(await listKeys()).toEqual(before);
  });
});
