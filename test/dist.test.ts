/**
 * dist/ is committed (actions run it without node_modules); it must be exactly what a fresh build of
 * the sources gives. Rebuild with `npm run build` and commit dist/ when this fails.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../local-cloud/run-action.js';

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
