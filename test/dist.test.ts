/**
 * dist/ is committed (actions run it without node_modules); it must be exactly what a fresh build of
 * the sources gives. Rebuild with `npm run build` and commit dist/ when this fails.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DIST_DIR, QUIET_SDK_NODE_WARNING, REPO_ROOT } from '../local-cloud/run-action.js';

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
}, 300_000);

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
    const chunks = readdirSync(dir).filter((f) => /^\d+\.index\.js$/.test(f));
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks) expect(statSync(join(dir, chunk)).size).toBeGreaterThan(0);
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
