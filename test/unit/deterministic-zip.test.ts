import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fromBufferPromise, type Entry } from 'yauzl';
import { zipDirectory, zipFiles } from '../../src/core/content/deterministic-zip.js';

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
    expect(entries.filter((e) => e.data === null).map((e) => e.name).sort()).toEqual(
      ['bin/', 'empty-dir/', 'resources/', 'resources/datomic/', 'resources/public/', 'src/', 'src/app/', 'src/app-b/'].sort(),
    );

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
    const entries = await readZip(await zipDirectory(dir));
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

  it('refuses duplicate and non-relative names', async () => {
    await expect(zipFiles([{ name: 'a', data: '' }, { name: 'a', data: 'x' }])).rejects.toThrow(/given twice/);
    for (const name of ['/abs', '../up', 'a//b', 'dir/', '', 'a\\b', './a']) {
      await expect(zipFiles([{ name, data: '' }])).rejects.toThrow(/not a relative file path/);
    }
  });
});
