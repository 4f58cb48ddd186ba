import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { sha256JarSync } from '../../src/core/content/hash.js';
import { loadJarCache, saveJarCache } from '../../src/core/content/jar-cache-file.js';
import { type FileIdentity, JAR_CACHE_HEADER, JarFactsCache, RACY_MS, identityOf } from '../../src/core/content/jar-cache.js';
import { jarEntryNames, knownJarEntryNames } from '../../src/core/ion-config/jar-entries.js';
import { runnerCacheDir } from '../../src/core/runner-cache-dir.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'jar-cache-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function makeJar(path: string, entries: readonly string[]): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(Buffer.from(`;; ${e}\n`), e, { compress: false });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
  return path;
}

/** Pushes a file's mtime (and so its ctime) into the past, out of the racy window. */
async function age(path: string): Promise<void> {
  const past = new Date(Date.now() - 60_000);
  await utimes(path, past, past);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const identity = async (path: string): Promise<FileIdentity> => identityOf(path, await stat(path));

describe("a jar's identity as classified (stats given instead of a stat of its own)", () => {
  test('gives the answers a stat gives: names and SHA-256, known or not, through a link too; stats of a non-file are not used', async () => {
    const jar = await makeJar(join(tmp, 'classified', 'lib.jar'), ['a/one.clj', 'a/Two.class']);
    await age(jar);
    const link = join(tmp, 'classified', 'link.jar');
    await symlink(jar, link);
    const bytes = await readFile(jar);
    for (const path of [jar, link]) {
      const seen = await stat(path);
      const facts = new JarFactsCache();
      expect(knownJarEntryNames(path, { facts, seen })).toBeUndefined();
      expect(await jarEntryNames(path, { facts, seen })).toEqual(['a/one.clj', 'a/Two.class']);
      expect(knownJarEntryNames(path, { facts, seen })).toEqual(await jarEntryNames(path, { facts }));
      expect(sha256JarSync(path, facts, seen)).toEqual({ sha256: sha256(bytes), size: bytes.length, cached: false });
      expect(sha256JarSync(path, facts, seen)).toEqual(sha256JarSync(path, facts));
      expect(sha256JarSync(path, facts, seen).cached).toBe(true);
      // A directory's stats (not a jar's) are no identity: the jar is stat'ed as without them.
      const dirStats = await stat(tmp);
      expect(sha256JarSync(path, facts, dirStats)).toEqual(sha256JarSync(path, facts));
      expect(knownJarEntryNames(path, { facts, seen: dirStats })).toEqual(['a/one.clj', 'a/Two.class']);
    }
  });

  test('facts recorded for another identity are not given for the classified one', async () => {
    const jar = await makeJar(join(tmp, 'classified2', 'lib.jar'), ['a/one.clj']);
    await age(jar);
    const facts = new JarFactsCache();
    expect(await jarEntryNames(jar, { facts })).toEqual(['a/one.clj']);
    const other = { ...(await stat(jar)), isFile: () => true, ino: 1, size: 1 } as unknown as Awaited<ReturnType<typeof stat>>;
    expect(knownJarEntryNames(jar, { facts, seen: other as never })).toBeUndefined();
  });
});

describe('jarEntryNames: each jar read once per identity', () => {
  it('answers a second call (and a concurrent one) from the first read', async () => {
    const jar = await makeJar(join(tmp, 'once', 'a.jar'), ['a/core.clj', 'a/util.clj']);
    const facts = new JarFactsCache();
    let reads = 0;
    const read = async () => {
      reads += 1;
      return ['a/core.clj', 'a/util.clj'];
    };
    const [x, y] = await Promise.all([jarEntryNames(jar, { facts, read }), jarEntryNames(jar, { facts, read })]);
    const z = await jarEntryNames(jar, { facts, read });
    expect(reads).toBe(1);
    expect(x).toEqual(['a/core.clj', 'a/util.clj']);
    expect(y).toEqual(x);
    expect(z).toEqual(x);
    // Each caller owns its list: changing one leaves the cache as it was.
    z.push('mutated');
    expect(await jarEntryNames(jar, { facts, read })).toEqual(x);
  });

  it('reads a jar again when it was replaced (a new identity), never serving the stale names', async () => {
    const path = join(tmp, 'replaced', 'b.jar');
    await makeJar(path, ['b/one.clj']);
    const facts = new JarFactsCache();
    expect(await jarEntryNames(path, { facts })).toEqual(['b/one.clj']);
    await makeJar(path, ['b/one.clj', 'b/two.clj', 'b/three.clj']);
    expect(await jarEntryNames(path, { facts })).toEqual(['b/one.clj', 'b/two.clj', 'b/three.clj']);
  });

  it('still refuses what is not a jar, and remembers nothing about it', async () => {
    const path = join(tmp, 'bad', 'not.jar');
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, 'not a zip');
    const facts = new JarFactsCache();
    await expect(jarEntryNames(path, { facts })).rejects.toThrow();
    await expect(jarEntryNames(path, { facts })).rejects.toThrow();
    expect(facts.size).toBe(0);
  });
});

describe('sha256JarSync: the jar facts cache', () => {
  it('hashes a jar once; the next call with the same identity reads nothing (a planted hash is what it returns)', async () => {
    const path = await makeJar(join(tmp, 'hash', 'c.jar'), ['c/core.clj']);
    const bytes = await readFile(path);
    const facts = new JarFactsCache();
    expect(sha256JarSync(path, facts)).toEqual({ sha256: sha256(bytes), size: bytes.length, cached: false });
    expect(sha256JarSync(path, facts)).toEqual({ sha256: sha256(bytes), size: bytes.length, cached: true });
    // Proof that the hit does not read the file: a different recorded hash comes back as it is.
    facts.remember(await identity(path), { sha256: 'f'.repeat(64) });
    expect(sha256JarSync(path, facts).sha256).toBe('f'.repeat(64));
  });

  it('misses after a touch (mtime and ctime move) and after a rewrite of the same size', async () => {
    const path = await makeJar(join(tmp, 'touch', 'd.jar'), ['d/core.clj']);
    const facts = new JarFactsCache();
    sha256JarSync(path, facts);
    facts.remember(await identity(path), { sha256: '0'.repeat(64) });
    await age(path);
    const bytes = await readFile(path);
    expect(sha256JarSync(path, facts)).toEqual({ sha256: sha256(bytes), size: bytes.length, cached: false });

    facts.remember(await identity(path), { sha256: '0'.repeat(64) });
    const other = Buffer.from(bytes);
    other[0] = other[0]! ^ 0xff;
    await writeFile(path, other); // same size, same inode: ctime moves
    await age(path);
    expect(sha256JarSync(path, facts)).toEqual({ sha256: sha256(other), size: other.length, cached: false });
  });
});

describe('the jar cache file', () => {
  const fact = (n: number, sha = n.toString(16).padStart(64, '0')): [FileIdentity, { sha256: string; entries: string[] }] => [
    { path: `/m2/x${n}.jar`, dev: 1, ino: n, size: 100 + n, mtimeMs: 1_000 + n, ctimeMs: 1_000 + n },
    { sha256: sha, entries: [`x${n}/core.clj`] },
  ];

  it('keeps what one push learnt for the next (a hit), and a touched jar misses', async () => {
    const dir = join(tmp, 'roundtrip');
    const jar = await makeJar(join(tmp, 'roundtrip-m2', 'e.jar'), ['e/core.clj']);
    // Facts about a file changed in the last RACY_MS are not saved; ctime cannot be set back, so wait it out.
    await new Promise((r) => setTimeout(r, RACY_MS + 200));
    const first = new JarFactsCache();
    const hashed = sha256JarSync(jar, first);
    await jarEntryNames(jar, { facts: first });
    expect(saveJarCache(dir, first)).toBeUndefined();

    const second = new JarFactsCache();
    await loadJarCache(dir, second);
    let reads = 0;
    const read = async () => {
      reads += 1;
      return [];
    };
    expect(sha256JarSync(jar, second)).toEqual({ ...hashed, cached: true });
    expect(await jarEntryNames(jar, { facts: second, read })).toEqual(['e/core.clj']);
    expect(reads).toBe(0);

    await utimes(jar, new Date(), new Date(Date.now() - 30_000));
    expect(sha256JarSync(jar, second).cached).toBe(false);
    // Written private, and no temporary file is left behind.
    expect((await stat(join(dir, 'jar-facts.ndjson'))).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['jar-facts.ndjson']);
  });

  it('ignores a corrupt or foreign file, and takes a damaged file line by line', async () => {
    const good = new JarFactsCache();
    good.remember(...fact(1), 10_000);
    good.remember(...fact(2), 10_000);
    const text = good.serialize(1 << 20);
    const [header, l1, l2] = text.trim().split('\n');
    const loads = (t: string) => {
      const c = new JarFactsCache();
      c.load(t);
      return c.size;
    };
    expect(loads(text)).toBe(2);
    expect(loads('\u0000\u0001garbage')).toBe(0);
    expect(loads(`{"format":"someone-else","version":1}\n${l1}\n`)).toBe(0);
    expect(loads(`${header}\n${l1}\n${l2!.slice(0, 20)}`)).toBe(1); // torn last line
    expect(loads(`${header}\n${l1!.replace(/"sha256":"[0-9a-f]+"/, '"sha256":"not-a-hash"')}\n${l2}\n`)).toBe(1);
    expect(loads(`${header}\n{"id":["/x",1,2,3,4],"sha256":"${'a'.repeat(64)}"}\n`)).toBe(0); // an identity short of a field
    expect(loads(`${header}\n[1,2]\nnull\n"x"\n${l2}\n`)).toBe(1);

    const dir = join(tmp, 'corrupt');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'jar-facts.ndjson'), Buffer.from([0xff, 0xfe, 0, 1, 2]));
    const c = new JarFactsCache();
    await loadJarCache(dir, c);
    expect(c.size).toBe(0);
    await loadJarCache(join(tmp, 'no-such-dir'), c); // missing: nothing, no error
    expect(c.size).toBe(0);
  });

  it('does not save facts about a file changed within the racy window before it was read', () => {
    const c = new JarFactsCache();
    const [id, facts] = fact(3);
    c.remember(id, facts, id.mtimeMs + 10);
    expect(c.serialize(1 << 20)).toBe(`${JAR_CACHE_HEADER}\n`);
    // Nothing it would write changed: the file is not rewritten for it.
    expect(c.dirty).toBe(false);
    c.remember(id, facts, id.mtimeMs + 60_000);
    expect(c.dirty).toBe(true);
    expect(c.serialize(1 << 20)).toContain(facts.sha256);
  });

  it('stays under its size cap, keeping the facts this push used', () => {
    const old = new JarFactsCache();
    for (let n = 0; n < 50; n++) old.remember(...fact(n), 10_000);
    const c = new JarFactsCache();
    c.load(old.serialize(1 << 20));
    c.get(fact(42)[0]);
    c.remember(...fact(99), 10_000);
    const lineBytes = Buffer.byteLength(old.serialize(1 << 20)) / 50;
    const capped = c.serialize(Math.floor(lineBytes * 5));
    expect(Buffer.byteLength(capped)).toBeLessThanOrEqual(Math.floor(lineBytes * 5));
    const kept = new JarFactsCache();
    kept.load(capped);
    expect(kept.get(fact(42)[0])?.sha256).toBe(fact(42)[1].sha256);
    expect(kept.get(fact(99)[0])?.sha256).toBe(fact(99)[1].sha256);
    expect(kept.size).toBeLessThan(50);
  });

  it('lives in RUNNER_TOOL_CACHE, else XDG_CACHE_HOME, else ~/.cache', () => {
    expect(runnerCacheDir({ RUNNER_TOOL_CACHE: '/t', XDG_CACHE_HOME: '/x' }, '/h')).toBe('/t/ion-actions');
    expect(runnerCacheDir({ XDG_CACHE_HOME: '/x' }, '/h')).toBe('/x/ion-actions');
    expect(runnerCacheDir({}, '/h')).toBe('/h/.cache/ion-actions');
  });

  it('concurrent writers each leave a whole file (atomic rename): a reader never sees a mix', async () => {
    const dir = join(tmp, 'concurrent');
    const module = resolve('src/core/content/jar-cache-file.ts');
    const cacheModule = resolve('src/core/content/jar-cache.ts');
    // Each writer saves a cache of 300 facts that all carry its own tag, 40 times over.
    const writer = (tag: string) =>
      new Promise<void>((done, fail) => {
        const script = `
          const { saveJarCache } = await import(${JSON.stringify(module)});
          const { JarFactsCache } = await import(${JSON.stringify(cacheModule)});
          for (let round = 0; round < 40; round++) {
            const c = new JarFactsCache();
            for (let n = 0; n < 300; n++)
              c.remember({ path: '/m2/' + n + '.jar', dev: 1, ino: n, size: n, mtimeMs: round, ctimeMs: round }, { sha256: ${JSON.stringify(tag)}.repeat(64), entries: ['x/' + n] }, 10_000);
            const err = saveJarCache(${JSON.stringify(dir)}, c);
            if (err) throw new Error(err);
          }`;
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d) => {
          stderr += d;
        });
        child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`writer ${tag} exited ${code}: ${stderr}`))));
      });
    let running = true;
    const reader = (async () => {
      while (running) {
        const c = new JarFactsCache();
        await loadJarCache(dir, c);
        if (c.size > 0) {
          expect(c.size).toBe(300);
          const tags = new Set<string>();
          for (let n = 0; n < 300; n++) {
            const id = { path: `/m2/${n}.jar`, dev: 1, ino: n, size: n };
            // The round is unknown to the reader: find the one fact for this file.
            for (let round = 0; round < 40; round++) {
              const f = c.get({ ...id, mtimeMs: round, ctimeMs: round });
              if (f?.sha256) tags.add(f.sha256[0]!);
            }
          }
          expect(tags.size).toBe(1);
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    try {
      await Promise.all([writer('a'), writer('b')]);
    } finally {
      running = false;
      await reader;
    }
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const last = new JarFactsCache();
    await loadJarCache(dir, last);
    expect(last.size).toBe(300);
  }, 120_000);
});
