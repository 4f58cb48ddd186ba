/**
 * The compiled code cache (src/github/compiled-code-cache.ts) through Node's real CommonJS loader,
 * one Node process per run as the built actions use it: chunk files in a temporary directory,
 * required by a small harness that installs the cache first. (A process of its own per run: within
 * one process V8 finds a script it compiled before in its own memory and never looks at the cached
 * data; and under jest, node:module is jest's stand-in.) The tests try to make the loader run code
 * that is not the chunk's: a cache of other bytes of the same length (V8 itself compares only the
 * length), code V8 refuses, damaged and truncated files, files other users can write or own, a
 * symbolic link, a directory or a FIFO in the cache's place.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Script } from 'node:vm';
import ts from 'typescript';
import type { ChunkCodeState } from '../../src/github/compiled-code-cache.js';

let harnessDir: string;
let root: string;
let chunkDir: string;
let cacheDir: string;

beforeAll(() => {
  // The module and safe-tree.ts, which it reads files with, use node built-ins only: transpiled to
  // CommonJS where they are in src/, they run in a plain node.
  harnessDir = mkdtempSync(join(tmpdir(), 'compiled-code-harness-'));
  for (const module of ['github/compiled-code-cache', 'core/content/safe-tree']) {
    const { outputText } = ts.transpileModule(readFileSync(resolve(`src/${module}.ts`), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    mkdirSync(dirname(join(harnessDir, module)), { recursive: true });
    writeFileSync(join(harnessDir, `${module}.js`), outputText);
  }
  // Its own package.json: CommonJS whatever a directory above says.
  writeFileSync(join(harnessDir, 'package.json'), '{"type":"commonjs"}');
  writeFileSync(join(harnessDir, 'harness.js'), HARNESS);
});
afterAll(() => rmSync(harnessDir, { recursive: true, force: true }));

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'compiled-code-'));
  chunkDir = join(root, 'dist', 'push');
  cacheDir = join(root, 'tool-cache', 'compiled-code');
  mkdirSync(chunkDir, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Installs the cache, requires each file, calls what it exports, saves, and prints what happened. */
const HARNESS = `
const { installCompiledCodeCache } = require('./github/compiled-code-cache.js');
const [chunkDir, dir, ...files] = process.argv.slice(2);
const cache = installCompiledCodeCache({ dir, chunkDir, action: 'push' });
const results = files.map((file) => {
  try {
    const m = require(file);
    if (m.all) m.all();
    return { answer: m.answer ? m.answer() : undefined, where: m.where ? m.where() : undefined };
  } catch (e) {
    return { stack: String(e.stack) };
  }
});
const states = cache.states();
const problems = cache.save();
process.stdout.write(JSON.stringify({ results, states, problems }));
`;

interface Run {
  answer?: unknown;
  where?: string[];
  stack?: string;
  state?: ChunkCodeState;
  states: ChunkCodeState[];
  problems: string[];
}

/** One process: the cache installed, then `files` required (the first one's answer and state are the run's). */
function run(...files: string[]): Run {
  const r = spawnSync(process.execPath, [join(harnessDir, 'harness.js'), chunkDir, cacheDir, ...files], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`harness failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as {
    results: { answer?: unknown; where?: string[]; stack?: string }[];
    states: ChunkCodeState[];
    problems: string[];
  };
  return { ...out.results[0], state: out.states[0], states: out.states, problems: out.problems };
}

/** A chunk as ncc writes one: CommonJS, `exports.<…>`, requiring node built-ins only. */
const chunkSource = (answer: number, extra = '') =>
  `"use strict";exports.id=12;exports.answer=function(){return ${answer}};exports.where=function(){return [__filename,__dirname,require("node:path").basename(__filename)]};${extra}\n`;

function writeChunk(name: string, source: string): string {
  const file = join(chunkDir, name);
  writeFileSync(file, source);
  return file;
}

const cacheFile = (chunk = '12.index.js') => join(cacheDir, `push-${chunk}.v8`);

describe('the compiled code cache', () => {
  test('a first run compiles and stores the chunk private; the next run uses it, with the same behaviour', () => {
    const file = writeChunk('12.index.js', chunkSource(42));
    const first = run(file);
    expect(first).toMatchObject({ answer: 42, state: { chunk: '12.index.js', state: 'absent' }, problems: [] });
    expect(first.where).toEqual([file, chunkDir, '12.index.js']);
    expect(statSync(cacheFile()).mode & 0o777).toBe(0o600);
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700);

    const second = run(file);
    expect(second).toMatchObject({ answer: 42, state: { state: 'used' }, problems: [] });
    expect(second.where).toEqual([file, chunkDir, '12.index.js']);
  });

  test('stores every function the run compiled, not only the top-level code', () => {
    // Lazily compiled functions are only in code cached after they ran.
    const body = Array.from({ length: 200 }, (_, i) => `function f${i}(x){return x*${i}+${i}}`).join(';');
    const source = chunkSource(
      1,
      `${body};exports.all=function(){let s=0;${Array.from({ length: 200 }, (_, i) => `s+=f${i}(${i});`).join('')}return s};`,
    );
    const file = writeChunk('12.index.js', source);
    run(file);
    const stored = readFileSync(cacheFile()).length;
    const topLevelOnly = new Script(`(function (exports, require, module, __filename, __dirname) {\n${source}\n})`).createCachedData()
      .length;
    expect(stored).toBeGreaterThan(topLevelOnly + 5_000);
  });

  test('a cache of other bytes of the same length is not run: the chunk as it is now is', () => {
    const file = writeChunk('12.index.js', chunkSource(42));
    run(file);
    writeFileSync(file, chunkSource(43));
    const r = run(file);
    expect(r).toMatchObject({ answer: 43, state: { state: 'stale' } });
    // Replaced: the next run uses the new code.
    expect(run(file)).toMatchObject({ answer: 43, state: { state: 'used' } });
  });

  test('code V8 refuses (compiled for another source) is compiled afresh and replaced', () => {
    const file = writeChunk('12.index.js', chunkSource(42));
    run(file);
    // A well-formed file for this chunk whose data V8 compiled from a longer source: V8 rejects it.
    const stored = readFileSync(cacheFile());
    const header = stored.subarray(0, headerLength());
    const other = new Script(
      `(function (exports, require, module, __filename, __dirname) {\n${chunkSource(42, 'exports.more=1;')}\n})`,
    ).createCachedData();
    writeFileSync(cacheFile(), withChecksum(header, other), { mode: 0o600 });
    expect(run(file)).toMatchObject({ answer: 42, state: { state: 'stale', reason: expect.stringContaining('V8 refused') } });
    expect(run(file)).toMatchObject({ answer: 42, state: { state: 'used' } });
  });

  test.each([
    ['a flipped byte', (b: Buffer) => Buffer.from(b.map((x, i) => (i === b.length - 10 ? x ^ 0xff : x)))],
    ['truncated', (b: Buffer) => b.subarray(0, b.length - 100)],
    ['cut inside its header', (b: Buffer) => b.subarray(0, 20)],
    ['not a cache at all', () => Buffer.from('#!/bin/sh\necho hello\n')],
    ['empty', () => Buffer.alloc(0)],
  ])('a damaged file (%s) is refused, the chunk compiled afresh, and the file replaced', (_, damage) => {
    const file = writeChunk('12.index.js', chunkSource(42));
    run(file);
    writeFileSync(cacheFile(), damage(readFileSync(cacheFile())));
    const r = run(file);
    expect(r).toMatchObject({ answer: 42, state: { state: 'refused', reason: expect.stringContaining('damaged') } });
    expect(run(file)).toMatchObject({ answer: 42, state: { state: 'used' } });
  });

  test.each([
    ['0620', 0o620],
    ['0602', 0o602],
  ])('a file others can write (mode %s) is refused: another user could have put code there', (_, mode) => {
    const file = writeChunk('12.index.js', chunkSource(42));
    run(file);
    chmodSync(cacheFile(), mode);
    expect(run(file)).toMatchObject({ answer: 42, state: { state: 'refused', reason: 'writable by other users' } });
    expect(statSync(cacheFile()).mode & 0o777).toBe(0o600);
  });

  const root_ = typeof process.getuid === 'function' && process.getuid() === 0;
  (root_ ? test : test.skip)('a file another user owns is refused (needs root to make one)', () => {
    const file = writeChunk('12.index.js', chunkSource(42));
    run(file);
    chownSync(cacheFile(), 4242, 4242);
    expect(run(file)).toMatchObject({ answer: 42, state: { state: 'refused', reason: 'owned by another user (uid 4242)' } });
  });

  test('a symbolic link in the cache’s place is not followed, a directory not read, a FIFO not waited on', () => {
    const file = writeChunk('12.index.js', chunkSource(42));
    run(file);
    const real = join(root, 'elsewhere.v8');
    writeFileSync(real, readFileSync(cacheFile()), { mode: 0o600 });
    rmSync(cacheFile());
    symlinkSync(real, cacheFile());
    expect(run(file)).toMatchObject({ answer: 42, state: { state: 'refused', reason: 'a symbolic link, not a regular file' } });
    rmSync(cacheFile(), { force: true });
    mkdirSync(cacheFile());
    const r = run(file);
    expect(r).toMatchObject({ answer: 42, state: { state: 'refused', reason: 'a directory, not a regular file' } });
    // Not replaced: the rename cannot put a file over a directory.
    expect(r.problems).toEqual([expect.stringContaining('push-12.index.js.v8')]);
    rmSync(cacheFile(), { recursive: true });
    execFileSync('mkfifo', ['-m', '600', cacheFile()]);
    expect(run(file)).toMatchObject({ answer: 42, state: { state: 'refused', reason: 'a FIFO (named pipe), not a regular file' } });
  });

  test('nothing is stored in a directory others can write or another user owns', () => {
    const file = writeChunk('12.index.js', chunkSource(42));
    mkdirSync(cacheDir, { recursive: true });
    chmodSync(cacheDir, 0o777);
    expect(run(file).problems).toEqual([expect.stringContaining('writable by other users')]);
    expect(existsSync(cacheFile())).toBe(false);
    if (root_) {
      chmodSync(cacheDir, 0o700);
      chownSync(cacheDir, 4242, 4242);
      expect(run(file).problems).toEqual([expect.stringContaining('belongs to another user')]);
      expect(existsSync(cacheFile())).toBe(false);
    }
  });

  test('only the action’s chunks go through it: other files and other directories are compiled by Node as before', () => {
    const other = writeChunk('helper.js', 'exports.answer=function(){return 7};');
    const elsewhere = join(root, '13.index.js');
    writeFileSync(elsewhere, 'exports.answer=function(){return 8};');
    const r = run(other);
    expect(r).toMatchObject({ answer: 7, states: [], problems: [] });
    expect(run(elsewhere)).toMatchObject({ answer: 8, states: [], problems: [] });
    expect(existsSync(cacheDir)).toBe(false);
  });

  test('an error thrown by a chunk points where Node’s own compile points, cached or not', () => {
    const file = writeChunk('12.index.js', '"use strict";\nexports.id=12;\nexports.answer=function(){throw new Error("boom")};\n');
    const stackLine = (r: Run) => r.stack?.split('\n').find((l) => l.includes(file));
    // Node's own compile: the same file required from outside the chunk directory's cache.
    const plainDir = chunkDir;
    chunkDir = join(root, 'not-the-chunks');
    const plain = stackLine(run(file));
    chunkDir = plainDir;
    expect(plain).toContain(`${file}:3:`);
    const first = run(file);
    expect(first.state?.state).toBe('absent');
    expect(stackLine(first)).toBe(plain);
    const second = run(file);
    expect(second.state?.state).toBe('used');
    expect(stackLine(second)).toBe(plain);
  });
});

/** The header's length: the magic line and two SHA-256 digests. */
function headerLength(): number {
  return 'ion-actions compiled code 1\n'.length + 64;
}

/** `header` (magic and key) with the checksum replaced by `data`'s, then `data`. */
function withChecksum(header: Buffer, data: Buffer): Buffer {
  const magicAndKey = header.subarray(0, headerLength() - 32);
  const checksum = createHash('sha256').update(data).digest();
  return Buffer.concat([magicAndKey, checksum, data]);
}
