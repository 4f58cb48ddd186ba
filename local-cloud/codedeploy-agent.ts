/**
 * What the CodeDeploy agent does on one instance for one deployment, on a local "instance" (a
 * directory): download the revision bundle from S3, unpack it into the agent's deployment root, and
 * run the appspec's hooks for each lifecycle event in order, each script executed directly with the
 * agent's environment variables, stopping at the first failure. Each lifecycle event gets a status,
 * start and end times and the diagnostics CodeDeploy reports ({errorCode, scriptName, message,
 * logTail}), with the log tail in the agent's `[stdout]`/`[stderr]` format.
 *
 * Scripts run as the current user (appspec `runas` is not honoured: the ion-actions appspec says root
 * for every hook, which is what CI, running as root, gives them) with the instance environment of
 * instance.ts: a PATH holding only what an instance needs (docs/cluster-hooks.md),
 * whose `aws` is Debian's /usr/bin/aws, ION_ROOT = the instance directory, AWS_ENDPOINT_URL_S3
 * pointing at the local S3, and ION_APP_USER = nobody. As root, the hooks load the application's
 * code as that user, so the instance directories are made reachable (searchable) by it first.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { accessSync, constants, chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import yauzl from 'yauzl';
import { parse as parseYaml } from 'yaml';
import { bareETag } from '../src/aws/s3-client.js';
import { instanceEnv, letServiceUserIn } from './instance.js';

/** The lifecycle events of an in-place EC2/on-premises deployment, in CodeDeploy's order. */
export const LIFECYCLE_EVENTS = [
  'ApplicationStop',
  'BeforeBlockTraffic',
  'BlockTraffic',
  'AfterBlockTraffic',
  'DownloadBundle',
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
] as const;

/** Without a load balancer (this deployment group has none) CodeDeploy skips the traffic events. */
const TRAFFIC_EVENTS = new Set([
  'BeforeBlockTraffic',
  'BlockTraffic',
  'AfterBlockTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
]);
/** Events whose scripts come from the appspec (the others are the agent's own work). */
const SCRIPTED_EVENTS = new Set(['ApplicationStop', 'BeforeInstall', 'AfterInstall', 'ApplicationStart', 'ValidateService']);

/** The agent keeps this much of a script's output in the diagnostics. */
export const LOG_TAIL_BYTES = 4096;

export type LifecycleStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped';

export interface Diagnostics {
  errorCode: 'Success' | 'ScriptMissing' | 'ScriptNotExecutable' | 'ScriptTimedOut' | 'ScriptFailed' | 'UnknownError';
  scriptName: string;
  message: string;
  logTail: string;
}

export interface LifecycleEventRecord {
  lifecycleEventName: string;
  status: LifecycleStatus;
  /** Epoch milliseconds. */
  startTime?: number;
  endTime?: number;
  diagnostics?: Diagnostics;
  /** The whole output of the event's scripts, `[stdout]`/`[stderr]`-tagged (the log tail is its end). */
  log: string;
}

/** A local instance: its ION_ROOT and the agent's own directory (deployment root, bin). */
export interface LocalInstance {
  instanceId: string;
  /** ION_ROOT for the hooks: cache/, unpacked/, apps/, tmp/. */
  root: string;
  /** The agent's directory: bin/ (the instance PATH), deployment-root/. */
  agentDir: string;
  binDir: string;
  /** The archive of the last successful deployment: ApplicationStop runs its appspec's scripts, as the agent does. */
  lastSuccessfulArchive?: string;
}

export interface AgentDeployment {
  deploymentId: string;
  applicationName: string;
  deploymentGroupName: string;
  deploymentGroupId: string;
  revision: { bucket: string; key: string; bundleType: string; eTag?: string };
  s3: () => S3Client;
  s3Endpoint: string;
  /** Extra environment for the hooks (what /etc/ion/ion.env would hold on EC2). */
  env: Record<string, string>;
  stopped: () => boolean;
}

export const newLifecycleEvents = (): LifecycleEventRecord[] =>
  LIFECYCLE_EVENTS.map((name) => ({ lifecycleEventName: name, status: 'Pending', log: '' }));

/**
 * Runs one deployment on one instance, updating `events` in place as it goes (so GetDeployment and
 * BatchGetDeploymentTargets see progress). Resolves with the instance's outcome.
 */
export async function deployToInstance(
  instance: LocalInstance,
  d: AgentDeployment,
  events: LifecycleEventRecord[],
): Promise<'Succeeded' | 'Failed' | 'Stopped'> {
  const archive = join(instance.agentDir, 'deployment-root', d.deploymentGroupId, d.deploymentId, 'deployment-archive');
  letServiceUserIn(instance.root, instance.binDir);
  let appspec: AppSpec | undefined;
  for (const event of events) {
    if (d.stopped()) {
      skipRest(events);
      return 'Stopped';
    }
    const name = event.lifecycleEventName;
    if (TRAFFIC_EVENTS.has(name)) {
      event.status = 'Skipped';
      continue;
    }
    event.status = 'InProgress';
    event.startTime = Date.now();
    let outcome: { ok: boolean; diagnostics: Diagnostics; log: string };
    try {
      if (name === 'DownloadBundle') {
        await downloadBundle(d, archive);
        outcome = success();
      } else if (name === 'Install') {
        // The appspec's `files` section (copied by Install) is empty in an ion-actions bundle.
        appspec = readAppSpec(archive);
        outcome = success();
      } else if (SCRIPTED_EVENTS.has(name)) {
        // ApplicationStop belongs to the revision being replaced: the scripts of the last successful one.
        const from = name === 'ApplicationStop' ? instance.lastSuccessfulArchive : archive;
        const spec = name === 'ApplicationStop' ? (from ? readAppSpec(from) : undefined) : (appspec ??= readAppSpec(archive));
        outcome = spec && from ? await runEventScripts(name, spec, from, instance, d) : success();
      } else {
        outcome = success();
      }
    } catch (err) {
      outcome = {
        ok: false,
        log: '',
        diagnostics: { errorCode: 'UnknownError', scriptName: '', message: (err as Error).message, logTail: '' },
      };
    }
    event.endTime = Date.now();
    event.diagnostics = outcome.diagnostics;
    event.log = outcome.log;
    event.status = outcome.ok ? 'Succeeded' : 'Failed';
    if (!outcome.ok) {
      skipRest(events);
      return 'Failed';
    }
  }
  instance.lastSuccessfulArchive = archive;
  return 'Succeeded';
}

const success = () => ({
  ok: true,
  log: '',
  diagnostics: { errorCode: 'Success' as const, scriptName: '', message: 'Succeeded', logTail: '' },
});

function skipRest(events: LifecycleEventRecord[]): void {
  for (const e of events) if (e.status === 'Pending') e.status = 'Skipped';
}

async function downloadBundle(d: AgentDeployment, archive: string): Promise<void> {
  const { bucket, key, bundleType, eTag } = d.revision;
  if (bundleType !== 'zip') throw new Error(`The local CodeDeploy agent unpacks zip bundles only, not ${bundleType}`);
  const client = d.s3();
  let bytes: Buffer;
  let actualETag: string | undefined;
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    bytes = Buffer.from(await out.Body!.transformToByteArray());
    actualETag = out.ETag;
  } catch (err) {
    throw new Error(`Failed to download the bundle s3://${bucket}/${key}: ${(err as Error).name}: ${(err as Error).message}`);
  } finally {
    client.destroy();
  }
  if (eTag && bareETag(eTag) !== bareETag(actualETag)) {
    throw new Error(
      `The bundle s3://${bucket}/${key} has ETag ${actualETag ?? '(none)'}, not the deployment's ${eTag}: it was overwritten after the deployment was created`,
    );
  }
  mkdirSync(archive, { recursive: true });
  await unzip(bytes, archive);
}

/** Unpacks a zip keeping each file's permission bits (hook scripts must stay executable). */
function unzip(bytes: Buffer, dir: string): Promise<void> {
  const root = resolve(dir);
  return new Promise((resolvePromise, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('unreadable zip'));
      zip.on('error', reject);
      zip.on('end', () => resolvePromise());
      zip.on('entry', (entry: yauzl.Entry) => {
        const target = resolve(root, normalize(entry.fileName));
        if (target !== root && !target.startsWith(root + sep))
          return reject(new Error(`bundle entry ${entry.fileName} points outside the archive`));
        if (entry.fileName.endsWith('/')) {
          mkdirSync(target, { recursive: true });
          return zip.readEntry();
        }
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error(`cannot read ${entry.fileName}`));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            mkdirSync(dirname(target), { recursive: true });
            writeFileSync(target, Buffer.concat(chunks));
            const mode = (entry.externalFileAttributes >>> 16) & 0o777;
            chmodSync(target, mode || 0o644);
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** The part of an AppSpec (version 0.0, os: linux) the agent needs: each event's scripts. */
export interface AppSpec {
  hooks: Record<string, { location: string; timeout: number; runas?: string }[]>;
}

/** Reads appspec.yml (or .yaml) from the unpacked revision, as the agent does. */
export function readAppSpec(archive: string): AppSpec {
  const file = ['appspec.yml', 'appspec.yaml'].map((n) => join(archive, n)).find((f) => existsSync(f));
  if (!file) {
    throw new Error(
      `The CodeDeploy agent did not find an AppSpec file within the unpacked revision directory at revision-relative path "appspec.yml". The revision was unpacked to directory "${archive}", and the AppSpec file was expected but not found at path "${join(archive, 'appspec.yml')}".`,
    );
  }
  return parseAppSpec(readFileSync(file, 'utf8'));
}

/** The hooks section of an AppSpec; anything in it the agent would not understand is an error naming it. */
export function parseAppSpec(text: string): AppSpec {
  const doc = parseYaml(text) as { hooks?: unknown } | null;
  const hooks: AppSpec['hooks'] = {};
  const section = doc?.hooks ?? {};
  if (typeof section !== 'object' || section === null || Array.isArray(section))
    throw new Error('appspec.yml: hooks must map lifecycle events to lists of scripts');
  for (const [event, scripts] of Object.entries(section)) {
    if (!Array.isArray(scripts)) throw new Error(`appspec.yml: hooks.${event} must be a list of scripts`);
    hooks[event] = scripts.map((entry: unknown, i) => {
      if (typeof entry !== 'object' || entry === null) throw new Error(`appspec.yml: hooks.${event}[${i}] must be a map with location`);
      const script: AppSpec['hooks'][string][number] = { location: '', timeout: 3600 };
      for (const [key, value] of Object.entries(entry)) {
        if (key === 'location') script.location = String(value);
        else if (key === 'timeout') script.timeout = Number(value);
        else if (key === 'runas') script.runas = String(value);
        else throw new Error(`appspec.yml: unknown hook key "${key}" in hooks.${event}[${i}]`);
      }
      return script;
    });
  }
  return { hooks };
}

async function runEventScripts(
  event: string,
  spec: AppSpec,
  archive: string,
  instance: LocalInstance,
  d: AgentDeployment,
): Promise<{ ok: boolean; diagnostics: Diagnostics; log: string }> {
  const scripts = spec.hooks[event] ?? [];
  let log = '';
  for (const script of scripts) {
    const path = join(archive, script.location);
    const header = `LifecycleEvent - ${event}\nScript - ${script.location}\n`;
    const fail = (errorCode: Diagnostics['errorCode'], message: string, tagged = '') => {
      log += header + tagged;
      return { ok: false, log, diagnostics: { errorCode, scriptName: script.location, message, logTail: tail(header + tagged) } };
    };
    if (!existsSync(path)) return fail('ScriptMissing', `Script does not exist at specified location: ${path}`);
    try {
      accessSync(path, constants.X_OK);
    } catch {
      return fail('ScriptNotExecutable', `Script at specified location: ${script.location} is not executable`);
    }
    const env = {
      ...instanceEnv({ binDir: instance.binDir, ionRoot: instance.root, s3Endpoint: d.s3Endpoint }),
      ...d.env,
      // What the agent sets for every script.
      LIFECYCLE_EVENT: event,
      DEPLOYMENT_ID: d.deploymentId,
      APPLICATION_NAME: d.applicationName,
      DEPLOYMENT_GROUP_NAME: d.deploymentGroupName,
      DEPLOYMENT_GROUP_ID: d.deploymentGroupId,
    };
    const run = await runScript(path, env, script.timeout);
    if (run.timedOut)
      return fail(
        'ScriptTimedOut',
        `Script at specified location: ${script.location} failed to complete in ${script.timeout} seconds`,
        run.tagged,
      );
    if (run.code !== 0) {
      return fail(
        'ScriptFailed',
        `Script at specified location: ${script.location} run as user ${script.runas ?? 'root'} failed with exit code ${run.code}`,
        run.tagged,
      );
    }
    log += header + run.tagged;
  }
  return { ok: true, log, diagnostics: { errorCode: 'Success', scriptName: '', message: 'Succeeded', logTail: tail(log) } };
}

const tail = (text: string) =>
  Buffer.byteLength(text) <= LOG_TAIL_BYTES
    ? text
    : Buffer.from(text)
        .subarray(-LOG_TAIL_BYTES)
        .toString('utf8')
        .replace(/^\uFFFD+/, '');

/** Runs a script by path; output lines are tagged `[stdout]`/`[stderr]` in the order they arrive. */
function runScript(
  path: string,
  env: Record<string, string>,
  timeoutSeconds: number,
): Promise<{ code: number; timedOut: boolean; tagged: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(path, [], { env, cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
    let tagged = '';
    const partial = { stdout: '', stderr: '' };
    const take = (stream: 'stdout' | 'stderr', chunk: string, flush = false) => {
      const lines = (partial[stream] + chunk).split('\n');
      partial[stream] = flush ? '' : lines.pop()!;
      for (const line of lines) if (!(flush && line === '')) tagged += `[${stream}]${line}\n`;
    };
    child.stdout.on('data', (c: Buffer) => take('stdout', c.toString()));
    child.stderr.on('data', (c: Buffer) => take('stderr', c.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutSeconds * 1000);
    let settled = false;
    const settle = (code: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      take('stdout', '', true);
      take('stderr', '', true);
      resolvePromise({ code, timedOut, tagged });
    };
    // A script that cannot be started (bad interpreter line) fails like one that exits 127.
    child.on('error', (err) => {
      tagged += `[stderr]${err.message}\n`;
      settle(127);
    });
    child.on('close', (code) => settle(code ?? 1));
  });
}

/** The lines of a tagged log without their `[stdout]`/`[stderr]` tags and headers. */
export const untag = (log: string): string[] =>
  log
    .split('\n')
    .filter((l) => l.startsWith('[stdout]') || l.startsWith('[stderr]'))
    .map((l) => l.replace(/^\[std(out|err)\]/, ''));
