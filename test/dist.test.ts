/**
 * dist/ is committed (actions run it without node_modules); it must be exactly what a fresh build of
 * the sources gives. Rebuild with `npm run build` and commit dist/ when this fails.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DIST_DIR, QUIET_SDK_NODE_WARNING, REPO_ROOT, runAction } from '../local-cloud/run-action.js';
import { type DeployWorld, startDeployWorld } from './support/deploy-scenarios.js';
import { dryRunPush } from './support/dry-run-push.js';
import { makeSampleProject } from './support/sample-project.js';

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });

test('dist/ matches a fresh build of src/', () => {
  const out = mkdtempSync(join(tmpdir(), 'dist-check-'));
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs'), out], { cwd: REPO_ROOT, stdio: 'inherit' });
  const built = files(out)
    .map((f) => relative(out, f))
    .sort();
  const committed = files(join(REPO_ROOT, 'dist'))
    .map((f) => relative(join(REPO_ROOT, 'dist'), f))
    .sort();
  expect(committed).toEqual(built);
  const differing = built.filter((f) => !readFileSync(join(out, f)).equals(readFileSync(join(REPO_ROOT, 'dist', f))));
  expect(differing).toEqual([]);
  // The build (ncc, then terser on every file) takes ~40 CPU-seconds, 25–40 s on a quiet 2-core
  // machine, and minutes when a second suite shares it.
}, 600_000);

/** A header name every SDK client sends: its presence marks SDK code in minified files. */
const SDK_CLIENT_MARK = 'amz-sdk-invocation-id';

/**
 * Each entry prints its first line before it loads the rest (src/<action>/index.ts): the bundler puts
 * run.js and everything it imports (the AWS SDK is most of it) in chunks beside index.js, which the
 * entry loads by a relative import() after the line. So index.js must stay small, hold no SDK code,
 * and have its chunks beside it (a chunk left out of dist/ would fail only after the first line).
 */
describe.each(['push', 'deploy', 'deploy-cleanup'])('dist/%s: the first line comes before the heavy code', (entry) => {
  const dir = join(DIST_DIR, entry);

  test('index.js is small, holds no AWS SDK, and every chunk it names is beside it', () => {
    const index = readFileSync(join(dir, 'index.js'), 'utf8');
    expect(index.length).toBeLessThan(100_000);
    expect(index).not.toMatch(/@aws-sdk|@smithy/);
    // Minified code names no package paths: look for what the SDK's code says instead.
    expect(index).not.toContain(SDK_CLIENT_MARK);
    const chunks = readdirSync(dir).filter((f) => /^\d+\.index\.js$/.test(f));
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks) expect(statSync(join(dir, chunk)).size).toBeGreaterThan(0);
    expect(chunks.some((chunk) => readFileSync(join(dir, chunk), 'utf8').includes(SDK_CLIENT_MARK))).toBe(true);
  });

  test('is CommonJS, so Node starts no ES module loader for it: its package.json says so, and chunks are required', () => {
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(dir, file), 'utf8');
      // Minified ES module syntax at the start of a statement: none in a CommonJS file.
      expect({
        file,
        esm: /(^|[;}])\s*(import\s*[{*\w]|export\s*(?:[{*]|const\b|let\b|var\b|function\b|class\b|default\b)|import\.meta)/.test(code),
      }).toEqual({ file, esm: false });
    }
    expect(readFileSync(join(dir, 'index.js'), 'utf8')).toMatch(/require\("\.\/"\+/);
  });

  /**
   * scripts/build.mjs maps the packages whose "exports" put "node" (CommonJS) before "import" to their
   * ES builds, and stops if any SDK CommonJS build is bundled. @smithy/core's CommonJS submodules come
   * whole, its RPCv2 CBOR protocol among them, which no client of these actions speaks: its media type
   * in a chunk means the CommonJS build is back.
   */
  test('holds the SDK’s ES builds: none of the CBOR protocol that @smithy/core’s CommonJS build brings', () => {
    const chunks = readdirSync(dir).filter((f) => f.endsWith('.js'));
    expect(chunks.filter((chunk) => readFileSync(join(dir, chunk), 'utf8').includes('application/cbor'))).toEqual([]);
  });

  test('its first line on stdout is the action’s own, before anything else', async () => {
    const env: Record<string, string> = { ...QUIET_SDK_NODE_WARNING, PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
    const child = spawn(process.execPath, [join(dir, 'index.js')], { env, cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    const first = await new Promise<string>((resolve) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
      });
      child.on('close', () => resolve(out.split('\n')[0] ?? ''));
    });
    child.kill();
    expect(first).toMatch(/^ion-actions (push|deploy) /);
  }, 60_000);
});

/**
 * The built push keeps V8's compiled code of its chunks on the runner (src/github/compiled-code-cache.ts),
 * beside its jar facts: a dry run without credentials, three times on one RUNNER_TOOL_CACHE.
 */
test('the built push keeps its compiled code on the runner: the next run uses it; a file others can write is refused, with a warning, and replaced', async () => {
  const project = makeSampleProject();
  const toolCache = mkdtempSync(join(tmpdir(), 'tool-cache-'));
  const dryRun = () => dryRunPush(project.dir, 'src:resources', { RUNNER_TOOL_CACHE: toolCache, RUNNER_DEBUG: '1' });
  const used = (r: { stdout: string }) =>
    /::debug::Compiled code: (\d+) of (\d+) chunks from the cache/.exec(r.stdout)?.slice(1).map(Number);
  const cacheDir = join(toolCache, 'ion-actions', 'compiled-code');

  const first = await dryRun();
  expect(first.exitCode).toBe(0);
  const [none, chunks] = used(first) ?? [];
  expect(none).toBe(0);
  expect(chunks).toBeGreaterThan(0);
  const stored = readdirSync(cacheDir);
  expect(stored).toHaveLength(chunks!);
  for (const f of stored) {
    expect(f).toMatch(/^push-\d+\.index\.js\.v8$/);
    expect(statSync(join(cacheDir, f)).mode & 0o777).toBe(0o600);
  }
  expect(statSync(cacheDir).mode & 0o777).toBe(0o700);

  const second = await dryRun();
  expect(second.exitCode).toBe(0);
  expect(used(second)).toEqual([chunks, chunks]);
  expect(second.outputs).toEqual(first.outputs);
  expect(second.annotations).toEqual(first.annotations);

  chmodSync(join(cacheDir, stored[0]!), 0o666);
  const third = await dryRun();
  expect(third.exitCode).toBe(0);
  expect(used(third)).toEqual([chunks! - 1, chunks]);
  expect(third.annotations).toEqual([
    ...first.annotations,
    expect.stringMatching(/^::warning::Ignored the compiled code cache .*push-\d+\.index\.js\.v8: writable by other users\./),
  ]);
  expect(third.outputs).toEqual(first.outputs);
  expect(statSync(join(cacheDir, stored[0]!)).mode & 0o777).toBe(0o600);
}, 120_000);

/**
 * The bundle holds the SDK's ES builds, so its credential providers other than the environment's (a
 * shared config profile, a container endpoint, …) are chunks loaded only when the chain reaches them.
 * The other tests give credentials in the environment: here the built deploy finds them elsewhere.
 */
describe('credentials found by the lazily loaded providers of the built actions', () => {
  let world: DeployWorld;
  beforeAll(async () => {
    world = await startDeployWorld({ scale: 50 });
  });
  afterAll(async () => {
    await world?.close();
  });

  /** world.env() without the keys, and a HOME of its own (no ~/.aws of the machine's). */
  const envWithout = (extra: Record<string, string>): Record<string, string | undefined> => ({
    ...world.env(),
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    HOME: mkdtempSync(join(tmpdir(), 'home-')),
    ...extra,
  });

  test('from a profile in a shared credentials file', async () => {
    world.reset();
    world.scenario = { instances: 1 };
    const dir = mkdtempSync(join(tmpdir(), 'aws-config-'));
    writeFileSync(join(dir, 'credentials'), '[ci]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n');
    writeFileSync(join(dir, 'config'), '[profile ci]\nregion = us-east-1\n');
    const env = envWithout({
      AWS_PROFILE: 'ci',
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_CONFIG_FILE: join(dir, 'config'),
    });
    const r = await runAction('deploy', world.inputs(), { env });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.outputs.status).toBe('SUCCEEDED');
  }, 120_000);

  test('from a container credentials endpoint', async () => {
    world.reset();
    world.scenario = { instances: 1 };
    let asked = 0;
    const server = createServer((_req, res) => {
      asked++;
      const expiration = new Date(Date.now() + 3_600_000).toISOString();
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ AccessKeyId: 'S3RVER', SecretAccessKey: 'S3RVER', Token: 'session', Expiration: expiration }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const env = envWithout({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${port}/credentials` });
      const r = await runAction('deploy', world.inputs(), { env });
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      expect(r.outputs.status).toBe('SUCCEEDED');
      expect(asked).toBeGreaterThan(0);
    } finally {
      server.close();
    }
  }, 120_000);
});
