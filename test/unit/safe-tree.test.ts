import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  isSystemPath,
  isWithin,
  NotARegularFileError,
  openRegularFile,
  readRegularFile,
  resolveWithin,
  walkTree,
} from '../../src/core/content/safe-tree.js';

let scratch: string;
beforeAll(() => {
  scratch = realpathSync(mkdtempSync(join(tmpdir(), 'safe-tree-')));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let n = 0;
const fresh = (): string => {
  const dir = join(scratch, `t${n++}`);
  mkdirSync(join(dir, 'a', 'b'), { recursive: true });
  writeFileSync(join(dir, 'a', 'b', 'file.clj'), '(ns a.b.file)\n');
  return dir;
};

describe('containment', () => {
  test('isWithin compares path segments, not prefixes', () => {
    expect(isWithin('/repo', '/repo')).toBe(true);
    expect(isWithin('/repo', '/repo/a')).toBe(true);
    expect(isWithin('/repo', '/repository')).toBe(false);
    expect(isWithin('/repo', '/repo/../etc')).toBe(false);
    expect(isWithin('/repo', '/repo/..x')).toBe(true);
  });

  test('/proc, /sys and /dev are system paths wherever they are reached from', () => {
    for (const p of ['/proc', '/proc/self/environ', '/sys/kernel', '/dev/zero']) expect(isSystemPath(p)).toBe(true);
    for (const p of ['/processes', '/devices', '/home/dev']) expect(isSystemPath(p)).toBe(false);
  });

  test('resolveWithin names the link as written and where it leads', async () => {
    const dir = fresh();
    symlinkSync('/proc/self/environ', join(dir, 'env'));
    const r = await resolveWithin(join(dir, 'env'), dir);
    expect(r.unsafe).toMatchObject({ reason: 'system', path: join(dir, 'env') });
    expect(r.unsafe?.target).toMatch(/^\/proc\/self\/environ \(\/proc\/\d+\/environ\)$/);
  });
});

describe('walkTree', () => {
  test('lists directories and regular files, following links that stay inside the boundary, as real paths', async () => {
    const dir = fresh();
    symlinkSync('b', join(dir, 'a', 'b-link'));
    symlinkSync('b/file.clj', join(dir, 'a', 'file-link.clj'));
    const { entries, unsafe } = await walkTree(dir, dir);
    expect(unsafe).toEqual([]);
    const byName = Object.fromEntries(entries.map((e) => [e.name, e]));
    expect(Object.keys(byName).sort()).toEqual(['a/', 'a/b-link/', 'a/b-link/file.clj', 'a/b/', 'a/b/file.clj', 'a/file-link.clj']);
    expect(byName['a/file-link.clj']).toMatchObject({ kind: 'file', path: join(dir, 'a', 'b', 'file.clj'), size: 14 });
    expect(byName['a/b-link/file.clj']).toMatchObject({ path: join(dir, 'a', 'b', 'file.clj') });
  });

  test('reports every unsafe path at once and reads none of them', async () => {
    const dir = fresh();
    const outside = fresh();
    symlinkSync(outside, join(dir, 'out-dir'));
    symlinkSync('/dev/zero', join(dir, 'a', 'zero'));
    symlinkSync('/proc/self/environ', join(dir, 'a', 'b', 'env'));
    symlinkSync('nowhere', join(dir, 'dangling'));
    symlinkSync('..', join(dir, 'a', 'up'));
    execFileSync('mkfifo', [join(dir, 'a', 'fifo')]);
    const { unsafe } = await walkTree(dir, dir);
    expect(unsafe.map((u) => [u.name, u.reason]).sort()).toEqual([
      ['a/b/env', 'system'],
      ['a/fifo', 'special'],
      ['a/up', 'loop'],
      ['a/zero', 'system'],
      ['dangling', 'dangling'],
      ['out-dir', 'outside'],
    ]);
  });
});

describe('openRegularFile', () => {
  test('refuses a FIFO at once instead of waiting for a writer', async () => {
    const dir = fresh();
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    await expect(openRegularFile(join(dir, 'fifo'))).rejects.toThrow(NotARegularFileError);
    await expect(openRegularFile(join(dir, 'fifo'))).rejects.toThrow(/is a FIFO/);
  });

  test('refuses a device, and a final symbolic link unless told to follow it', async () => {
    await expect(openRegularFile('/dev/zero', { followLink: true })).rejects.toThrow(/is a character device/);
    const dir = fresh();
    symlinkSync(join(dir, 'a', 'b', 'file.clj'), join(dir, 'link'));
    await expect(openRegularFile(join(dir, 'link'))).rejects.toThrow(/is a symbolic link/);
    const { handle } = await openRegularFile(join(dir, 'link'), { followLink: true });
    await handle.close();
  });

  test('readRegularFile stops at its cap and says so', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'big'), Buffer.alloc(5000, 'x'));
    const r = await readRegularFile(join(dir, 'big'), 100);
    expect(r.data.length).toBe(100);
    expect(r.truncated).toBe(true);
    expect((await readRegularFile(join(dir, 'big'), 5000)).truncated).toBe(false);
  });
});
