import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, sep } from 'node:path';
import {
  childPath,
  isPlainAbsolute,
  isSystemPath,
  isWithin,
  NotARegularFileError,
  openRegularFile,
  findPathSync,
  judgeFoundPath,
  readRegularFile,
  readRegularFileSync,
  resolveWithin,
  resolveWithinSync,
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

describe('childPath', () => {
  test("gives path.join's answer, by concatenation where that is the same string", () => {
    const dirs = ['/', '/repo', '/repo/a', '/repo/a/', '/repo//a', '/repo/./a', '/repo/../a', 'rel/a', '', '/a b/c\nd', '/m2/.hidden'];
    const names = ['x', 'x.clj', '.x', '..x', 'a b', '', '.', '..', 'a/b', '/abs', '~', 'ü'];
    for (const dir of dirs)
      for (const name of names) expect({ dir, name, path: childPath(dir, name) }).toEqual({ dir, name, path: join(dir, name) });
  });
});

describe('containment', () => {
  test('isWithin compares path segments, not prefixes', () => {
    expect(isWithin('/repo', '/repo')).toBe(true);
    expect(isWithin('/repo', '/repo/a')).toBe(true);
    expect(isWithin('/repo', '/repository')).toBe(false);
    expect(isWithin('/repo', '/repo/../etc')).toBe(false);
    expect(isWithin('/repo', '/repo/..x')).toBe(true);
  });

  test('isWithin compares plain absolute paths as strings, with the answer path.relative gives', () => {
    const byRelative = (parent: string, child: string): boolean => {
      if (child === parent) return true;
      const rel = relative(parent, child);
      return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
    };
    const paths = [
      '/',
      '/r',
      '/repo',
      '/repo/',
      '/repo/a',
      '/repo/a/b',
      '/repository',
      '/repo/..x',
      '/repo/../etc',
      '/repo/./a',
      '/repo//a',
      '/repo/.',
      'repo',
      'repo/a',
      '/proc',
      '/proc/self/environ',
      '/procx',
      '/re',
    ];
    for (const parent of paths)
      for (const child of paths) expect([parent, child, isWithin(parent, child)]).toEqual([parent, child, byRelative(parent, child)]);
    expect(isPlainAbsolute('/a/.hidden/b..c')).toBe(true);
    for (const p of ['/', '/a/', '/a//b', '/a/./b', '/a/../b', '/a/..', 'a/b']) expect(isPlainAbsolute(p)).toBe(false);
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

/** A project directory `a` holding one path of every kind a check must judge: a file, a directory, links inside (absolute, relative), out, to /proc, dangling, a loop, a FIFO, and a missing path. */
function everyKindOfPath(): { a: string; paths: string[] } {
  const dir = fresh();
  const a = join(dir, 'a');
  symlinkSync(join(a, 'b', 'file.clj'), join(a, 'inside'));
  symlinkSync('b/file.clj', join(a, 'relative'));
  symlinkSync(join(scratch), join(a, 'out'));
  symlinkSync('/proc/self/environ', join(a, 'environ'));
  symlinkSync(join(a, 'nothing'), join(a, 'dangling'));
  symlinkSync(join(a, 'loop'), join(a, 'loop'));
  execFileSync('mkfifo', [join(a, 'fifo')]);
  const paths = ['b/file.clj', 'b', 'inside', 'relative', 'out', 'environ', 'dangling', 'loop', 'fifo', 'missing'].map((p) => join(a, p));
  return { a, paths };
}

describe('resolveWithinSync', () => {
  test('answers as resolveWithin does: a file, links inside, out, to /proc, dangling, a loop, a FIFO, a missing path', async () => {
    const { a, paths } = everyKindOfPath();
    const plain = (r: Awaited<ReturnType<typeof resolveWithin>>) =>
      'missing' in r ? { missing: r.missing.code, unsafe: r.unsafe } : { real: r.real, ino: r.stats.ino, unsafe: r.unsafe };
    for (const path of paths) expect(plain(resolveWithinSync(path, a))).toEqual(plain(await resolveWithin(path, a)));
    // The cases cover every verdict (the comparison above is not vacuous).
    expect(paths.map((p) => resolveWithinSync(p, a).unsafe?.reason ?? ('missing' in resolveWithinSync(p, a) ? 'missing' : 'ok'))).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'outside',
      'system',
      'dangling',
      'dangling',
      'special',
      'missing',
    ]);
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

  test('without file stats: the same entries (names, kinds, real paths) and the same unsafe paths', async () => {
    const dir = fresh();
    const outside = fresh();
    symlinkSync('b', join(dir, 'a', 'b-link'));
    symlinkSync('b/file.clj', join(dir, 'a', 'file-link.clj'));
    symlinkSync(outside, join(dir, 'out-dir'));
    symlinkSync('/proc/self/environ', join(dir, 'a', 'env'));
    symlinkSync('..', join(dir, 'a', 'up'));
    execFileSync('mkfifo', [join(dir, 'a', 'fifo')]);
    writeFileSync(join(dir, 'a', 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    const shape = (r: Awaited<ReturnType<typeof walkTree>>) => ({
      entries: r.entries.map((e) => [e.kind, e.name, e.kind === 'file' ? e.path : '']).sort(),
      unsafe: r.unsafe.map((u) => JSON.stringify(u)).sort(),
    });
    const full = await walkTree(dir, dir);
    expect(shape(await walkTree(dir, dir, { fileStats: false }))).toEqual(shape(full));
    expect(shape(full).unsafe).toHaveLength(4);
    expect(full.entries.find((e) => e.name === 'a/run.sh')).toMatchObject({ size: 10, executable: true });
  });
});

describe('findPathSync + judgeFoundPath (classifying in two steps)', () => {
  test('answer as resolveWithinSync does for every verdict; a path that cannot be resolved is undefined', () => {
    const { a, paths } = everyKindOfPath();
    for (const path of paths) {
      const long = resolveWithinSync(path, a);
      const found = findPathSync(path);
      if ('missing' in long) {
        expect(found).toBeUndefined();
        continue;
      }
      const r = judgeFoundPath(path, a, found!);
      expect('real' in r && { real: r.real, ino: r.stats.ino, unsafe: r.unsafe }).toEqual({
        real: long.real,
        ino: long.stats.ino,
        unsafe: long.unsafe,
      });
    }
  });

  test('with directories resolved once for many paths (RealDirs), every answer is the one realpath(3) gives', () => {
    const dir = fresh();
    const repo = join(dir, 'm2', 'repository');
    mkdirSync(join(repo, 'org', 'x', '1.0'), { recursive: true });
    mkdirSync(join(dir, 'elsewhere', 'y', '2.0'), { recursive: true });
    writeFileSync(join(repo, 'org', 'x', '1.0', 'x.jar'), 'x');
    writeFileSync(join(dir, 'elsewhere', 'y', '2.0', 'y.jar'), 'y');
    symlinkSync(join(dir, 'elsewhere', 'y'), join(repo, 'org', 'y')); // a directory link, absolute
    symlinkSync('x', join(repo, 'org', 'x-again')); // relative
    symlinkSync(join(repo, 'org', 'x-again'), join(repo, 'org', 'chain')); // a link to a link
    symlinkSync('1.0/x.jar', join(repo, 'org', 'x', 'latest.jar')); // the final component a link
    symlinkSync(join(dir, 'nothing'), join(repo, 'org', 'gone')); // dangling
    symlinkSync(join(repo, 'org', 'loop'), join(repo, 'org', 'loop'));
    symlinkSync(repo, join(dir, 'm2-link')); // the repository itself through a link
    const paths = [
      'm2/repository/org/x/1.0/x.jar',
      'm2/repository/org/x/1.0',
      'm2/repository/org/y/2.0/y.jar',
      'm2/repository/org/x-again/1.0/x.jar',
      'm2/repository/org/chain/1.0/x.jar',
      'm2/repository/org/x/latest.jar',
      'm2/repository/org/gone/1.0/x.jar',
      'm2/repository/org/loop/x.jar',
      'm2/repository/org/x/1.0/x.jar/inside',
      'm2-link/org/x/1.0/x.jar',
      'm2-link/org/y/2.0/y.jar',
      'm2/repository/org/missing.jar',
    ].map((p) => join(dir, p));
    const realDirs = new Map<string, string>();
    // Twice over: the second time every directory comes from the map.
    for (const path of [...paths, ...paths]) {
      const long = findPathSync(path);
      const found = findPathSync(path, realDirs);
      expect(found && { real: found.real, ino: found.stats.ino, said: found.said }).toEqual(
        long && { real: long.real, ino: long.stats.ino, said: long.said },
      );
      if (long) expect(found!.real).toBe(realpathSync.native(path));
    }
    expect(paths.map((p) => findPathSync(p, realDirs) !== undefined)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      true,
      true,
      false,
    ]);
  });
});

describe('readRegularFileSync', () => {
  test('reads as readRegularFile does: the bytes, the cap, and refuses a FIFO, a device and a final link unless told to follow it', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'big'), Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251)));
    for (const cap of [0, 100, 4999, 5000, 1 << 20]) {
      expect(readRegularFileSync(join(dir, 'big'), cap)).toEqual(await readRegularFile(join(dir, 'big'), cap));
    }
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    expect(() => readRegularFileSync(join(dir, 'fifo'), 100)).toThrow(/is a FIFO/);
    expect(() => readRegularFileSync('/dev/zero', 100, { followLink: true })).toThrow(/is a character device/);
    symlinkSync(join(dir, 'big'), join(dir, 'link'));
    expect(() => readRegularFileSync(join(dir, 'link'), 100)).toThrow(/is a symbolic link/);
    expect(readRegularFileSync(join(dir, 'link'), 100, { followLink: true }).data.length).toBe(100);
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
