/**
 * src/github/workflow-commands.ts against @actions/core 3.0.1, the toolkit it replaces, run side by side
 * on the same calls: stdout, the output and state files, the summary file and the errors must be the
 * same bytes. Then hostile values through a port of the runner's parser: only the commands meant.
 *
 * The one module mock: `crypto`'s randomUUID gives both the same heredoc delimiter, so their file
 * records can be compared byte for byte and a value holding the delimiter can be tried.
 */
import { afterAll, afterEach, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inert } from '../../src/github/inert-text.js';
import { HOSTILE_STRINGS, runnerCommands } from '../support/runner-commands.js';

let uuid = '00000000-0000-4000-8000-000000000000';
const realCrypto = createRequire(import.meta.url)('node:crypto') as Record<string, unknown>;
const fakeCrypto = { ...realCrypto, randomUUID: () => uuid };
jest.unstable_mockModule('node:crypto', () => ({ ...fakeCrypto, default: fakeCrypto }));
jest.unstable_mockModule('crypto', () => ({ ...fakeCrypto, default: fakeCrypto }));

type Runner = typeof import('../../src/github/workflow-commands.js');
type Core = typeof import('@actions/core');
/** What both implementations offer (the summary differs in shape and is compared on its own). */
type Calls = Omit<Runner, 'appendSummary'>;

let runner: Runner;
let core: Core;
beforeAll(async () => {
  runner = await import('../../src/github/workflow-commands.js');
  core = await import('@actions/core');
});

const RUNNER_ENV = ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'] as const;
const savedEnv = Object.fromEntries(RUNNER_ENV.map((k) => [k, process.env[k]]));
afterEach(() => {
  for (const k of RUNNER_ENV) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
  process.exitCode = undefined;
});

/** Everything written to stdout while `fn` runs, and the exit code it left. */
function captured(fn: () => void): { stdout: string; exitCode: typeof process.exitCode } {
  let stdout = '';
  process.exitCode = undefined;
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  return { stdout, exitCode };
}

/** The same calls through @actions/core and through ours: what each printed. */
function side(calls: (api: Calls) => void): { core: ReturnType<typeof captured>; ours: ReturnType<typeof captured> } {
  return { core: captured(() => calls(core)), ours: captured(() => calls(runner)) };
}

const VALUES: readonly string[] = [
  ...HOSTILE_STRINGS,
  '',
  'plain',
  '100%',
  '%25 already escaped %0A',
  'a\r\nb\n\nc\r',
  '::',
  'a::b',
  'k=v,x:y',
  'ghadelimiter_',
  'trailing\n',
  ' padded ',
  'ünïcødé ✔ 🚀',
  '\u0000\u001b\t',
];

const PROPERTIES = (v: string): Parameters<Runner['error']>[1][] => [
  undefined,
  {},
  { title: v },
  { file: v, startLine: 3, startColumn: 7 },
  { endColumn: 9, endLine: 4, startColumn: 1, startLine: 2, file: v, title: v },
  { startLine: 0, title: '' },
  { title: undefined },
];

describe('the same bytes as @actions/core 3.0.1', () => {
  test.each(VALUES.map((v) => [v]))('log lines, masks, groups, debug, annotations and setFailed with %j', (v) => {
    const { core: theirs, ours } = side((api) => {
      api.info(v);
      api.debug(v);
      api.setSecret(v);
      api.startGroup(v);
      api.endGroup();
      for (const props of PROPERTIES(v)) {
        api.notice(v, props);
        api.warning(v, props);
        api.error(v, props);
      }
    });
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.exitCode).toBeUndefined();
    expect(theirs.exitCode).toBeUndefined();

    const failed = side((api) => api.setFailed(v));
    expect(failed.ours.stdout).toBe(failed.core.stdout);
    expect(failed.ours.exitCode).toBe(1);
    expect(failed.core.exitCode).toBe(1);
  });

  test('annotation properties: the runner names, in its order, set ones only, the `::error ::` of unset ones kept', () => {
    const { ours } = side((api) => {
      api.error('m', { endColumn: 9, file: 'src/a,b.clj', startLine: 2, title: 't:x' });
      api.error('m', { title: undefined });
      api.error('m');
    });
    expect(ours.stdout.split('\n')).toEqual([
      '::error title=t%3Ax,file=src/a%2Cb.clj,line=2,endColumn=9::m',
      '::error ::m',
      '::error::m',
      '',
    ]);
  });

  test.each(VALUES.map((v) => [v]))(
    'setOutput and saveState without GITHUB_OUTPUT / GITHUB_STATE: the old stdout commands, with %j',
    (v) => {
      delete process.env.GITHUB_OUTPUT;
      delete process.env.GITHUB_STATE;
      const { core: theirs, ours } = side((api) => {
        api.setOutput(`name ${v}`, v);
        api.saveState(`name ${v}`, v);
      });
      expect(ours.stdout).toBe(theirs.stdout);
    },
  );

  test('getInput (INPUT_<NAME>, spaces as underscores, upper case, trimmed) and getState (STATE_<name>)', () => {
    const env: Record<string, string> = {
      'INPUT_DRY-RUN': ' true \n',
      INPUT_MY_INPUT: '\tvalue with spaces  ',
      INPUT_EMPTY: '',
      STATE_executionArn: 'arn:aws:states:x',
      STATE_padded: ' kept ',
    };
    Object.assign(process.env, env);
    try {
      for (const name of ['dry-run', 'Dry-Run', 'my input', 'empty', 'never-set']) expect(runner.getInput(name)).toBe(core.getInput(name));
      for (const name of ['executionArn', 'padded', 'never-set', 'EXECUTIONARN']) expect(runner.getState(name)).toBe(core.getState(name));
      expect(runner.getInput('my input')).toBe('value with spaces');
      expect(runner.getState('padded')).toBe(' kept ');
    } finally {
      for (const k of Object.keys(env)) delete process.env[k];
    }
  });
});

describe('file commands (GITHUB_OUTPUT, GITHUB_STATE): the same records, the same refusals', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'workflow-commands-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the calls through each implementation with its own output and state files; returns their contents. */
  function files(calls: (api: Calls) => void): { core: string[]; ours: string[] } {
    const run = (who: string, api: Calls): string[] => {
      const output = join(dir, `${who}-output`);
      const state = join(dir, `${who}-state`);
      writeFileSync(output, 'before\n');
      writeFileSync(state, '');
      process.env.GITHUB_OUTPUT = output;
      process.env.GITHUB_STATE = state;
      const { stdout } = captured(() => calls(api));
      expect(stdout).toBe('');
      return [readFileSync(output, 'utf8'), readFileSync(state, 'utf8')];
    };
    return { core: run('core', core), ours: run('ours', runner) };
  }

  test('every value, one record each, appended after what the file held', () => {
    let n = 0;
    const result = files((api) => {
      for (const v of VALUES) {
        uuid = `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
        api.setOutput('rev', v);
        api.saveState('executionArn', v);
      }
      n = 0;
    });
    expect(result.ours).toEqual(result.core);
    const first = 'ghadelimiter_00000000-0000-4000-8000-000000000001';
    expect(result.ours[0]!.startsWith(`before\nrev<<${first}\n${VALUES[0]}\n${first}\nrev<<`)).toBe(true);
  });

  test('a name or value that holds the delimiter is refused with the same message, and nothing is written', () => {
    uuid = '11111111-2222-4333-8444-555555555555';
    const delimiter = `ghadelimiter_${uuid}`;
    for (const [name, value] of [
      ['rev', `x\n${delimiter}\nevil<<EOF`],
      [`rev${delimiter}`, 'x'],
    ] as const) {
      const refusal = (who: string, api: Calls) => {
        const output = join(dir, `${who}-output`);
        writeFileSync(output, 'before\n');
        process.env.GITHUB_OUTPUT = output;
        let message = 'nothing thrown';
        try {
          api.setOutput(name, value);
        } catch (err) {
          message = (err as Error).message;
        }
        return { message, file: readFileSync(output, 'utf8') };
      };
      const theirs = refusal('core', core);
      expect(refusal('ours', runner)).toEqual(theirs);
      expect(theirs).toEqual({ message: expect.stringContaining(`should not contain the delimiter "${delimiter}"`), file: 'before\n' });
    }
  });

  test('a file that is not there: the same error', () => {
    process.env.GITHUB_OUTPUT = join(dir, 'missing', 'output');
    const message = (api: Calls) => {
      try {
        api.setOutput('rev', 'x');
      } catch (err) {
        return (err as Error).message;
      }
      return 'nothing thrown';
    };
    expect(message(runner)).toBe(message(core));
    expect(message(runner)).toBe(`Missing file at path: ${join(dir, 'missing', 'output')}`);
  });
});

describe('the job summary (GITHUB_STEP_SUMMARY)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'workflow-summary-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const rejection = async (write: () => Promise<unknown>): Promise<string> =>
    write().then(
      () => 'resolved',
      (err: unknown) => (err as Error).message,
    );
  // @actions/core keeps the text of a failed write in its buffer: empty it, as a fresh process would be.
  const coreWrite = (text: string) => () =>
    core.summary
      .addRaw(text)
      .write()
      .finally(() => core.summary.emptyBuffer());

  // One test, in this order: @actions/core remembers the first summary path that worked.
  test('no variable, no file: the same errors; then the same appended bytes', async () => {
    delete process.env.GITHUB_STEP_SUMMARY;
    const unset = await rejection(() => runner.appendSummary('x'));
    expect(unset).toBe(await rejection(coreWrite('x')));
    expect(unset).toContain('$GITHUB_STEP_SUMMARY');

    process.env.GITHUB_STEP_SUMMARY = join(dir, 'missing', 'summary.md');
    const missing = await rejection(() => runner.appendSummary('x'));
    expect(missing).toBe(await rejection(coreWrite('x')));
    expect(missing).toContain('Unable to access summary file');
    expect(existsSync(join(dir, 'missing'))).toBe(false);

    const write = async (who: string, append: (text: string) => Promise<unknown>) => {
      const file = join(dir, `${who}.md`);
      writeFileSync(file, '# kept\n');
      process.env.GITHUB_STEP_SUMMARY = file;
      for (const text of ['## push\n\n| a | b |\n|---|---|\n', 'ünïcødé ✔\r\n', '', 'no newline']) await append(text);
      return readFileSync(file, 'utf8');
    };
    const ours = await write('ours', (t) => runner.appendSummary(t));
    expect(ours).toBe(await write('core', (t) => coreWrite(t)()));
    expect(ours).toBe('# kept\n## push\n\n| a | b |\n|---|---|\nünïcødé ✔\r\nno newline');
  });
});

describe("hostile values: the runner finds only the commands meant (a port of the runner's parser)", () => {
  test.each(HOSTILE_STRINGS.map((h) => [h]))('%j as every argument', (h) => {
    delete process.env.GITHUB_OUTPUT;
    delete process.env.GITHUB_STATE;
    const { stdout, exitCode } = captured(() => {
      runner.info(inert(h));
      runner.debug(h);
      runner.setSecret(h);
      runner.startGroup(inert(h));
      runner.info(`  ${inert(h)}`);
      runner.endGroup();
      runner.notice(h, { title: h });
      runner.warning(h, { file: h, startLine: 1, startColumn: 2 });
      runner.error(h, { title: h, file: h, startLine: 3, endLine: 4, startColumn: 5, endColumn: 6 });
      runner.setOutput('rev', h);
      runner.saveState('executionArn', h);
      runner.setFailed(h);
    });
    expect(exitCode).toBe(1);
    expect(runnerCommands(stdout).map(({ name, properties, data }) => ({ name, properties, data }))).toEqual([
      { name: 'debug', properties: {}, data: h },
      { name: 'add-mask', properties: {}, data: h },
      { name: 'group', properties: {}, data: inert(h) },
      { name: 'endgroup', properties: {}, data: '' },
      { name: 'notice', properties: { title: h }, data: h },
      { name: 'warning', properties: { file: h, line: '1', col: '2' }, data: h },
      { name: 'error', properties: { title: h, file: h, line: '3', endLine: '4', col: '5', endColumn: '6' }, data: h },
      { name: 'set-output', properties: { name: 'rev' }, data: h },
      { name: 'save-state', properties: { name: 'executionArn' }, data: h },
      { name: 'error', properties: {}, data: h },
    ]);
  });
});

describe('what an action start loads', () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    );
  const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

  // @actions/core's index imports its OIDC client, and with it @actions/http-client and undici; @actions/github
  // is octokit over the same. Loaded statically they are compiled and run at every start, used or not.
  test('no module of src/ imports @actions/core, and @actions/github only when it is used (import(), or types)', () => {
    const found = sources(SRC).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => /from '@actions\/core'|^import (?!type )[^;]*from '@actions\/github'/.test(line))
        .map((line) => `${file}: ${line}`),
    );
    expect(found).toEqual([]);
    const lazy = sources(SRC).filter((file) => readFileSync(file, 'utf8').includes("import('@actions/github')"));
    expect(lazy.map((f) => f.slice(SRC.length + 1)).sort()).toEqual(['deploy/github-deployment.ts', 'github/compare-commits.ts']);
  });
});
