/**
 * Runs the reference CodeDeploy hooks (infra/hooks/) the way the CodeDeploy agent does: a bundle
 * directory with appspec.yml, ion-manifest.json and hooks/, each hook executed directly, with a
 * chosen instance root and a PATH that holds only what docs/infra.md says an instance needs.
 */
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import yazl from 'yazl';
import type { Manifest } from '../../src/core/manifest/schema.js';

export const REPO_ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
export const HOOKS_SOURCE = join(REPO_ROOT, 'infra', 'hooks');

export type HookName = 'before-install' | 'after-install' | 'application-start' | 'validate-service';
export const HOOK_ORDER: HookName[] = ['before-install', 'after-install', 'application-start', 'validate-service'];

/** What a hook run left behind. */
export interface HookRun {
  hook: HookName;
  code: number;
  stdout: string;
  stderr: string;
}

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/**
 * A deterministic zip (sorted names, fixed time and modes), as push makes for 'dir' entries, so the
 * same tree always has the same SHA-256.
 */
export async function deterministicZip(files: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const name of Object.keys(files).sort()) {
    zip.addBuffer(Buffer.from(files[name]!), name, { mtime: new Date(Date.UTC(1980, 0, 1)), mode: 0o100644 });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Lays out a revision bundle the way the agent unpacks one: appspec.yml, ion-manifest.json, hooks/. */
export function writeBundle(dir: string, manifest: Manifest): string {
  mkdirSync(dir, { recursive: true });
  cpSync(HOOKS_SOURCE, join(dir, 'hooks'), { recursive: true });
  cpSync(join(HOOKS_SOURCE, 'appspec.yml'), join(dir, 'appspec.yml'));
  writeFileSync(join(dir, 'ion-manifest.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

/**
 * A bin directory with only the commands an instance must have (docs/infra.md), linked from this
 * machine, so a hook that silently needs something else fails here. `aws` is a wrapper around
 * Debian's /usr/bin/aws (2.9, like older EC2 images) that logs every call to `<dir>/aws-calls.log`.
 * `systemctl`, when asked for, is a stand-in that logs its arguments to `<dir>/systemctl.log`.
 */
export function makeInstanceBin(dir: string, options: { systemctl?: 'ok' | 'fail' } = {}): string {
  mkdirSync(dir, { recursive: true });
  const tools = [
    'sh', 'dirname', 'mktemp', 'mkdir', 'rm', 'wc', 'tr', 'cut', 'sort', 'awk', 'grep', 'head', 'mv', 'cp',
    'paste', 'cat', 'sha256sum', 'date', 'sleep', 'ln', 'python3', 'java',
  ];
  for (const tool of tools) {
    const found = ['/usr/bin', '/bin'].map((d) => join(d, tool)).find((p) => existsSync(p));
    if (!found) throw new Error(`${tool} is not installed on this machine; the hooks test needs it (apt-get install it)`);
    symlinkSync(found, join(dir, tool));
  }
  if (!existsSync('/usr/bin/aws')) throw new Error("Debian's awscli is not installed (apt-get install awscli)");
  const awsLog = join(dir, 'aws-calls.log');
  writeFileSync(awsLog, '');
  writeFileSync(join(dir, 'aws'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${awsLog}'\nexec /usr/bin/aws "$@"\n`);
  chmodSync(join(dir, 'aws'), 0o755);
  if (options.systemctl) {
    const log = join(dir, 'systemctl.log');
    writeFileSync(log, '');
    writeFileSync(
      join(dir, 'systemctl'),
      `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\n${options.systemctl === 'fail' ? 'echo "Job for $2 failed." >&2; exit 1' : 'exit 0'}\n`,
    );
    chmodSync(join(dir, 'systemctl'), 0o755);
  }
  return dir;
}

export const awsCalls = (binDir: string): string[] =>
  readFileSync(join(binDir, 'aws-calls.log'), 'utf8').split('\n').filter(Boolean);

/** The environment of an instance pointed at an S3 endpoint (s3rver only accepts S3RVER/S3RVER). */
export function instanceEnv(options: { binDir: string; ionRoot: string; s3Endpoint: string; envFile?: string; extra?: Record<string, string> }): Record<string, string> {
  return {
    PATH: options.binDir,
    HOME: options.ionRoot,
    LANG: 'C.UTF-8',
    ION_ENV_FILE: options.envFile ?? join(options.ionRoot, 'no-env-file'),
    ION_ROOT: options.ionRoot,
    AWS_ENDPOINT_URL_S3: options.s3Endpoint,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
    // Keep the developer's ~/.aws out of it.
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    // What the CodeDeploy agent sets.
    DEPLOYMENT_ID: 'd-TEST00000',
    APPLICATION_NAME: 'test',
    DEPLOYMENT_GROUP_NAME: 'test',
    ...options.extra,
  };
}

/** Runs one hook as the agent does (the script itself, by path), with `env` as its whole environment. */
export function runHook(bundleDir: string, hook: HookName, env: Record<string, string>): Promise<HookRun> {
  return new Promise((resolvePromise) => {
    execFile(join(bundleDir, 'hooks', `${hook}.sh`), [], { env, cwd: '/', timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolvePromise({ hook, code, stdout, stderr });
    });
  });
}

/** Runs the hooks in appspec order, stopping at the first failure as CodeDeploy does. */
export async function runLifecycle(bundleDir: string, env: Record<string, string>): Promise<HookRun[]> {
  const runs: HookRun[] = [];
  for (const hook of HOOK_ORDER) {
    const run = await runHook(bundleDir, hook, env);
    runs.push(run);
    if (run.code !== 0) break;
  }
  return runs;
}
