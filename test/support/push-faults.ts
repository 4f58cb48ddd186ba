/**
 * Push under faults, shared by test/integration/push-faults.test.ts (a few seeded runs per fault, in
 * CI) and bench/push-faults.ts (the soak): the BUILT push action (ION_ACTIONS_DIST or dist/) run as the
 * runner runs it, against a real S3 server (s3rver) behind a fault-injecting proxy on loopback
 * (test/support/s3-proxy.ts) and the local CodeDeploy, then every revision CodeDeploy holds is checked
 * object by object: nothing registered may name a missing or wrong object.
 *
 * Client configuration against s3rver: the action's own (path-style because AWS_ENDPOINT_URL_S3 is
 * set). s3rver does not verify checksums, so what is "right" is checked here by hashing what it stores.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { spawn, type ChildProcess } from 'node:child_process';
import type { IncomingHttpHeaders } from 'node:http';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import yauzl from 'yauzl';
import { startLocalCodeDeploy, type LocalCodeDeploy } from '../../local-cloud/codedeploy.js';
import { DIST_DIR, parseOutputFile } from '../../local-cloud/run-action.js';
import { startS3Server, S3RVER_CREDENTIALS, type S3Server } from '../../local-cloud/s3-server.js';
import { STAND_IN_BIN } from '../../local-cloud/clojure-stand-in.js';
import { makeSampleProject, resolveSampleClasspath } from './sample-project.js';
import { startS3Proxy, type InjectedFault } from './s3-proxy.js';

export const APP = 'sample-app';
export const BUCKET = 'ion-code-faults';

export { seeded } from './seeded-random.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export interface PushRun {
  /** How many requests the proxy broke (errors, resets, stalls). */
  faults: number;
  /** How many S3 requests reached the proxy. */
  requests: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

export interface FaultWorld {
  s3: S3Server;
  codedeploy: LocalCodeDeploy;
  client: S3Client;
  project: ReturnType<typeof makeSampleProject>;
  classpath: string;
  /** A new commit with `bytes` of fresh (seeded) content, so the next push has something to upload. */
  change(random: () => number, bytes?: number): string;
  /**
   * Runs the built push through a proxy that applies `fault` to requests; `killAfterRequests` sends
   * SIGKILL to push when that many S3 requests have reached the proxy (a point in its progress, not
   * in time). `limitMs` is only a safety net against a hang (reported as a kill by SIGKILL).
   */
  push(o?: PushOptions): Promise<PushRun>;
  /** What is wrong with the registered revisions: each problem names the revision and the object. */
  lost(): Promise<string[]>;
  close(): Promise<void>;
}

export interface PushOptions {
  fault?: (method: string, path: string, headers: IncomingHttpHeaders) => InjectedFault | undefined;
  killAfterRequests?: number;
  limitMs?: number;
}

export async function startFaultWorld(): Promise<FaultWorld> {
  const root = mkdtempSync(join(tmpdir(), 'push-faults-'));
  const s3 = await startS3Server();
  const codedeploy = await startLocalCodeDeploy({ root, s3: s3.client, s3Endpoint: s3.endpoint });
  codedeploy.createApplication(APP);
  codedeploy.createDeploymentGroup(APP, 'sample-prod', { instances: 0 });
  await s3.createBucket(BUCKET);
  const client = s3.client();
  const project = makeSampleProject();
  const classpath = resolveSampleClasspath(project.dir);
  let changes = 0;

  async function get(bucket: string, key: string): Promise<{ body: Buffer; eTag: string } | undefined> {
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return { body: Buffer.from(await out.Body!.transformToByteArray()), eTag: (out.ETag ?? '').replace(/"/g, '') };
    } catch {
      return undefined;
    }
  }

  return {
    s3,
    codedeploy,
    client,
    project,
    classpath,
    change(random, bytes = 256 * 1024) {
      changes += 1;
      const blob = Buffer.alloc(bytes);
      for (let i = 0; i < bytes; i += 4) blob.writeUInt32LE(Math.floor(random() * 2 ** 32), i);
      // One resource that changes each time: a new directory object (and revision) per push.
      project.write(`resources/blob.txt`, `${changes}\n${blob.toString('base64')}\n`);
      return project.commit();
    },
    async push(o = {}) {
      let faults = 0;
      const proxy = await startS3Proxy(s3.endpoint, {
        fault: (method, path, headers) => {
          const f = o.fault?.(method, path, headers);
          if (f) faults += 1;
          return f;
        },
        onRequest: (_m, _p, n) => {
          if (o.killAfterRequests !== undefined && n >= o.killAfterRequests) child?.kill('SIGKILL');
        },
      });
      let child: ChildProcess | undefined;
      try {
        const run = await runPush(
          project.dir,
          classpath,
          { AWS_ENDPOINT_URL_S3: proxy.url, AWS_ENDPOINT_URL_CODEDEPLOY: codedeploy.url },
          (c) => {
            child = c;
            if (o.killAfterRequests === 0) c.kill('SIGKILL');
          },
          o.limitMs,
        );
        return { ...run, faults, requests: proxy.counts.requests };
      } finally {
        await proxy.close();
      }
    },
    async lost() {
      const problems: string[] = [];
      for (const r of codedeploy.applications.get(APP)!.revisions) {
        const name = `revision s3://${r.bucket}/${r.key}`;
        const bundle = await get(r.bucket, r.key);
        if (!bundle) {
          problems.push(`${name}: bundle missing`);
          continue;
        }
        if (r.eTag && r.eTag !== bundle.eTag) problems.push(`${name}: bundle ETag ${bundle.eTag} is not the registered ${r.eTag}`);
        let manifest: { classpath: { key: string; sha256: string; size: number }[] };
        try {
          manifest = JSON.parse((await readZipEntry(bundle.body, 'ion-manifest.json')).toString('utf8'));
        } catch (err) {
          problems.push(`${name}: no readable ion-manifest.json (${(err as Error).message})`);
          continue;
        }
        for (const entry of manifest.classpath) {
          const object = await get(r.bucket, entry.key);
          if (!object) problems.push(`${name}: ${entry.key} missing`);
          else if (sha256(object.body) !== entry.sha256 || object.body.length !== entry.size) {
            problems.push(
              `${name}: ${entry.key} holds ${object.body.length} bytes with SHA-256 ${sha256(object.body)}, not ${entry.size} bytes ${entry.sha256}`,
            );
          }
        }
      }
      return problems;
    },
    async close() {
      client.destroy();
      await Promise.all([s3.close(), codedeploy.close()]);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The built push, spawned the way the runner runs it (INPUT_* variables, GITHUB_OUTPUT), so a test can SIGKILL it. */
function runPush(
  dir: string,
  classpath: string,
  endpoints: Record<string, string>,
  started: (c: ChildProcess) => void,
  limitMs = 300_000,
): Promise<Omit<PushRun, 'faults' | 'requests'>> {
  const tmp = mkdtempSync(join(tmpdir(), 'push-run-'));
  const outputFile = join(tmp, 'output');
  writeFileSync(outputFile, '');
  writeFileSync(join(tmp, 'summary'), '');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('INPUT_') && !k.startsWith('GITHUB_')) env[k] = v;
  delete env.NODE_OPTIONS;
  Object.assign(env, {
    ...endpoints,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    PATH: `${STAND_IN_BIN}${delimiter}${process.env.PATH ?? ''}`,
    GITHUB_WORKSPACE: dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: join(tmp, 'summary'),
    GITHUB_ACTIONS: 'true',
    INPUT_BUCKET: BUCKET,
    INPUT_PREFIX: 'ions',
    'INPUT_WORKING-DIRECTORY': '.',
    INPUT_CLASSPATH: classpath,
  });
  const child = spawn(process.execPath, [join(DIST_DIR, 'push', 'index.js')], { cwd: dir, env });
  started(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const limit = setTimeout(() => child.kill('SIGKILL'), limitMs);
  return new Promise((resolve) => {
    child.on('close', (exitCode, signal) => {
      clearTimeout(limit);
      const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'));
      rmSync(tmp, { recursive: true, force: true });
      resolve({ exitCode, signal, stdout, stderr, outputs });
    });
  });
}

function readZipEntry(zip: Buffer, name: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (err, file) => {
      if (err || !file) return reject(err ?? new Error('not a zip'));
      file.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return file.readEntry();
        file.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => resolve(Buffer.concat(chunks)));
          stream.on('error', reject);
        });
      });
      file.on('end', () => reject(new Error(`${name} not in the bundle`)));
      file.on('error', reject);
      file.readEntry();
    });
  });
}

// ---- the faults tried, shared by the CI test and the soak ----

export interface Outcome {
  /** Push runs (a fault run, plus its re-run when it did not succeed). */
  runs: number;
  /** Requests the proxy broke. */
  faults: number;
  /** Fault runs that did not succeed by themselves (failed, or were killed). */
  notSucceeded: number;
  /** Wrong final statuses: a success without its registered revision, a failure without an error, a re-run that failed. */
  problems: string[];
  /** What the registered revisions lost: missing or wrong objects (must stay empty). */
  lost: string[];
}

export interface Scenario {
  name: string;
  run(world: FaultWorld, random: () => number): Promise<Outcome>;
}

const isUpload = (method: string) => method === 'PUT' || method === 'POST';
/** The request body's size (0 when not told): a mid-body fault needs a body longer than its offset. */
const bodySize = (headers: IncomingHttpHeaders) => Number(headers['content-length'] ?? 0);
const registered = (world: FaultWorld, rev: string) =>
  world.codedeploy.applications.get(APP)!.revisions.some((r) => r.key.endsWith(`/revisions/${rev}.zip`));

/** Is the final status right for what push said? */
function dishonesty(world: FaultWorld, run: PushRun, rev: string): string[] {
  if (run.exitCode === 0) {
    if (run.outputs.rev !== rev) return [`succeeded with rev output ${String(run.outputs.rev)}, not ${rev}`];
    if (!registered(world, rev)) return [`succeeded but ${rev} is not registered`];
    return [];
  }
  if (run.signal !== null) return []; // killed: it could say nothing
  if (!/^::error/m.test(run.stdout)) return [`exited ${run.exitCode} without an error annotation`];
  return [];
}

/** Push under `options`; when it does not succeed, a plain re-run, which must. Both checked. */
async function faultThenRerun(world: FaultWorld, rev: string, options: PushOptions): Promise<Outcome> {
  const first = await world.push(options);
  const problems = dishonesty(world, first, rev);
  const lost = await world.lost();
  const outcome: Outcome = { runs: 1, faults: first.faults, notSucceeded: first.exitCode === 0 ? 0 : 1, problems, lost };
  if (first.exitCode === 0) return outcome;
  const rerun = await world.push();
  outcome.runs += 1;
  if (rerun.exitCode !== 0)
    problems.push(
      `re-run after the fault failed (${rerun.exitCode}): ${rerun.stdout
        .split('\n')
        .filter((l) => l.startsWith('::error'))
        .join(' ')}`,
    );
  problems.push(...dishonesty(world, rerun, rev));
  lost.push(...(await world.lost()));
  return outcome;
}

const S3_ERRORS: InjectedFault[] = [
  { status: 500, code: 'InternalError' },
  { status: 503, code: 'ServiceUnavailable' },
  { status: 503, code: 'SlowDown' },
];

export const SCENARIOS: Scenario[] = [
  {
    name: 'S3 500 / 503 / SlowDown on a third of the requests',
    run: (world, random) =>
      faultThenRerun(world, world.change(random), {
        fault: () => (random() < 0.33 ? S3_ERRORS[Math.floor(random() * S3_ERRORS.length)] : undefined),
      }),
  },
  {
    name: 'connection reset mid-upload (40% of uploads, at a random offset of the body)',
    run: (world, random) =>
      faultThenRerun(world, world.change(random), {
        fault: (method, _path, headers) =>
          isUpload(method) && random() < 0.4 ? { kind: 'reset', afterBytes: Math.floor(random() * bodySize(headers)) } : undefined,
      }),
  },
  {
    name: 'upload stalled mid-body for 2 s, then its connection dies',
    run: (world, random) => {
      let stalled = false;
      return faultThenRerun(world, world.change(random), {
        fault: (method, _path, headers) => {
          // The first upload big enough to be cut in the middle (the blob's directory zip, the jars, the bundle).
          if (!isUpload(method) || stalled || bodySize(headers) < 10_000) return undefined;
          stalled = true;
          return { kind: 'stall', afterBytes: Math.floor(random() * bodySize(headers)), forMs: 2000 };
        },
      });
    },
  },
  {
    name: 'SIGKILL of push at a random point (0–11 S3 requests in), then a re-run',
    // The sample app makes about 10 requests to S3 per push: before the first, in the middle, or near the end.
    run: (world, random) => faultThenRerun(world, world.change(random), { killAfterRequests: Math.floor(random() * 12) }),
  },
  {
    name: 'two pushes of one revision at once',
    async run(world, random) {
      const rev = world.change(random);
      const runs = await Promise.all([world.push(), world.push()]);
      const problems = runs.flatMap((r) => dishonesty(world, r, rev));
      const lost = await world.lost();
      const outcome: Outcome = { runs: 2, faults: 0, notSucceeded: runs.filter((r) => r.exitCode !== 0).length, problems, lost };
      // Whatever each said, a plain re-run ends with the revision registered and complete.
      const rerun = await world.push();
      outcome.runs += 1;
      if (rerun.exitCode !== 0) problems.push(`re-run after two at once failed (${rerun.exitCode})`);
      problems.push(...dishonesty(world, rerun, rev));
      lost.push(...(await world.lost()));
      return outcome;
    },
  },
];
