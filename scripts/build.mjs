// Bundles each action entry with @vercel/ncc into dist/<entry>/index.js (committed; CI checks it).
// ncc only transpiles (--transpile-only; src/tsconfig.json says why): npm test's tsc --noEmit type-checks src, tests and all.
// Usage: node scripts/build.mjs [outDir]   (outDir defaults to dist; the dist test builds elsewhere)
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const ENTRIES = ['push', 'deploy', 'deploy-cleanup'];
const outDir = process.argv[2] ?? 'dist';
const ncc = join('node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

for (const entry of ENTRIES) {
  const src = join('src', entry, 'index.ts');
  if (!existsSync(src)) continue;
  const out = join(outDir, entry);
  rmSync(out, { recursive: true, force: true });
  execFileSync(process.execPath, [ncc, 'build', src, '-o', out, '--license', 'licenses.txt', '--quiet', '--transpile-only'], {
    stdio: 'inherit',
  });
}
