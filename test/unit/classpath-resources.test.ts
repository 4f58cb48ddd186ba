import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { findIonConfig, indexNamespaces, type ClasspathRoot } from '../../src/core/ion-config/classpath-resources.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'classpath-resources-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function makeJar(path: string, entries: readonly string[], options: { zip64?: boolean } = {}): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    if (e.endsWith('/')) zip.addEmptyDirectory(e);
    else zip.addBuffer(Buffer.from(`;; ${e}\n`), e, { compress: false }); // deflating 20,000 entries takes many seconds
  }
  zip.end({ forceZip64Format: options.zip64 ?? false, comment: '' });
  await pipeline(zip.outputStream, createWriteStream(path));
  return path;
}

async function makeFiles(root: string, files: readonly string[]): Promise<string> {
  for (const f of files) {
    await mkdir(dirname(join(root, f)), { recursive: true });
    await writeFile(join(root, f), `;; ${f}\n`);
  }
  return root;
}

const dir = (path: string): ClasspathRoot => ({ path, isDirectory: true });
const jar = (path: string): ClasspathRoot => ({ path, isDirectory: false });

describe('indexNamespaces', () => {
  it('finds .clj, .cljc and AOT namespaces in directories, recursively, un-munged', async () => {
    const src = await makeFiles(join(tmp, 'proj/src'), [
      'my_app/core.clj',
      'my_app/util.cljc',
      'my_app/deep/er/still_deeper.clj',
      'my_app/README.md',
      'my_app/core.cljs',
      'data.edn',
      'user.clj',
    ]);
    const classes = await makeFiles(join(tmp, 'proj/classes'), ['aot/compiled__init.class', 'aot/Compiled.class']);
    const ns = await indexNamespaces([dir(src), dir(classes), dir(join(tmp, 'proj/no-such-dir'))]);
    expect([...ns].sort()).toEqual(['aot.compiled', 'my-app.core', 'my-app.deep.er.still-deeper', 'my-app.util', 'user']);
  });

  it('survives a symlink loop', async () => {
    const src = await makeFiles(join(tmp, 'loop/src'), ['a/b.clj']);
    await symlink(src, join(src, 'a/back-to-src'));
    expect([...(await indexNamespaces([dir(src)]))]).toEqual(['a.b']);
  });

  it('reads jar entries, skipping META-INF and non-Clojure files', async () => {
    const lib = await makeJar(join(tmp, 'jars/lib.jar'), [
      'my_lib/',
      'my_lib/core.clj',
      'my_lib/impl/util.cljc',
      'my_lib/Thing.class',
      'clojure/core__init.class',
      'META-INF/leiningen/my-lib/my-lib/project.clj',
      'META-INF/MANIFEST.MF',
    ]);
    const ns = await indexNamespaces([jar(lib)]);
    expect([...ns].sort()).toEqual(['clojure.core', 'my-lib.core', 'my-lib.impl.util']);
  });

  it('reads zip64 jars and central directories larger than one read', async () => {
    const z64 = await makeJar(join(tmp, 'jars/zip64.jar'), ['z/sixty_four.clj'], { zip64: true });
    // 10,000 entries with long names: a central directory of about 1.5 MB, more than one read.
    const names = Array.from({ length: 10_000 }, (_, i) => `big/${'long_segment/'.repeat(7)}ns${i}.clj`);
    const big = await makeJar(join(tmp, 'jars/big.jar'), names);
    const ns = await indexNamespaces([jar(z64), jar(big)]);
    expect(ns.size).toBe(10_001);
    expect(ns.has('z.sixty-four')).toBe(true);
    expect(ns.has(`big.${'long-segment.'.repeat(7)}ns9999`)).toBe(true);
  });

  it('skips missing and corrupt jars, reporting them, and keeps the rest', async () => {
    const good = await makeJar(join(tmp, 'jars/good.jar'), ['good/ns.clj']);
    const corrupt = join(tmp, 'jars/corrupt.jar');
    await writeFile(corrupt, Buffer.from('PK\u0003\u0004 this is not really a zip file'));
    const truncated = join(tmp, 'jars/truncated.jar');
    const whole = await makeJar(join(tmp, 'jars/whole.jar'), ['t/x.clj', 't/y.clj']);
    await writeFile(truncated, (await readFile(whole)).subarray(0, -30)); // cuts into the end-of-central-directory record
    const skipped: string[] = [];
    const ns = await indexNamespaces([jar(corrupt), jar(join(tmp, 'jars/missing.jar')), jar(truncated), jar(good)], {
      onSkipped: (path) => skipped.push(path),
    });
    expect([...ns]).toEqual(['good.ns']);
    expect(skipped.sort()).toEqual([corrupt, join(tmp, 'jars/missing.jar'), truncated].sort());
  });

  // Speed is measured in bench/push.ts, not asserted here.
  it('indexes 200 jars of 100 entries each', async () => {
    const jars = await Promise.all(
      Array.from({ length: 200 }, (_, j) =>
        makeJar(
          join(tmp, `many/lib${j}.jar`),
          Array.from({ length: 100 }, (_, i) => `lib${j}/ns_${i}.${i % 3 === 0 ? 'class' : 'clj'}`),
        ),
      ),
    );
    const ns = await indexNamespaces(jars.map(jar));
    expect(ns.size).toBe(200 * 66);
  });

  const mavenRepo = '/usr/share/maven-repo';
  (existsSync(mavenRepo) ? it : it.skip)('finds clojure.core in the real Clojure jar of /usr/share/maven-repo', async () => {
    const jars = execFileSync('find', [mavenRepo, '-name', '*.jar'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    const clojureJar = jars.find((p) => /\/org\/clojure\/clojure\/[^/]+\/clojure-[^/]+\.jar$/.test(p));
    expect(clojureJar).toBeDefined();
    const own = await indexNamespaces([jar(clojureJar as string)]);
    expect(own.has('clojure.core')).toBe(true);
    expect(own.has('clojure.string')).toBe(true);

    const all = await indexNamespaces(jars.map(jar), { onSkipped: (path, reason) => console.warn(`skipped ${path}: ${reason}`) });
    expect(all.has('clojure.core')).toBe(true);
    expect(all.has('clojure.data.json')).toBe(existsSync(join(mavenRepo, 'org/clojure/data.json')));
  });
});

describe('findIonConfig', () => {
  it('returns the first directory root, in classpath order, that has datomic/ion-config.edn', async () => {
    const withConfigJar = await makeJar(join(tmp, 'cfg/lib.jar'), ['datomic/ion-config.edn']);
    const empty = await makeFiles(join(tmp, 'cfg/src'), ['my_app/core.clj']);
    const first = join(tmp, 'cfg/resources');
    const second = join(tmp, 'cfg/dev-resources');
    await makeFiles(first, ['datomic/ion-config.edn']);
    await makeFiles(second, ['datomic/ion-config.edn']);
    await writeFile(join(first, 'datomic/ion-config.edn'), '{:app-name "first"}');

    const found = await findIonConfig([jar(withConfigJar), dir(join(tmp, 'cfg/missing')), dir(empty), dir(first), dir(second)]);
    expect(found).toEqual({ file: join(first, 'datomic/ion-config.edn'), text: '{:app-name "first"}' });
  });

  it('returns undefined when no directory has it', async () => {
    const src = await makeFiles(join(tmp, 'none/src'), ['datomic/other.edn']);
    expect(await findIonConfig([dir(src), dir(join(tmp, 'none/missing'))])).toBeUndefined();
    expect(await findIonConfig([])).toBeUndefined();
  });
});
