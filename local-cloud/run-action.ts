import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');

/** The built actions: dist/, or ION_ACTIONS_DIST (a private build, so parallel work does not share one dist/). */
export const DIST_DIR = process.env.ION_ACTIONS_DIST ? resolve(process.env.ION_ACTIONS_DIST) : join(REPO_ROOT, 'dist');

/** The harness's scripted clock, `<epochMs>:<scale>`: given to a child through TEST_CLOCK_PRELOAD, never read by the actions. */
export const TEST_CLOCK_ENV = 'ION_ACTIONS_TEST_CLOCK';
export const TEST_CLOCK_PRELOAD = join(REPO_ROOT, 'local-cloud', 'scaled-clock.mjs');

/** Node options for a built action: the scripted clock when the harness gives one. */
export const actionNodeArgs = (env: Record<string, string | undefined>): string[] =>
  env[TEST_CLOCK_ENV] ? ['--import', TEST_CLOCK_PRELOAD] : [];

/**
 * The AWS SDK warns once per process that Node < 22 will lose support; GitHub runs the actions on
 * node24, so on an older local Node it is only noise. The SDK's own switch turns off exactly that
 * warning (`--disable-warning` cannot: the SDK emits it as a plain `Warning`, without a code).
 */
export const QUIET_SDK_NODE_WARNING = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } as const;

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
  const env: Record<string, string> = { ...QUIET_SDK_NODE_WARNING };
  for (const [k, v] of Object.entries({ ...process.env, ...options.env })) {
    if (v !== undefined && !k.startsWith('INPUT_') && !k.startsWith('GITHUB_')) env[k] = v;
  }
  for (const [k, v] of Object.entries(options.env ?? {})) if (v !== undefined) env[k] = v;
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  env.GITHUB_OUTPUT = outputFile;
  env.GITHUB_STEP_SUMMARY = summaryFile;
  env.GITHUB_ACTIONS = 'true';
  // The runner always sets it; push keeps its jar cache there. Each run gets its own unless a test shares one.
  if (options.env?.RUNNER_TOOL_CACHE === undefined) env.RUNNER_TOOL_CACHE = join(dir, 'tool-cache');
  delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not what the runner uses

  const child = spawn(process.execPath, [...actionNodeArgs(env), join(DIST_DIR, entry, 'index.js')], {
    cwd: options.cwd ?? process.cwd(),
    env,
    signal: options.signal,
  });
  // An aborted spawn (options.signal) emits 'error'; 'close' still follows with the exit status.
  child.on('error', () => {});
  let stdout = '';
  let stderr = '';
  // Decoded as a stream: a multi-byte character (the log's ✔, ↪) split between two chunks stays whole.
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (c: string) => {
    stdout += c;
    options.onStdout?.(c);
  });
  child.stderr.on('data', (c: string) => (stderr += c));
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

/** Parses the `name<<delimiter\nvalue\ndelimiter` records the actions write (src/github/workflow-commands.ts). */
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
