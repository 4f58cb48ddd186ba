import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createReadStream } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { ZipFile } from 'yazl';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { fromBufferPromise, type Entry } from 'yauzl';
import { zipDirectory, zipDirectoryToFile, zipFiles } from '../../src/core/content/deterministic-zip.js';

interface ZipEntry {
  name: string;
  mode: number;
  data: Buffer | null;
  dosDate: number;
  dosTime: number;
  extraFields: number;
  comment: string;
}

/** Reads every entry of a zip with yauzl (an independent implementation). */
async function readZip(buf: Buffer): Promise<ZipEntry[]> {
  const zip = await fromBufferPromise(buf, { lazyEntries: true });
  const out: ZipEntry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: Entry) => {
      const base = {
        name: entry.fileName,
        mode: entry.externalFileAttributes >>> 16,
        dosDate: entry.lastModFileDate,
        dosTime: entry.lastModFileTime,
        extraFields: entry.extraFields.length,
        comment: entry.fileComment,
      };
      if (entry.fileName.endsWith('/')) {
        out.push({ ...base, data: null });
        zip.readEntry();
        return;
      }
      zip
        .openReadStreamPromise(entry)
        .then(async (stream) => {
          const chunks: Buffer[] = [];
          for await (const c of stream) chunks.push(c as Buffer);
          out.push({ ...base, data: Buffer.concat(chunks) });
          zip.readEntry();
        })
        .catch(reject);
    });
    zip.readEntry();
  });
  return out;
}

const FILES: Record<string, string> = {
  'deps.edn': '{:paths ["src"]}\n',
  'src/app/core.clj': '(ns app.core)\n(defn f [] 1)\n',
  'src/app/z.clj': '(ns app.z)\n',
  'src/app-b/x.clj': '(ns app-b.x)\n',
  'resources/datomic/ion-config.edn': '{:app-name "app"}\n',
  'resources/public/index.html': '<html></html>\n',
  'resources/.hidden': 'hidden files are kept\n',
  'bin/run.sh': '#!/bin/sh\necho hi\n',
  'empty.txt': '',
};

const repoRoot = resolve(process.cwd());

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'zip-test-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
/** Writes FILES under a fresh directory in the given order, with the given mtime and modes. */
function makeTree(order: string[], mtime: Date, fileMode: number, overrides: Record<string, string> = {}): string {
  const root = join(scratch, `tree${counter++}`);
  mkdirSync(root);
  mkdirSync(join(root, 'empty-dir'));
  for (const name of order) {
    const path = join(root, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, overrides[name] ?? FILES[name]!);
    chmodSync(path, name === 'bin/run.sh' ? 0o755 : fileMode);
    utimesSync(path, mtime, mtime);
  }
  return root;
}

describe('zipDirectory', () => {
  const names = Object.keys(FILES);

  it('gives identical bytes for the same content whatever the mtimes, creation order and modes', async () => {
    const a = makeTree(names, new Date('2001-02-03T04:05:06Z'), 0o644);
    const b = makeTree([...names].reverse(), new Date('2024-12-31T23:59:59Z'), 0o600);
    const [za, zb] = [await zipDirectory(a), await zipDirectory(b)];
    expect(zb.equals(za)).toBe(true);
  });

  it('gives identical bytes in different time zones', () => {
    // In a child process: jest gives tests their own process.env, so setting TZ here would not
    // reach the date functions. Tokyo and Los Angeles were east and west of UTC in 1980.
    const dir = makeTree(names, new Date(), 0o644);
    const script = join(scratch, `tz${counter++}.mts`);
    writeFileSync(
      script,
      `import { zipDirectory } from ${JSON.stringify(join(repoRoot, 'src/core/content/deterministic-zip.ts'))};\n` +
        `import { createHash } from 'node:crypto';\n` +
        `const zip = await zipDirectory(${JSON.stringify(dir)});\n` +
        `console.log(new Date(0).getTimezoneOffset(), createHash('sha256').update(zip).digest('hex'));\n`,
    );
    const run = (tz: string) => {
      const out = execFileSync(process.execPath, [join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), script], {
        env: { ...process.env, TZ: tz, NODE_OPTIONS: '' },
        encoding: 'utf8',
      }).trim();
      const [offset, sha] = out.split(' ');
      return { offset: Number(offset), sha };
    };
    const east = run('Asia/Tokyo');
    const west = run('America/Los_Angeles');
    expect([east.offset, west.offset]).toEqual([-540, 480]);
    expect(west.sha).toMatch(/^[0-9a-f]{64}$/);
    expect(west.sha).toBe(east.sha);
  });

  it('gives different bytes when one byte of content changes', async () => {
    const a = makeTree(names, new Date(), 0o644);
    const b = makeTree(names, new Date(), 0o644, { 'src/app/z.clj': '(ns app.Z)\n' });
    expect((await zipDirectory(b)).equals(await zipDirectory(a))).toBe(false);
  });

  it('extracts to the same content, sorted, with fixed times and modes and no extra fields', async () => {
    const dir = makeTree(names, new Date('2015-06-01T12:00:00Z'), 0o640);
    const entries = await readZip(await zipDirectory(dir));

    const files = entries.filter((e) => e.data !== null);
    expect(Object.fromEntries(files.map((e) => [e.name, e.data!.toString('utf8')]))).toEqual(FILES);
    expect(
      entries
        .filter((e) => e.data === null)
        .map((e) => e.name)
        .sort(),
    ).toEqual(['bin/', 'empty-dir/', 'resources/', 'resources/datomic/', 'resources/public/', 'src/', 'src/app/', 'src/app-b/'].sort());

    const order = entries.map((e) => e.name);
    expect(order).toEqual([...order].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
    expect(order.indexOf('src/app-b/')).toBeLessThan(order.indexOf('src/app/')); // byte order: '-' < '/'

    for (const e of entries) {
      expect({ name: e.name, dosDate: e.dosDate, dosTime: e.dosTime }).toEqual({ name: e.name, dosDate: (1 << 5) | 1, dosTime: 0 });
      expect(e.extraFields).toBe(0);
      expect(e.comment).toBe('');
    }
    const modes = Object.fromEntries(entries.map((e) => [e.name, e.mode]));
    expect(modes['bin/run.sh']).toBe(0o100755);
    expect(modes['deps.edn']).toBe(0o100644);
    expect(modes['src/']).toBe(0o40755);
  });

  it('streams files over 64 MiB into the zip, deterministically', async () => {
    const dir = join(scratch, `big${counter++}`);
    mkdirSync(dir);
    const big = Buffer.alloc(65 * 1024 * 1024, 'clojure ');
    writeFileSync(join(dir, 'big.bin'), big);
    writeFileSync(join(dir, 'small.txt'), 'small\n');
    const first = await zipDirectory(dir);
    utimesSync(join(dir, 'big.bin'), new Date(0), new Date(0));
    expect((await zipDirectory(dir)).equals(first)).toBe(true);
    const entries = await readZip(first);
    expect(entries.map((e) => e.name)).toEqual(['big.bin', 'small.txt']);
    expect(entries[0]!.data!.equals(big)).toBe(true);
  });

  it('follows symbolic links to files and directories', async () => {
    const target = makeTree(['deps.edn'], new Date(), 0o644);
    const dir = join(scratch, `links${counter++}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'real.txt'), 'real\n');
    symlinkSync(join(dir, 'real.txt'), join(dir, 'alias.txt'));
    symlinkSync(target, join(dir, 'linked-dir'));
    const entries = await readZip(await zipDirectory(dir, { boundary: scratch }));
    expect(entries.map((e) => [e.name, e.data?.toString('utf8') ?? null])).toEqual([
      ['alias.txt', 'real\n'],
      ['linked-dir/', null],
      ['linked-dir/deps.edn', FILES['deps.edn']],
      ['linked-dir/empty-dir/', null],
      ['real.txt', 'real\n'],
    ]);
  });

  it('refuses a dangling symbolic link, naming it', async () => {
    const dir = join(scratch, `dangling${counter++}`);
    mkdirSync(dir);
    symlinkSync(join(dir, 'gone'), join(dir, 'broken'));
    await expect(zipDirectory(dir)).rejects.toThrow(/symbolic link broken points to nothing.*Remove the link/);
  });

  it('refuses a symbolic-link loop', async () => {
    const dir = join(scratch, `loop${counter++}`);
    mkdirSync(join(dir, 'a'), { recursive: true });
    symlinkSync(dir, join(dir, 'a', 'up'));
    await expect(zipDirectory(dir)).rejects.toThrow(/a\/up leads back to a directory that contains it/);
  });

  it('says when the directory does not exist', async () => {
    await expect(zipDirectory(join(scratch, 'missing'))).rejects.toThrow(/Cannot zip .*missing.*exists/);
  });

  it('zips an empty directory to a valid empty zip', async () => {
    const dir = join(scratch, `empty${counter++}`);
    mkdirSync(dir);
    expect(await readZip(await zipDirectory(dir))).toEqual([]);
  });
});

describe('zipFiles', () => {
  const files = [
    { name: 'ion-manifest.json', data: '{"a":1}' },
    { name: 'hooks/after-install.sh', data: Buffer.from('#!/bin/sh\n'), mode: 0o755 },
    { name: 'appspec.yml', data: 'version: 0.0\n' },
  ];

  it('gives identical bytes whatever the input order', async () => {
    expect((await zipFiles([...files].reverse())).equals(await zipFiles(files))).toBe(true);
  });

  it('extracts to the given content, sorted, with the given modes', async () => {
    const entries = await readZip(await zipFiles(files));
    expect(entries.map((e) => [e.name, e.data?.toString('utf8'), e.mode])).toEqual([
      ['appspec.yml', 'version: 0.0\n', 0o100644],
      ['hooks/after-install.sh', '#!/bin/sh\n', 0o100755],
      ['ion-manifest.json', '{"a":1}', 0o100644],
    ]);
  });

  it('accepts a full file mode too', async () => {
    const [entry] = await readZip(await zipFiles([{ name: 'x', data: '', mode: 0o100700 }]));
    expect(entry?.mode).toBe(0o100700);
  });

  it('gives the bytes yazl gave (the code before the synchronous writer), so a stored revision bundle still matches', async () => {
    const inputs = [
      ...files,
      { name: 'empty', data: '' },
      { name: 'hooks/lib/résumé.sh', data: 'ü\n'.repeat(5000), mode: 0o100700 },
      { name: 'big.bin', data: Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251)) },
    ];
    const sorted = [...inputs].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
    const zip = new ZipFile();
    for (const f of sorted) {
      const mode = f.mode === undefined ? 0o100644 : (f.mode & 0o170000) === 0 ? 0o100000 | f.mode : f.mode;
      const data = typeof f.data === 'string' ? Buffer.from(f.data) : f.data;
      zip.addBuffer(data, f.name, {
        mtime: new Date(1980, 0, 1, 0, 0, 0),
        mode,
        forceDosTimestamp: true,
        compress: true,
        forceZip64Format: false,
      });
    }
    const reference = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
      zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
      zip.outputStream.on('error', reject);
      zip.end({ forceZip64Format: false, comment: '' });
    });
    expect((await zipFiles(inputs)).equals(reference)).toBe(true);
  });

  it('refuses duplicate and non-relative names', async () => {
    await expect(
      zipFiles([
        { name: 'a', data: '' },
        { name: 'a', data: 'x' },
      ]),
    ).rejects.toThrow(/given twice/);
    for (const name of ['/abs', '../up', 'a//b', 'dir/', '', 'a\\b', './a']) {
      await expect(zipFiles([{ name, data: '' }])).rejects.toThrow(/not a relative file path/);
    }
  });
});

/**
 * The zips push made before the streaming writer, with yazl (the code of deterministic-zip.ts up to
 * that change, links resolved the same way): the new writer must give the same bytes, so no
 * directory's object key changes.
 */
async function yazlReferenceZip(dir: string): Promise<Buffer> {
  const FIXED = new Date(1980, 0, 1, 0, 0, 0);
  const entries: { name: string; path: string; dir: boolean }[] = [];
  const walk = (abs: string, rel: string) => {
    for (const name of readdirSync(abs)) {
      const path = join(abs, name);
      const st = statSync(path);
      if (st.isDirectory()) {
        entries.push({ name: `${rel}${name}/`, path, dir: true });
        walk(path, `${rel}${name}/`);
      } else entries.push({ name: rel + name, path, dir: false });
    }
  };
  walk(dir, '');
  entries.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  const zip = new ZipFile();
  for (const e of entries) {
    if (e.dir) {
      zip.addEmptyDirectory(e.name, { mtime: FIXED, mode: 0o40755, forceDosTimestamp: true });
      continue;
    }
    const st = statSync(e.path);
    const options = {
      mtime: FIXED,
      mode: st.mode & 0o111 ? 0o100755 : 0o100644,
      forceDosTimestamp: true,
      compress: true,
      forceZip64Format: false,
    };
    if (st.size > 64 * 1024 * 1024)
      zip.addReadStreamLazy(e.name, { ...options, size: st.size }, (cb) => cb(null, createReadStream(e.path)));
    else zip.addBuffer(readFileSync(e.path), e.name, options);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
    zip.end({ forceZip64Format: false, comment: '' });
  });
}

describe('the streaming writer gives the bytes yazl gave', () => {
  it('on a tree with nested and empty directories, empty, executable, hidden and non-ASCII files', async () => {
    const dir = makeTree(Object.keys(FILES), new Date(), 0o644);
    writeFileSync(join(dir, 'résumé – naïve.txt'), 'ü\n'.repeat(1000));
    writeFileSync(join(dir, 'random.bin'), Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251)));
    expect((await zipDirectory(dir)).equals(await yazlReferenceZip(dir))).toBe(true);
  });

  it('with a file over 64 MiB (streamed, with a data descriptor)', async () => {
    const dir = join(scratch, `big-ref${counter++}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.txt'), 'a\n');
    writeFileSync(join(dir, 'big.bin'), Buffer.alloc(65 * 1024 * 1024, 'ions '));
    writeFileSync(join(dir, 'z.txt'), 'z\n');
    expect((await zipDirectory(dir)).equals(await yazlReferenceZip(dir))).toBe(true);
  }, 120_000);

  it('with more than 65,535 entries (zip64 end records), readable by an independent reader', async () => {
    // Compared with the yazl reference once, by hand (identical; it took yazl 4 minutes, as its
    // entry pump is quadratic): here only the reading back, which is quick.
    // The entries come from one directory of 1,000 empty directories that each of 66 directories
    // links to (zipDirectory follows links inside its boundary and stores what they lead to), so
    // the zip has 66,198 entries while the disk has about 1,200: making and removing 66,000 real
    // directories cost most of this test's time (about 7 of its 10 CPU seconds here).
    const shared = join(scratch, `many-shared${counter++}`);
    for (let f = 0; f < 1000; f++) mkdirSync(join(shared, `e${f}`), { recursive: true });
    const dir = join(scratch, `many${counter++}`);
    for (let d = 0; d < 66; d++) {
      mkdirSync(join(dir, `d${d}`), { recursive: true });
      symlinkSync(shared, join(dir, `d${d}`, 'e'));
      writeFileSync(join(dir, `d${d}`, 'f.txt'), `${d}\n`);
    }
    const ours = await zipDirectory(dir, { boundary: scratch });
    expect(ours.readUInt32LE(ours.length - 22 - 20 - 56)).toBe(0x06064b50); // the zip64 end record is there
    const entries = await readZip(ours);
    expect(entries).toHaveLength(66 + 66 + 66 * 1000 + 66); // d<n>/, d<n>/e/, d<n>/e/e<f>/, d<n>/f.txt
    expect(entries.length).toBeGreaterThan(0xffff);
    expect(entries.filter((e) => e.name.startsWith('d65/e/e')).length).toBe(1000);
    expect(entries.find((e) => e.name === 'd65/f.txt')?.data?.toString()).toBe('65\n');
    rmSync(dir, { recursive: true, force: true });
    rmSync(shared, { recursive: true, force: true });
  }, 300_000);

  it('zipDirectoryToFile writes the same bytes and returns their SHA-256 and size', async () => {
    const dir = makeTree(Object.keys(FILES), new Date(), 0o644);
    const file = join(scratch, `out${counter++}.zip`);
    const { sha256, size } = await zipDirectoryToFile(dir, file);
    const written = readFileSync(file);
    expect(written.equals(await zipDirectory(dir))).toBe(true);
    expect(size).toBe(written.length);
    expect(sha256).toBe(createHash('sha256').update(written).digest('hex'));
  });
});

describe('zipDirectory reads only regular files and directories inside its boundary', () => {
  const fresh = () => {
    const dir = join(scratch, `hostile${counter++}`);
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'ok.txt'), 'ok\n');
    return dir;
  };

  it('refuses a link to /proc/self/environ, naming the link and its target, without reading it', async () => {
    const dir = fresh();
    symlinkSync('/proc/self/environ', join(dir, 'sub', 'build-info.txt'));
    await expect(zipDirectory(dir)).rejects.toThrow(
      /sub\/build-info\.txt is a symbolic link to \/proc\/self\/environ( \(\/proc\/\d+\/environ\))?, which is under \/proc, \/sys or \/dev/,
    );
  });

  it('refuses a link to a file outside the boundary and accepts one inside it', async () => {
    const outside = join(scratch, `secret${counter++}.txt`);
    writeFileSync(outside, 'secret\n');
    const dir = fresh();
    symlinkSync(join(dir, 'ok.txt'), join(dir, 'sub', 'inside.txt'));
    symlinkSync('../ok.txt', join(dir, 'sub', 'relative.txt'));
    const names = (await readZip(await zipDirectory(dir))).map((e) => e.name);
    expect(names).toEqual(['ok.txt', 'sub/', 'sub/inside.txt', 'sub/relative.txt']);
    symlinkSync(outside, join(dir, 'sub', 'leak.txt'));
    await expect(zipDirectory(dir)).rejects.toThrow(
      new RegExp(`sub/leak\\.txt is a symbolic link to ${outside.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, which is outside the directory`),
    );
    // A wider boundary (the repository, for the project's own directories) lets it in.
    await expect(zipDirectory(dir, { boundary: scratch })).resolves.toBeInstanceOf(Buffer);
  });

  it('refuses a link to /dev/zero, a FIFO and a socket at once, without blocking', async () => {
    const zero = fresh();
    symlinkSync('/dev/zero', join(zero, 'zero.bin'));
    await expect(zipDirectory(zero)).rejects.toThrow(/zero\.bin is a symbolic link to \/dev\/zero, which is under \/proc, \/sys or \/dev/);

    const fifo = fresh();
    execFileSync('mkfifo', [join(fifo, 'sub', 'pipe')]);
    await expect(zipDirectory(fifo)).rejects.toThrow(/sub\/pipe is a FIFO \(named pipe\); push packs only regular files and directories/);

    const sock = fresh();
    const server = createServer();
    await new Promise<void>((r) => server.listen(join(sock, 'sock'), r));
    try {
      await expect(zipDirectory(sock)).rejects.toThrow(/sock is a socket/);
    } finally {
      server.close();
    }
  });

  it('refuses a link to a FIFO inside the boundary too', async () => {
    const dir = fresh();
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    symlinkSync(join(dir, 'pipe'), join(dir, 'sub', 'via-link'));
    await expect(zipDirectory(dir)).rejects.toThrow(/is a FIFO/);
  });
});
