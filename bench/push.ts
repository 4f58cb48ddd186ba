/**
 * npm run bench:push — the push action against a local S3 server, side by side with `aws s3 sync`.
 *
 * A synthetic project: 200 jars (~60 MB, incompressible) in a private ~/.m2 plus 60 source files.
 * Each run spawns the built action (dist/push/index.js) as the runner would; an HTTP proxy in front
 * of s3rver counts every request and byte, for the action and for awscli alike.
 * Prints a table; asserts nothing (speed is measured, not asserted).
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import yazl from 'yazl';
import { startS3Server } from '../local-cloud/s3-server.js';
import { startFakeCodeDeployRevisions } from '../test/support/fake-codedeploy-revisions.js';
import { runAction, REPO_ROOT } from '../local-cloud/run-action.js';
import { startS3Proxy } from '../test/support/s3-proxy.js';
import { sha256FileSync } from '../src/core/content/hash.js';

const JARS = 200;
const JAR_BYTES = 300 * 1024;
const AWS = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';

const root = resolve(REPO_ROOT, '.bench', 'push');
const home = join(root, 'home');
const project = join(root, 'app');

function jar(path: string, ns: string): Promise<void> {
  return new Promise((done) => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from(`(ns ${ns})\n(defn f [] 1)\n`), `${ns.replace(/\./g, '/').replace(/-/g, '_')}.clj`);
    zip.addBuffer(randomBytes(JAR_BYTES), 'data.bin', { compress: false });
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => {
      writeFileSync(path, Buffer.concat(chunks));
      done();
    });
  });
}

async function buildProject(): Promise<{ classpath: string; jars: string[] }> {
  rmSync(root, { recursive: true, force: true });
  const jars: string[] = [];
  for (let i = 0; i < JARS; i++) {
    const dir = join(home, '.m2', 'repository', 'bench', `lib${i}`, '1.0.0');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `lib${i}-1.0.0.jar`);
    await jar(path, `bench.lib${i}`);
    jars.push(path);
  }
  mkdirSync(join(project, 'src', 'app'), { recursive: true });
  mkdirSync(join(project, 'resources', 'datomic'), { recursive: true });
  for (let i = 0; i < 60; i++)
    writeFileSync(join(project, 'src', 'app', `ns${i}.clj`), `(ns app.ns${i})\n(defn f [x] (* x ${i}))\n`.repeat(20));
  writeFileSync(join(project, 'deps.edn'), '{:paths ["src" "resources"]}\n');
  writeFileSync(join(project, 'resources', 'datomic', 'ion-config.edn'), '{:app-name "bench-app" :allow [app.ns1/f bench.lib7/f]}\n');
  git('init', '-q', '-b', 'main');
  commit();
  return { classpath: ['src', 'resources', ...jars].join(':'), jars };
}

const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: project,
    env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' },
  });
const commit = () => {
  git('add', '-A');
  git('commit', '-q', '-m', 'bench');
};

interface Row {
  run: string;
  seconds: number;
  requests: number;
  puts: number;
  bytes: number;
  note: string;
}

async function main() {
  console.log(`Building a synthetic project: ${JARS} jars × ${JAR_BYTES / 1024} KiB …`);
  const { classpath, jars } = await buildProject();

  const s3 = await startS3Server();
  const proxy = await startS3Proxy(s3.endpoint);
  const codedeploy = await startFakeCodeDeployRevisions({ 'bench-app': ['bench-prod'] });
  await s3.createBucket('bench-action');
  await s3.createBucket('bench-sync');
  const env = {
    HOME: home,
    AWS_ENDPOINT_URL_S3: proxy.url,
    AWS_ENDPOINT_URL_CODEDEPLOY: codedeploy.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_EC2_METADATA_DISABLED: 'true',
    GITHUB_WORKSPACE: project,
  };
  const rows: Row[] = [];

  const pushRun = async (name: string) => {
    proxy.reset();
    const t0 = performance.now();
    const r = await runAction('push', { bucket: 'bench-action', classpath }, { cwd: project, env });
    const seconds = (performance.now() - t0) / 1000;
    if (r.exitCode !== 0) throw new Error(`${name} failed:\n${r.stdout}\n${r.stderr}`);
    // The action logs its own hashing: "Hashed N jars (X MiB) in Y ms".
    const hashed = /Hashed \d+ jars \(([\d.]+) MiB\) in (\d+) ms/.exec(r.stdout);
    const hashRate = hashed ? `${((Number(hashed[1]) * 1.048576) / (Number(hashed[2]) / 1000)).toFixed(0)} MB/s hashing` : '';
    rows.push({
      run: `push: ${name}`,
      seconds,
      requests: proxy.counts.requests,
      puts: proxy.counts.byMethod.PUT ?? 0,
      bytes: proxy.counts.bytesSent,
      note: `uploaded ${r.outputs['uploaded-files']}, reused ${r.outputs['reused-files']}; ${hashRate}`,
    });
  };

  // Asynchronous on purpose: the counting proxy runs in this process and must keep serving.
  const syncRun = async (name: string) => {
    proxy.reset();
    const t0 = performance.now();
    const sync = (from: string, to: string) =>
      promisify(execFile)(AWS, ['s3', 'sync', '--only-show-errors', '--endpoint-url', proxy.url, from, to], {
        env: { ...process.env, ...env },
      });
    await sync(join(home, '.m2', 'repository'), 's3://bench-sync/m2');
    await sync(join(project, 'src'), 's3://bench-sync/src');
    const seconds = (performance.now() - t0) / 1000;
    rows.push({
      run: `aws s3 sync: ${name}`,
      seconds,
      requests: proxy.counts.requests,
      puts: proxy.counts.byMethod.PUT ?? 0,
      bytes: proxy.counts.bytesSent,
      note: '',
    });
  };

  try {
    await pushRun('cold');
    await pushRun('warm (no change)');
    writeFileSync(join(project, 'src', 'app', 'ns0.clj'), '(ns app.ns0)\n(defn f [x] (inc x))\n');
    commit();
    await pushRun('one source change');
    await syncRun('cold');
    await syncRun('warm (no change)');

    const t0 = performance.now();
    let total = 0;
    for (const j of jars) total += sha256FileSync(j).size;
    const hashSeconds = (performance.now() - t0) / 1000;

    const mb = (n: number) => (n / 1e6).toFixed(1);
    console.log('');
    console.log('| run | wall s | S3 requests | PUTs | MB sent | note |');
    console.log('|---|---:|---:|---:|---:|---|');
    for (const r of rows) console.log(`| ${r.run} | ${r.seconds.toFixed(2)} | ${r.requests} | ${r.puts} | ${mb(r.bytes)} | ${r.note} |`);
    console.log('');
    console.log(
      `Hashing in this process, one file at a time: ${mb(total)} MB of jars in ${hashSeconds.toFixed(3)} s = ${(total / 1e6 / hashSeconds).toFixed(0)} MB/s (the action does the same: see the notes column)`,
    );
    console.log('Wall times include node start-up of the action (~0.2 s) and, for awscli, Python start-up.');
  } finally {
    await proxy.close();
    await codedeploy.close();
    await s3.close();
  }
}

await main();
