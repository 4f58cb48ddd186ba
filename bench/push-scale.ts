/**
 * npm run bench:push-scale — push's pack phase on one classpath directory of many small files
 * (compiled ClojureScript, `public/` assets): wall time and peak RSS, each size in its own process
 * so the peaks do not mix.
 *
 *   tsx bench/push-scale.ts [files...]        default: 20000 100000
 *
 * Each run classifies the directory (the safety walk of classpath-entries.ts) and packs it
 * (pack-entries.ts: deterministic zip streamed to a temporary file, hashed on the way), as push
 * does. Prints a table; asserts nothing (speed is measured, not asserted). Trees are kept under
 * .bench/push-scale between runs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../local-cloud/run-action.js';

const root = resolve(REPO_ROOT, '.bench', 'push-scale');

/** A tree like compiled ClojureScript: 100 files a directory, 200 B–4 KB of text each. */
function makeTree(files: number): string {
  const dir = join(root, `tree-${files}`, 'out');
  if (existsSync(join(dir, '.complete'))) return dir;
  for (let i = 0; i < files; i++) {
    const sub = join(dir, `m${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(sub, { recursive: true });
    const size = 200 + ((i * 7919) % 3900);
    const line = `goog.provide("app.m${i}"); var x${i} = function(a){ return a + ${i}; };\n`;
    writeFileSync(join(sub, `f${i}.js`), line.repeat(Math.ceil(size / line.length)).slice(0, size));
  }
  writeFileSync(join(dir, '.complete'), '');
  return dir;
}

/** Runs in a child: classify + pack one directory, print JSON with times and peak RSS. */
async function child(dir: string): Promise<void> {
  const { classifyClasspath } = await import('../src/core/push/classpath-entries.js');
  const { packEntries, disposePacked } = await import('../src/core/push/pack-entries.js');
  const ctx = { projectDir: dir, repoRoot: resolve(dir, '..'), mavenRepo: '/nonexistent', gitlibs: '/nonexistent' };
  const t0 = performance.now();
  const entries = await classifyClasspath(dir, ctx, []);
  const t1 = performance.now();
  const packed = await packEntries(entries, 'ions', () => {});
  const t2 = performance.now();
  disposePacked(packed);
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify({
      classifyMs: Math.round(t1 - t0),
      packMs: Math.round(t2 - t1),
      zipBytes: packed[0]!.entry.size,
      peakRssMiB: Math.round(rssMiB),
    }),
  );
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]!);
} else {
  const sizes = process.argv.slice(2).map(Number);
  const rows: string[] = [];
  for (const files of sizes.length ? sizes : [20_000, 100_000]) {
    const dir = makeTree(files);
    const baseline = JSON.parse(
      execFileSync(
        process.execPath,
        [
          join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'),
          '-e',
          'console.log(JSON.stringify({ rss: process.resourceUsage().maxRSS / 1024 }))',
        ],
        { encoding: 'utf8' },
      ),
    );
    const out = execFileSync(
      process.execPath,
      [join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), join(REPO_ROOT, 'bench/push-scale.ts'), '--child', dir],
      { encoding: 'utf8' },
    );
    const r = JSON.parse(out.trim().split('\n').pop()!);
    rows.push(
      `${String(files).padStart(8)} files  classify ${String(r.classifyMs).padStart(6)} ms  zip+hash ${String(r.packMs).padStart(7)} ms  zip ${(r.zipBytes / 1024 / 1024).toFixed(1).padStart(6)} MiB  peak RSS ${String(r.peakRssMiB).padStart(4)} MiB (node+tsx alone: ${Math.round(baseline.rss)} MiB)`,
    );
    console.log(rows.at(-1));
  }
}
