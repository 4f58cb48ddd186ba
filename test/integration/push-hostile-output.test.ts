/**
 * Text from outside cannot become a workflow command: the BUILT push action, fed hostile strings
 * (test/support/runner-commands.ts) through every path that prints outside text — classpath
 * directory names, missing classpath entries (beyond the tenth warning), the working directory,
 * ion-config values, file names git reports, AWS error messages from the local CodeDeploy and S3 —
 * and its stdout read with a port of the runner's command parser: only the commands push meant, and
 * never more than 10 error annotations, the last being push's own closing error.
 */
import { chmodSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { AwsServiceError } from '../../local-cloud/aws-json-server.js';
import { STAND_IN_BIN } from '../../local-cloud/clojure-stand-in.js';
import { runAction, type ActionResult } from '../../local-cloud/run-action.js';
import { startS3Server, type S3Server } from '../../local-cloud/s3-server.js';
import { startFakeCodeDeployRevisions, type FakeCodeDeployRevisions } from '../support/fake-codedeploy-revisions.js';
import { HOSTILE_STRINGS, runnerCommands, type RunnerCommand } from '../support/runner-commands.js';
import { startS3Proxy } from '../support/s3-proxy.js';
import { inertMessage } from '../../src/github/annotations.js';
import { makeSampleProject } from '../support/sample-project.js';

const BUCKET = 'ion-code';
let s3: S3Server;
let codedeploy: FakeCodeDeployRevisions;

beforeAll(async () => {
  [s3, codedeploy] = await Promise.all([startS3Server(), startFakeCodeDeployRevisions({ 'sample-app': ['sample-prod'] })]);
  await s3.createBucket(BUCKET);
});

afterAll(async () => {
  await Promise.all([s3?.close(), codedeploy?.close()]);
});

const env = (over: Record<string, string | undefined> = {}) => ({
  AWS_ENDPOINT_URL_S3: s3.endpoint,
  AWS_ENDPOINT_URL_CODEDEPLOY: codedeploy.url,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_EC2_METADATA_DISABLED: 'true',
  PATH: `${STAND_IN_BIN}${delimiter}${process.env.PATH}`,
  ...over,
});

const push = (dir: string, inputs: Record<string, string>, over: Record<string, string | undefined> = {}): Promise<ActionResult> =>
  runAction('push', { bucket: BUCKET, 'working-directory': '.', ...inputs }, { cwd: dir, env: env({ GITHUB_WORKSPACE: dir, ...over }) });

/** Each test runs the action one or more times; under CPU contention that can take minutes. */
const GENEROUS = 10 * 60_000;

/** Commands push itself prints; anything else the runner would find was forged by outside text. */
const MEANT = new Set(['group', 'endgroup', 'error', 'warning', 'notice']);
/** How the hostile strings' own commands begin (their data), so a forged one is recognised. */
const FORGED_DATA = /^(forged|fake group|evil|percent|hello|hush|secret|upper|x$)/;

/** The runner's view of the step: only push's commands, at most 10 errors, the closing one last when it failed. */
function expectOnlyMeantCommands(r: ActionResult, closing?: RegExp): RunnerCommand[] {
  const commands = runnerCommands(r.stdout);
  expect(commands.filter((c) => !MEANT.has(c.name.toLowerCase()))).toEqual([]);
  expect(commands.filter((c) => FORGED_DATA.test(c.data))).toEqual([]);
  const errors = commands.filter((c) => c.name === 'error');
  expect(errors.length).toBeLessThanOrEqual(10);
  if (closing) expect(errors.at(-1)?.data).toMatch(closing);
  return commands;
}

/** Hostile strings that can be one classpath entry (no path or classpath separator). */
const pathSafe = HOSTILE_STRINGS.filter((h) => !h.includes('/') && !h.includes(delimiter));

describe("push output stays the runner's, whatever the outside text", () => {
  test(
    'classpath directories and missing entries with hostile names (more than 10 warnings)',
    async () => {
      const files: Record<string, string> = {};
      pathSafe.forEach((h, i) => {
        files[`cp/${i}${h}/x${i}.txt`] = `${i}\n`;
      });
      const project = makeSampleProject(files);
      const classpath = [
        'src',
        'resources',
        ...pathSafe.map((h, i) => `cp/${i}${h}`),
        ...pathSafe.flatMap((h, i) => [`missing-${i}${h}`, `missing-${i}${h}-again`]),
      ].join(delimiter);
      const r = await push(project.dir, { classpath });
      if (r.exitCode !== 0) throw new Error(`push failed:\n${r.stdout}\n${r.stderr}`);
      const commands = expectOnlyMeantCommands(r);
      expect(commands.filter((c) => c.name === 'warning')).toHaveLength(10);
      expect(r.stdout).toMatch(/more warnings are in the log above only/);
      expect(r.stdout).toContain('res##\u200B[add-mask]hello'); // shown, not executed
    },
    GENEROUS,
  );

  test(
    'a hostile working directory',
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'hostile-wd-'));
      // One run, each hostile string a directory of the path (one action start instead of one per string):
      // a string that forged a command would show up as that command, stop-commands included, whatever follows it.
      const segments = HOSTILE_STRINGS.filter((s) => !s.includes('/')).map((h) => `app-${h}`);
      const r = await push(root, { 'working-directory': segments.join('/'), 'dry-run': 'true' });
      expect(r.exitCode).toBe(1);
      const errors = expectOnlyMeantCommands(r, /^No deps\.edn in /).filter((c) => c.name === 'error');
      // The closing error names the whole path, every hostile string in it, made inert.
      expect(errors.at(-1)!.data).toContain(inertMessage(join(root, ...segments)));
    },
    GENEROUS,
  );

  test(
    'a hostile RUNNER_TOOL_CACHE, in the compiled code cache’s debug line and its warning',
    async () => {
      // One directory whose path holds every hostile string (as for the working directory above).
      const toolCache = join(
        mkdtempSync(join(tmpdir(), 'hostile-tc-')),
        ...HOSTILE_STRINGS.filter((s) => !s.includes('/')).map((h) => `tc-${h}`),
      );
      const project = makeSampleProject();
      const over = { RUNNER_TOOL_CACHE: toolCache, RUNNER_DEBUG: '1' };
      const dryRun = () => push(project.dir, { classpath: 'src:resources', 'dry-run': 'true', bucket: '' }, over);
      expect((await dryRun()).exitCode).toBe(0);
      const cacheDir = join(toolCache, 'ion-actions', 'compiled-code');
      const [file] = readdirSync(cacheDir);
      chmodSync(join(cacheDir, file!), 0o666);
      const r = await dryRun();
      expect(r.exitCode).toBe(0);
      const commands = runnerCommands(r.stdout);
      expect(commands.filter((c) => !MEANT.has(c.name.toLowerCase()) && c.name !== 'debug')).toEqual([]);
      expect(commands.filter((c) => FORGED_DATA.test(c.data))).toEqual([]);
      // Both lines name the path, made inert (and shortened: it is long).
      const inertStart = inertMessage(cacheDir).slice(0, 60);
      expect(commands.filter((c) => c.name === 'debug').map((c) => c.data)).toContainEqual(
        expect.stringContaining(`chunks from the cache in ${inertStart}`),
      );
      expect(commands.filter((c) => c.name === 'warning').map((c) => c.data)).toContainEqual(
        expect.stringContaining(`Ignored the compiled code cache ${inertStart}`),
      );
    },
    GENEROUS,
  );

  test(
    'ion-config values: app name, lambda names and functions, allowed symbols, unknown keys (more than 10 errors)',
    async () => {
      const str = (h: string) => JSON.stringify(h);
      const config = [
        `{:app-name ${str(HOSTILE_STRINGS.join(' '))}`,
        ` :allow [${HOSTILE_STRINGS.map(str).join(' ')}]`,
        ` :lambdas {${HOSTILE_STRINGS.map((h) => `${str(h)} {:fn ${str(h)}}`).join(' ')}}`,
        ...HOSTILE_STRINGS.map((h) => ` ${str(h)} 1`),
        '}',
      ].join('\n');
      const project = makeSampleProject({ 'resources/datomic/ion-config.edn': config });
      const r = await push(project.dir, { classpath: 'src:resources' });
      expect(r.exitCode).toBe(1);
      const errors = expectOnlyMeantCommands(r, /^push found \d+ problems/).filter((c) => c.name === 'error');
      expect(errors).toHaveLength(10);
    },
    GENEROUS,
  );

  test(
    'file names git reports as uncommitted',
    async () => {
      const project = makeSampleProject();
      for (const h of pathSafe) for (const n of [1, 2]) writeFileSync(join(project.dir, `new-${n}-${h}`), 'x');
      const r = await push(project.dir, { classpath: 'src:resources' });
      expect(r.exitCode).toBe(1);
      const errors = expectOnlyMeantCommands(r, /^push found \d+ problems/).filter((c) => c.name === 'error');
      expect(errors.length).toBe(10);
      expect(errors[0]!.data).toMatch(/^Unreproducible push: uncommitted change/);
    },
    GENEROUS,
  );

  test(
    'error messages from CodeDeploy',
    async () => {
      const project = makeSampleProject();
      for (const message of [HOSTILE_STRINGS.join('\n'), HOSTILE_STRINGS.join(' ')]) {
        codedeploy.injectFault({ operation: 'GetApplication', count: 1, error: new AwsServiceError('ValidationException', message, 400) });
        const r = await push(project.dir, { classpath: 'src:resources' });
        expect(r.exitCode).toBe(1);
        expectOnlyMeantCommands(r, /^ValidationException \(HTTP 400\): /);
      }
    },
    GENEROUS,
  );

  // The SDK keeps only part of an error code around '#' and ':', so this mostly proves the S3 failure path prints inert text.
  test(
    'error messages from S3 (an error code naming a workflow command)',
    async () => {
      const project = makeSampleProject({ 'src/sample/hostile_s3.clj': `(ns sample.hostile-s3)\n(def n ${Date.now()})\n` });
      const proxy = await startS3Proxy(s3.endpoint, {
        fault: (method, path) =>
          method === 'PUT' && path.includes('/ions/objects/') ? { status: 400, code: 'Bad##[add-mask]hello' } : undefined,
      });
      try {
        const r = await push(project.dir, { classpath: 'src:resources' }, { AWS_ENDPOINT_URL_S3: proxy.url });
        expect(r.exitCode).toBe(1);
        expectOnlyMeantCommands(r, /^Could not upload/);
      } finally {
        await proxy.close();
      }
    },
    GENEROUS,
  );
});
