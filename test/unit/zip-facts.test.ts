/**
 * The zip facts cache: a classpath directory whose tree is unchanged since a push on this machine
 * (same names, sizes, execute bits and file identities: device, inode, modification and change
 * time) and whose zip the bucket's object index lists is neither read nor zipped again. These tests
 * try to make it give a stale zip: a rewrite with the same size and the old mtime put back, a touch,
 * a mode change, a new file, a rename; and check the facts file's rules (racy window, cap, old lines).
 */
import { createHash } from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClassifiedEntry } from '../../src/core/classpath/classify-entry.js';
import { readZipTree, writeZipTreeToFile, zipDirectoryToFile } from '../../src/core/content/deterministic-zip.js';
import { JAR_CACHE_HEADER, JarFactsCache, MAX_ZIP_FACTS, RACY_MS, resetProcessJarFacts } from '../../src/core/content/jar-cache.js';
import { objectKey } from '../../src/core/layout.js';
import { disposePacked, packEntries, writeSkippedZips } from '../../src/core/push/pack-entries.js';

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'zip-facts-')));
  resetProcessJarFacts();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A source directory with a few files, their times a minute back (out of the racy window). */
function sourceTree(): string {
  const src = join(root, 'src');
  mkdirSync(join(src, 'app'), { recursive: true });
  writeFileSync(join(src, 'app', 'core.clj'), '(ns app.core)\n(defn f [] 1)\n');
  writeFileSync(join(src, 'app', 'util.clj'), '(ns app.util)\n');
  writeFileSync(join(src, 'run.sh'), '#!/bin/sh\n');
  const past = new Date(Date.now() - 60_000);
  for (const f of ['app/core.clj', 'app/util.clj', 'run.sh']) utimesSync(join(src, f), past, past);
  return src;
}

const fingerprint = async (dir: string) => (await readZipTree(dir)).fingerprint;

describe('a tree fingerprint changes with anything that could change the zip', () => {
  test('the same tree gives the same fingerprint; each change gives another', async () => {
    const src = sourceTree();
    const seen = new Set([await fingerprint(src)]);
    expect(await fingerprint(src)).toBe([...seen][0]);
    const changed = async (what: string) => {
      const fp = await fingerprint(src);
      expect({ what, known: seen.has(fp) }).toEqual({ what, known: false });
      seen.add(fp);
    };
    const core = join(src, 'app', 'core.clj');
    const { atime, mtime } = statSync(core);
    // Same size, the modification time put back: only the change time (which no user can set) tells.
    writeFileSync(core, '(ns app.core)\n(defn f [] 2)\n');
    utimesSync(core, atime, mtime);
    await changed('rewritten, same size, mtime put back');
    utimesSync(core, new Date(), new Date());
    await changed('touched');
    chmodSync(join(src, 'app', 'util.clj'), 0o755);
    await changed('made executable');
    writeFileSync(join(src, 'app', 'new.clj'), '(ns app.new)\n');
    await changed('a new file');
    renameSync(join(src, 'app', 'new.clj'), join(src, 'app', 'newer.clj'));
    await changed('a rename');
    mkdirSync(join(src, 'empty'));
    await changed('a new empty directory');
  });

  test('the zip written from a read tree is the zip of the directory, byte for byte', async () => {
    const src = sourceTree();
    const a = join(root, 'a.zip');
    const b = join(root, 'b.zip');
    const direct = await zipDirectoryToFile(src, a);
    const viaTree = await writeZipTreeToFile(await readZipTree(src), b);
    expect(viaTree).toEqual(direct);
    expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
    expect(sha256(readFileSync(b))).toBe(direct.sha256);
  });
});

describe('packEntries with zip facts', () => {
  const entryFor = (path: string): ClassifiedEntry => ({ raw: path, path, origin: 'src', kind: 'project', packaging: 'dir' });

  test('an unchanged directory whose zip the bucket holds is not zipped; writeSkippedZips gives the same bytes', async () => {
    const src = sourceTree();
    const temp = join(root, 'temp');
    mkdirSync(temp);
    const notes: string[] = [];
    const first = await packEntries([entryFor(src)], 'ions', (n) => notes.push(n), { tempDir: temp });
    const zipped = first[0]!.object;
    disposePacked(first);

    const asked: string[] = [];
    const inBucket = (key: string, content: { sha256: string; size: number }) => {
      asked.push(key);
      return content.sha256 === zipped.sha256;
    };
    const second = await packEntries([entryFor(src)], 'ions', (n) => notes.push(n), { tempDir: temp, inBucket });
    expect(asked).toEqual([objectKey('ions', zipped.sha256, 'dir')]);
    expect(second[0]!.entry).toEqual(first[0]!.entry);
    expect(readdirSync(temp)).toEqual([]); // nothing written
    expect(notes[2]).toMatch(/^Zipped and hashed 0 directories \(0 B\) in \d+ ms; 1 unchanged since a push on this machine/);

    // The upload needs it after all: written where its body now says, with the bytes the facts promised.
    await writeSkippedZips(second, () => true);
    const body = second[0]!.object.body;
    if (!('path' in body)) throw new Error('a file body expected');
    expect(sha256(readFileSync(body.path))).toBe(zipped.sha256);
    disposePacked(second);
  });

  test('a directory changed since (a rewrite with its mtime put back) is zipped again, whatever the bucket holds', async () => {
    const src = sourceTree();
    const first = await packEntries([entryFor(src)], 'ions', () => undefined);
    disposePacked(first);
    const core = join(src, 'app', 'core.clj');
    const { atime, mtime } = statSync(core);
    writeFileSync(core, '(ns app.core)\n(defn f [] 3)\n');
    utimesSync(core, atime, mtime);
    const second = await packEntries([entryFor(src)], 'ions', () => undefined, { inBucket: () => true });
    expect(second[0]!.entry.sha256).not.toBe(first[0]!.entry.sha256);
    const body = second[0]!.object.body;
    if (!('path' in body)) throw new Error('a file body expected');
    expect(sha256(readFileSync(body.path))).toBe(second[0]!.entry.sha256);
    disposePacked(second);
  });

  test('a directory the bucket does not hold is zipped, facts or not', async () => {
    const src = sourceTree();
    disposePacked(await packEntries([entryFor(src)], 'ions', () => undefined));
    const again = await packEntries([entryFor(src)], 'ions', () => undefined, { inBucket: () => false });
    const body = again[0]!.object.body;
    expect('path' in body && body.path !== '' && readFileSync(body.path).length).toBe(again[0]!.entry.size);
    disposePacked(again);
  });
});

describe('zip facts in the cache file', () => {
  const zipFact = (n: number) => ({
    fingerprint: n.toString(16).padStart(64, '0'),
    sha256: (n + 1).toString(16).padStart(64, '0'),
    size: 100 + n,
  });

  test('saved and loaded with the jar facts; a fact about a tree changed within the racy window is not saved', () => {
    const c = new JarFactsCache();
    const a = zipFact(1);
    const b = zipFact(2);
    c.rememberZip(b.fingerprint, b, 5_000, 5_000 + 10);
    expect(c.dirty).toBe(false); // a racy fact alone: the file stays as it is
    c.rememberZip(a.fingerprint, a, 1_000, 1_000 + RACY_MS + 1);
    expect(c.dirty).toBe(true);
    const loaded = new JarFactsCache();
    loaded.load(c.serialize(1 << 20));
    expect(loaded.getZip(a.fingerprint)).toEqual({ sha256: a.sha256, size: a.size });
    expect(loaded.getZip(b.fingerprint)).toBeUndefined();
    // Zip lines carry no jar identity: they add no jar facts.
    expect(loaded.size).toBe(0);
  });

  test('a damaged zip line is skipped whole', () => {
    const a = zipFact(3);
    const loads = (line: string) => {
      const c = new JarFactsCache();
      c.load(`${JAR_CACHE_HEADER}\n${line}\n`);
      return c.getZip(a.fingerprint);
    };
    const good = JSON.stringify({ zip: a.fingerprint, sha256: a.sha256, size: a.size, changed: 1 });
    expect(loads(good)).toEqual({ sha256: a.sha256, size: a.size });
    expect(loads(good.replace(a.sha256, 'nope'))).toBeUndefined();
    expect(loads(good.replace(`"size":${a.size}`, '"size":-1'))).toBeUndefined();
    expect(loads(good.replace('"changed":1', '"changed":"x"'))).toBeUndefined();
    expect(loads(good.slice(0, 40))).toBeUndefined();
  });

  test(`keeps at most ${MAX_ZIP_FACTS}: those this push used, then the most recently changed trees`, () => {
    const lines = Array.from({ length: MAX_ZIP_FACTS + 50 }, (_, n) => {
      const z = zipFact(n);
      return JSON.stringify({ zip: z.fingerprint, sha256: z.sha256, size: z.size, changed: 10_000 + n });
    });
    const c = new JarFactsCache();
    c.load(`${JAR_CACHE_HEADER}\n${lines.join('\n')}\n`);
    c.getZip(zipFact(0).fingerprint); // the oldest, but used by this push
    const kept = new JarFactsCache();
    kept.load(c.serialize(1 << 24));
    const present = (n: number) => kept.getZip(zipFact(n).fingerprint) !== undefined;
    expect(present(0)).toBe(true);
    expect(present(MAX_ZIP_FACTS + 49)).toBe(true);
    expect(present(1)).toBe(false);
    expect(Array.from({ length: MAX_ZIP_FACTS + 50 }, (_, n) => present(n)).filter(Boolean)).toHaveLength(MAX_ZIP_FACTS);
  });
});
