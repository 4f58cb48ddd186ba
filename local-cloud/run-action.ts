import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');

/** The built actions: dist/, or ION_ACTIONS_DIST (a private build, so parallel work does not share one dist/). */
export const DIST_DIR = process.env.ION_ACTIONS_DIST ? resolve(process.env.ION_ACTIONS_DIST) : join(REPO_ROOT, 'dist');

export interface ActionResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** The `::error …::` and `::warning …::` lines. */
  annotations: string[];
}

/**
 * Runs a built action entry (dist/<entry>/index.js) the way the runner does: inputs as INPUT_*
 * variables, outputs and summary through the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files.
 */
export async function runAction(
  entry: string,
  inputs: Record<string, string>,
  options: { env?: Record<string, string | undefined>; cwd?: string; onStdout?: (chunk: string) => void; signal?: AbortSignal } = {},
): Promise<ActionResult> {
  const dir = mkdtempSync(join(tmpdir(), 'action-run-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...options.env })) {
    if (v !== undefined && !k.startsWith('INPUT_') && !k.startsWith('GITHUB_')) env[k] = v;
  }
  for (const [k, v] of Object.entries(options.env ?? {})) if (v !== undefined) env[k] = v;
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  env.GITHUB_OUTPUT = outputFile;
  env.GITHUB_STEP_SUMMARY = summaryFile;
  env.GITHUB_ACTIONS = 'true';
  delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not what the runner uses

  const child = spawn(process.execPath, [join(DIST_DIR, entry, 'index.js')], {
    cwd: options.cwd ?? process.cwd(),
    env,
    signal: options.signal,
  });
  // An aborted spawn (options.signal) emits 'error'; 'close' still follows with the exit status.
  child.on('error', () => {});
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    options.onStdout?.(c.toString());
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exitCode = await new Promise<number>((res) => child.on('close', (code) => res(code ?? 1)));
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    annotations: stdout.split('\n').filter((l) => /^::(error|warning|notice)/.test(l)),
  };
}

/** Parses the `name<<delimiter\nvalue\ndelimiter` records @actions/core writes. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const [, name, delimiter] = m;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
    outputs[name!] = value.join('\n');
  }
  return outputs;
}
