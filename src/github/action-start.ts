import { readFileSync } from 'node:fs';
import { EOL, homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerCacheDir } from '../core/runner-cache-dir.js';
import type { CompiledCodeCache } from './compiled-code-cache.js';
import { inert, inertOneLine } from './inert-text.js';
import { InputRules } from './input-rules.js';

/**
 * What every action does first. The first line each action prints: which action and version, and what it is about to do, as its
 * inputs say. The entry points print it before they load the rest of the action (the AWS SDK and the
 * core make up nearly all of a 3 MB bundle, whose loading would otherwise come first), so it must stay
 * light: node built-ins, the inert-text rules and the input rules only. It informs and decides
 * nothing: the inputs are validated later, every problem at once, as before. Inputs are outside text
 * and printed through inert().
 */

/** What the runner passes an action: its inputs (INPUT_<NAME>) and which action it is. */
export type ActionEnv = Record<string, string | undefined>;

/** The input as getInput (workflow-commands.ts) reads it (INPUT_<NAME>, spaces as underscores), untrimmed. */
const inputOf =
  (env: ActionEnv) =>
  (name: string): string =>
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';

/** Longest piece of input shown in the first line (an ARN is ~100 characters). */
const MAX = 160;
const show = (text: string): string => inert(text, MAX);

/**
 * `ion-actions <action> <version> (<owner/repo>@<ref>)`: the version of the action's own package.json
 * (the runner checks out the whole action repository, as for infra/hooks), and the ref the workflow
 * used, when the runner says (GITHUB_ACTION_REPOSITORY / GITHUB_ACTION_REF; empty for a local action).
 */
export function actionTitle(action: string, env: ActionEnv, version = packageVersion()): string {
  const repo = env.GITHUB_ACTION_REPOSITORY ?? '';
  const ref = env.GITHUB_ACTION_REF ?? '';
  const used = repo ? ` (${show(repo)}${ref ? `@${show(ref)}` : ''})` : '';
  return `ion-actions ${action}${version ? ` ${show(version)}` : ''}${used}`;
}

export function pushFirstLine(env: ActionEnv, workspace = env.GITHUB_WORKSPACE || process.cwd(), version?: string): string {
  const rules = new InputRules(inputOf(env));
  const dryRun = rules.boolean('dry-run', false);
  const project = show(rules.workingDirectory(workspace));
  const bucket = rules.text('bucket');
  const where = bucket ? `s3://${show(bucket)}/${show(rules.prefix(''))}` : 'no bucket';
  const what = dryRun ? `validating ${project} (dry run: nothing is uploaded or registered; ${where})` : `pushing ${project} to ${where}`;
  return `${actionTitle('push', env, version)}: ${what}`;
}

/**
 * What the push entry may act on before the rest loads: the project directory, as parsePushInputs
 * reads it (a mistaken guess only costs the head start: push reads git again for another directory),
 * and whether a classpath is given.
 */
export function pushEarlyInputs(
  env: ActionEnv,
  workspace = env.GITHUB_WORKSPACE ?? process.cwd(),
): { projectDir: string; classpathGiven: boolean } {
  const rules = new InputRules(inputOf(env));
  return { projectDir: rules.workingDirectory(workspace), classpathGiven: rules.text('classpath') !== '' };
}

export function deployFirstLine(env: ActionEnv, version?: string): string {
  const rules = new InputRules(inputOf(env));
  const title = actionTitle('deploy', env, version);
  const executionArn = rules.text('execution-arn');
  if (executionArn !== '' && rules.text('group') === '') return `${title}: following execution ${show(executionArn)}`;
  const app = rules.text('app-name');
  const rev = rules.text('rev') || (env.GITHUB_SHA ?? '').trim();
  const stateMachine = rules.text('state-machine-arn');
  const wait = rules.boolean('wait', true);
  const what = [
    `deploying ${app ? show(app) : 'the app named in datomic/ion-config.edn'}`,
    rev ? ` revision ${show(rev)}` : '',
    ` to ${show(rules.text('group')) || '(no group given)'}`,
    stateMachine ? ` through ${show(stateMachine)}` : '',
    wait ? '' : ' (not waiting for the end)',
  ].join('');
  return `${title}: ${what}`;
}

/** The post step learns what to do from the main step's saved state, read after this line. */
export function deployPostFirstLine(env: ActionEnv, version?: string): string {
  return `${actionTitle('deploy', env, version)} post step: stopping the deploy if the main step left it running`;
}

/** Prints the line the way core.info does (stdout, one line); the line is already inert. */
export function printFirstLine(line: string): void {
  process.stdout.write(`${line}${EOL}`);
}

/** This project's version, from the package.json above this module (dist/<action>/ or src/github/); '' when not found. */
export function packageVersion(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from, i = 0; i < 4; dir = dirname(dir), i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'ion-actions' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // No package.json here (or not ours): look further up.
    }
  }
  return '';
}

/**
 * Keeps the compiled code of this action's chunks on the runner (compiled-code-cache.ts), in
 * `<runner cache>/compiled-code` beside push's jar facts. Called before the chunks load; `finish()`,
 * once run() is done, stores what this run compiled when the action succeeded (a failed run has
 * compiled only part of it), and says what was used: debug lines, and a warning for a file that is
 * damaged or not safe to run. Never fatal: without it the action compiles as Node always does.
 */
export async function startCompiledCodeCache(
  action: string,
  env: ActionEnv = process.env,
  chunkDir = dirname(fileURLToPath(import.meta.url)),
): Promise<{ finish(): Promise<void> }> {
  const dir = join(runnerCacheDir(env, homedir()), 'compiled-code');
  // Imported here, after the first line: node:crypto and node:fs/promises take ~8 ms to load, which
  // the first line need not wait for (the rest of the action loads them anyway).
  const [{ installCompiledCodeCache }, runner] = await Promise.all([import('./compiled-code-cache.js'), import('./workflow-commands.js')]);
  let cache: CompiledCodeCache;
  try {
    cache = installCompiledCodeCache({ dir, chunkDir, action });
  } catch (e) {
    runner.debug(`Compiled code cache not used: ${inertOneLine(e instanceof Error ? e.message : String(e))}`);
    return { finish: async () => undefined };
  }
  return {
    finish: async () => {
      const states = cache.states();
      for (const s of states) {
        if (s.state === 'refused') {
          runner.warning(
            `Ignored the compiled code cache ${inertOneLine(s.file)}: ${inertOneLine(s.reason)}. The action compiled its code afresh; it replaces the file when it can.`,
          );
        }
      }
      const used = states.filter((s) => s.state === 'used').length;
      // Every run has this line: only with step debug logging on (the runner then sets RUNNER_DEBUG=1), where it shows.
      if (states.length > 0 && env.RUNNER_DEBUG === '1') {
        runner.debug(`Compiled code: ${used} of ${states.length} chunks from the cache in ${inertOneLine(dir)}`);
      }
      if (process.exitCode !== undefined && process.exitCode !== 0) return;
      for (const p of cache.save()) runner.debug(`Compiled code not stored: ${inertOneLine(p)}`);
    },
  };
}

/** What exitOnceFlushed needs of a stream: a write whose callback runs once what was written before has been handed to the OS. */
export interface FlushableStream {
  write(chunk: string, callback: (err?: Error | null) => void): boolean;
}

/**
 * Ends the process once everything written to `streams` has been handed to the OS, with
 * process.exitCode (1 after setFailed). For an action whose work is all done (outputs, summary and
 * caches written, uploads finished): a natural exit first waits for whatever the libraries left in
 * the event loop and then tears down the heap of a 3 MB bundle, tens of milliseconds the workflow
 * waits for and nothing needs. A write's callback runs after every write before it, on a pipe too
 * (where Node may write asynchronously), so no line of the log is lost; a closed stream (EPIPE) ends
 * the wait as well.
 */
export function exitOnceFlushed(
  streams: readonly FlushableStream[] = [process.stdout, process.stderr],
  exit: (code?: number | string | null) => void = (code) => process.exit(code ?? undefined),
): Promise<void> {
  return Promise.all(streams.map((s) => new Promise<void>((resolve) => s.write('', () => resolve())))).then(() => exit(process.exitCode));
}
