/**
 * Runs the reference CodeDeploy hooks (infra/hooks/) the way the CodeDeploy agent does: a bundle
 * directory with appspec.yml, ion-manifest.json and hooks/, each hook executed directly, with a
 * chosen instance root and a PATH that holds only what docs/infra.md says an instance needs
 * (local-cloud/instance.ts).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { zipFiles } from '../../src/core/content/deterministic-zip.js';
import type { Manifest } from '../../src/core/manifest/schema.js';

export const REPO_ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
export const HOOKS_SOURCE = join(REPO_ROOT, 'infra', 'hooks');

export type HookName = 'before-install' | 'after-install' | 'application-start' | 'validate-service' | 'prune-cache';
/** The appspec's scripts in order (ValidateService runs validate-service.sh, then prune-cache.sh). */
export const HOOK_ORDER: HookName[] = ['before-install', 'after-install', 'application-start', 'validate-service', 'prune-cache'];

/** What a hook run left behind. */
export interface HookRun {
  hook: HookName;
  code: number;
  stdout: string;
  stderr: string;
}

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A zip made the way push makes 'dir' entries (src/core/content/deterministic-zip.ts). */
export const deterministicZip = (files: Record<string, string | Buffer>): Promise<Buffer> =>
  zipFiles(Object.entries(files).map(([name, data]) => ({ name, data })));

/** Lays out a revision bundle the way the agent unpacks one: appspec.yml, ion-manifest.json, hooks/. */
export function writeBundle(dir: string, manifest: Manifest): string {
  mkdirSync(dir, { recursive: true });
  cpSync(HOOKS_SOURCE, join(dir, 'hooks'), { recursive: true });
  cpSync(join(HOOKS_SOURCE, 'appspec.yml'), join(dir, 'appspec.yml'));
  writeFileSync(join(dir, 'ion-manifest.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

/** Runs one hook as the agent does (the script itself, by path), with `env` as its whole environment. */
export function runHook(bundleDir: string, hook: HookName, env: Record<string, string>): Promise<HookRun> {
  return new Promise((resolvePromise) => {
    execFile(join(bundleDir, 'hooks', `${hook}.sh`), [], { env, cwd: '/', timeout: 600_000 }, (error, stdout, stderr) => {
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
