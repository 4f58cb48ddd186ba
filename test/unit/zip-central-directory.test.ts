/*
 * The plain-zip fast path (zip-central-directory.ts) against yauzl, the reader it stands in for:
 * the same names on every jar this machine has and on zips built to be odd; undefined (yauzl reads
 * it) for anything it does not read as yauzl would, so jarEntryNames still reads zip64 jars and
 * still reports broken ones.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { JarFactsCache } from '../../src/core/content/jar-cache.js';
import { jarEntryNames } from '../../src/core/ion-config/jar-entries.js';
import { plainZipEntryNames } from '../../src/core/ion-config/zip-central-directory.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'zip-cd-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const readerOf =
  (data: Buffer) =>
  (position: number, length: number): Buffer =>
    data.subarray(position, position + length);

const fastNames = (data: Buffer) => plainZipEntryNames(readerOf(data), data.length);

/** What jar-entries.ts's yauzl path returns: raw names (decodeStrings: false) as UTF-8. */
async function yauzlNames(data: Buffer): Promise<string[]> {
  const zip = await yauzl.fromBufferPromise(data, { lazyEntries: true, decodeStrings: false });
  const names: string[] = [];
  for await (const entry of zip.eachEntry()) names.push((entry.fileName as unknown as Buffer).toString('utf8'));
  return names;
}

async function zipOf(
  entries: readonly { name: string; data?: Buffer; compress?: boolean; zip64?: boolean }[],
  end: { comment?: string; forceZip64Format?: boolean } = {},
): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    if (e.name.endsWith('/')) zip.addEmptyDirectory(e.name);
    else
      zip.addBuffer(e.data ?? Buffer.from(`;; ${e.name}\n`), e.name, { compress: e.compress ?? true, forceZip64Format: e.zip64 ?? false });
  }
  // An empty comment is no comment (yazl writes none).
  zip.end({ forceZip64Format: end.forceZip64Format ?? false, comment: end.comment ?? '' });
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Jars installed on this machine (Debian's /usr/share/java and Maven repository), at most `max`. */
function machineJars(max: number): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) {
      if (found.length >= max) return;
      const p = join(dir, n);
      if (n.endsWith('.jar')) {
        try {
          if (statSync(p).isFile()) found.push(p);
        } catch {}
      } else if (depth < 8 && !n.includes('.')) walk(p, depth + 1);
    }
  };
  walk('/usr/share/java', 0);
  walk('/usr/share/maven-repo', 0);
  return found;
}

describe('plainZipEntryNames reads what yauzl reads', () => {
  test('every jar found on this machine: the same names, or undefined (left to yauzl)', async () => {
    const jars = machineJars(400);
    let plain = 0;
    for (const jar of jars) {
      const data = readFileSync(jar);
      const fast = fastNames(data);
      const slow = await yauzlNames(data).catch((e: Error) => e);
      if (fast === undefined) continue;
      plain += 1;
      expect({ jar, names: fast }).toEqual({ jar, names: slow });
    }
    // The machine may have no jars (a bare CI runner): the built zips below still cover the parser.
    if (jars.length > 0) expect(plain).toBeGreaterThan(jars.length / 2);
  });

  test.each([
    ['deflated and stored entries, directories', [{ name: 'a/' }, { name: 'a/b.clj' }, { name: 'a/c.class', compress: false }], {}],
    ['UTF-8 names', [{ name: 'ü/ñ.clj' }, { name: 'λ/x$fn__1.class' }], {}],
    ['a trailing comment', [{ name: 'x.clj' }], { comment: 'built by a tool' }],
    ['no entries', [], {}],
    ['a 70 KiB central directory (longer than the tail that is read first)', bigDirectory(), {}],
  ] as const)('%s', async (_label, entries, end) => {
    const data = await zipOf(entries, end);
    const fast = fastNames(data);
    expect(fast).toBeDefined();
    expect(fast).toEqual(await yauzlNames(data));
  });
});

function bigDirectory(): { name: string }[] {
  return Array.from({ length: 900 }, (_, i) => ({ name: `some/long/package/name/for/the/test/Class${i}$inner__fn${i}.class` }));
}

describe('anything not plain is left to yauzl (undefined)', () => {
  test('zip64 (a zip64 end record, or zip64 entry fields)', async () => {
    expect(fastNames(await zipOf([{ name: 'x.clj' }], { forceZip64Format: true }))).toBeUndefined();
    expect(fastNames(await zipOf([{ name: 'x.clj', zip64: true }]))).toBeUndefined();
  });

  test('broken zips: not a zip, truncated, bytes after the end record, a record count larger than the directory, a bad record signature', async () => {
    const good = await zipOf([{ name: 'a.clj' }, { name: 'b.clj' }]);
    const eocd = good.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const moreEntries = Buffer.from(good);
    moreEntries.writeUInt16LE(3, eocd + 8);
    moreEntries.writeUInt16LE(3, eocd + 10);
    const badSignature = Buffer.from(good);
    badSignature.writeUInt32LE(0x12345678, badSignature.readUInt32LE(eocd + 16));
    const offsetPastEnd = Buffer.from(good);
    offsetPastEnd.writeUInt32LE(good.length + 10, eocd + 16);
    const nameTooLong = Buffer.from(good);
    nameTooLong.writeUInt16LE(0xfff0, nameTooLong.readUInt32LE(eocd + 16) + 28);
    for (const data of [
      Buffer.from('not a zip at all'),
      Buffer.alloc(0),
      good.subarray(0, good.length - 5),
      Buffer.concat([good, Buffer.from('junk')]),
      moreEntries,
      badSignature,
      offsetPastEnd,
      nameTooLong,
    ])
      expect(fastNames(data)).toBeUndefined();
  });

  test('an end signature inside the comment: the last one is taken, as yauzl does, and its comment length must fit', async () => {
    const good = await zipOf([{ name: 'a.clj' }]);
    // A forged end record in the comment (yazl refuses to write one): coherent, it is the one both readers take.
    const forged = Buffer.from(`PK\x05\x06${'\0'.repeat(18)}`, 'latin1');
    const coherent = Buffer.concat([good.subarray(0, good.length - 2), u16(forged.length), forged]);
    expect(fastNames(coherent)).toEqual([]);
    expect(await yauzlNames(coherent)).toEqual([]);
    // One byte after it: its comment length no longer fits; yauzl refuses the zip, the fast path leaves it to yauzl.
    const incoherent = Buffer.concat([good.subarray(0, good.length - 2), u16(forged.length + 1), forged, Buffer.from('x')]);
    expect(fastNames(incoherent)).toBeUndefined();
    await expect(yauzlNames(incoherent)).rejects.toThrow(/Invalid comment length/);
  });
});

const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};

describe('jarEntryNames with the fast path', () => {
  test('a zip64 jar is still read (by yauzl), and remembered', async () => {
    const path = join(tmp, 'zip64.jar');
    writeFileSync(path, await zipOf([{ name: 'p/q.clj' }, { name: 'p/' }], { forceZip64Format: true }));
    const facts = new JarFactsCache();
    expect(await jarEntryNames(path, { facts })).toEqual(['p/q.clj', 'p/']);
    expect(facts.size).toBe(1);
  });

  test('a plain jar is read once and remembered under its identity', async () => {
    const path = join(tmp, 'plain.jar');
    writeFileSync(path, await zipOf([{ name: 'a/b.clj' }]));
    const facts = new JarFactsCache();
    expect(await jarEntryNames(path, { facts })).toEqual(['a/b.clj']);
    expect(facts.size).toBe(1);
    expect(await jarEntryNames(path, { facts })).toEqual(['a/b.clj']);
  });

  test("a broken jar is reported with yauzl's reason", async () => {
    const path = join(tmp, 'broken.jar');
    writeFileSync(path, 'not a zip');
    await expect(jarEntryNames(path, { facts: new JarFactsCache() })).rejects.toThrow(
      /End of central directory record signature not found/,
    );
  });

  test('a FIFO is refused at once, never read', async () => {
    const path = join(tmp, 'fifo.jar');
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [path]);
    await expect(jarEntryNames(path, { facts: new JarFactsCache() })).rejects.toThrow(/not a regular file|FIFO/);
  });

  test('the file is read through the descriptor it was opened by (a short read at the end is not a crash)', () => {
    const path = join(tmp, 'short.jar');
    writeFileSync(path, Buffer.from('PK\x05\x06', 'latin1'));
    const fd = openSync(path, 'r');
    try {
      const readAt = (position: number, length: number) => {
        const b = Buffer.alloc(length);
        return b.subarray(0, readSync(fd, b, 0, length, position));
      };
      expect(plainZipEntryNames(readAt, 4)).toBeUndefined();
      expect(plainZipEntryNames(readAt, 100)).toBeUndefined();
    } finally {
      closeSync(fd);
    }
  });
});
