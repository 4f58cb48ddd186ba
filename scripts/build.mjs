// Bundles each action entry with @vercel/ncc into dist/<entry>/index.js (committed; CI checks it).
// ncc only transpiles (transpileOnly; src/tsconfig.json says why): npm test's tsc --noEmit type-checks src, tests and all.
// Usage: node scripts/build.mjs [outDir]   (outDir defaults to dist; the dist test builds elsewhere)
//
// One process builds all entries through ncc's JavaScript API and writes its result the way `ncc build
// <entry> -o <out> --license licenses.txt --quiet --transpile-only` does (index.js, then each asset and
// symlink; no source map is asked for), so the files are byte for byte what that command gives. One
// process instead of one per entry loads webpack and TypeScript once, and webpack's on-disk cache is off:
// TypeScript modules are never cached (ncc marks them uncacheable), so on this project a warm cache saved
// nothing while writing it cost CPU and ~100 MB under ~/.cache/ncc. Measured on a busy 2-core machine:
// three CLI runs ~32 CPU-seconds, this ~19.
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

export const ENTRIES = ['push', 'deploy', 'deploy-cleanup'];
const outDir = process.argv[2] ?? 'dist';
const ncc = createRequire(import.meta.url)('@vercel/ncc');
/** What ncc's CLI checks to make index.js executable. */
const SHEBANG = /^#![^\n\r]*[\r\n]/;

for (const entry of ENTRIES) {
  const src = join('src', entry, 'index.ts');
  if (!existsSync(src)) continue;
  const out = join(outDir, entry);
  rmSync(out, { recursive: true, force: true });
  // Entries one after another: ncc passes options to its loaders through process.env.
  const { code, map, assets, symlinks } = await ncc(resolve(src), {
    license: 'licenses.txt',
    quiet: true,
    transpileOnly: true,
    cache: false,
  }).catch((err) => {
    // Printed as the CLI prints it: left uncaught, Node would first print the minified line it came from (megabytes).
    console.error(`Building ${src} failed:`, err);
    process.exit(1);
  });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'index.js'), code, { mode: SHEBANG.test(code) ? 0o777 : 0o666 });
  if (map) writeFileSync(join(out, 'index.js.map'), map);
  for (const [name, asset] of Object.entries(assets)) {
    mkdirSync(dirname(join(out, name)), { recursive: true });
    writeFileSync(join(out, name), asset.source, { mode: asset.permissions });
  }
  for (const [name, target] of Object.entries(symlinks)) symlinkSync(target, join(out, name));
}
