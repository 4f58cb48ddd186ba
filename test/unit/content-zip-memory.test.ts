/**
 * Memory stays flat whatever the tree: zipping a directory of 20,000 small files must not hold a
 * deflate stream (or the content) of every file at once. Before the streaming writer this peaked
 * at 4.4 GB; the bound below is generous (a whole node process with tsx starts near 100 MiB) and
 * says nothing about time. bench/push-scale.ts measures 100,000 files.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const FILES = 20_000;
const PEAK_RSS_BOUND_MIB = 400;

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'zip-memory-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test(`zipping ${FILES} small files peaks under ${PEAK_RSS_BOUND_MIB} MiB of RSS, and the zip holds them all`, () => {
  const dir = join(scratch, 'out');
  for (let i = 0; i < FILES; i++) {
    const sub = join(dir, `m${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `f${i}.js`), `goog.provide("app.m${i}");\n`.repeat(1 + (i % 40)));
  }
  // In a child process, so the peak is the zip's alone and not the test runner's.
  const script = join(scratch, 'zip.mts');
  writeFileSync(
    script,
    `import { zipDirectoryToFile } from ${JSON.stringify(resolve('src/core/content/deterministic-zip.ts'))};\n` +
      `import yauzl from ${JSON.stringify(resolve('node_modules/yauzl/index.js'))};\n` +
      `const out = ${JSON.stringify(join(scratch, 'out.zip'))};\n` +
      `const { size } = await zipDirectoryToFile(${JSON.stringify(dir)}, out);\n` +
      `const peak = process.resourceUsage().maxRSS / 1024;\n` +
      `const zip = await yauzl.openPromise(out, { lazyEntries: false });\n` +
      `console.log(JSON.stringify({ size, peak, entries: zip.entryCount }));\n` +
      `zip.close();\n`,
  );
  const out = execFileSync(process.execPath, [resolve('node_modules/tsx/dist/cli.mjs'), script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const r = JSON.parse(out.trim().split('\n').pop()!) as { size: number; peak: number; entries: number };
  expect(r.entries).toBe(FILES + FILES / 100);
  expect(r.peak).toBeLessThan(PEAK_RSS_BOUND_MIB);
}, 600_000);
