import { classifyEntry, type ClasspathContext } from '../../src/core/classpath/classify-entry.js';
import { UserError } from '../../src/core/problems.js';

const ctx: ClasspathContext = {
  projectDir: '/repo/app',
  repoRoot: '/repo',
  mavenRepo: '/home/u/.m2/repository',
  gitlibs: '/home/u/.gitlibs',
};

describe('classifyEntry', () => {
  test('a jar under the local Maven repository is a Maven jar with coordinates', () => {
    expect(classifyEntry('/home/u/.m2/repository/org/clojure/clojure/1.11.1/clojure-1.11.1.jar', false, ctx)).toEqual({
      raw: '/home/u/.m2/repository/org/clojure/clojure/1.11.1/clojure-1.11.1.jar',
      path: '/home/u/.m2/repository/org/clojure/clojure/1.11.1/clojure-1.11.1.jar',
      kind: 'maven',
      packaging: 'jar',
      origin: 'org.clojure/clojure 1.11.1',
    });
  });

  test('a directory under gitlibs is a git dep named by lib and sha', () => {
    const e = classifyEntry('/home/u/.gitlibs/libs/io.github.me/lib/0123abcd/src', true, ctx);
    expect(e).toMatchObject({ kind: 'git', packaging: 'dir', origin: 'io.github.me/lib 0123abcd src' });
  });

  test('relative paths are project paths, relative to the repository root', () => {
    expect(classifyEntry('src', true, ctx)).toMatchObject({ kind: 'project', path: '/repo/app/src', origin: 'app/src' });
    expect(classifyEntry('../shared/src', true, ctx)).toMatchObject({ kind: 'project', origin: 'shared/src' });
  });

  test('anything else is a local dependency', () => {
    expect(classifyEntry('/opt/lib/thing.jar', false, ctx)).toMatchObject({ kind: 'local', origin: '/opt/lib/thing.jar' });
    expect(classifyEntry('../../elsewhere/src', true, ctx)).toMatchObject({ kind: 'local', path: '/elsewhere/src' });
    expect(classifyEntry('src', true, { ...ctx, repoRoot: null })).toMatchObject({ kind: 'local' });
  });

  test('a Maven repository inside the repository (a CI cache) still counts as Maven', () => {
    const inside = { ...ctx, mavenRepo: '/repo/.m2' };
    expect(classifyEntry('/repo/.m2/a/b/1.0/b-1.0.jar', false, inside)).toMatchObject({ kind: 'maven', origin: 'a/b 1.0' });
  });
});

describe('classifyEntry shortcuts (plain absolute paths sliced, not path.resolve/relative)', () => {
  // The long way, as classifyEntry was written before the shortcuts: resolve, then path.relative.
  const longWay = async (raw: string, isDirectory: boolean, c: ClasspathContext) => {
    const { isAbsolute, relative, resolve, sep } = await import('node:path');
    const inside = (parent: string, child: string) => {
      const rel = relative(parent, child);
      return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
    };
    const path = resolve(c.projectDir, raw);
    if (!isDirectory && inside(c.mavenRepo, path)) return { path, kind: 'maven', rel: relative(c.mavenRepo, path) };
    if (inside(c.gitlibs, path)) return { path, kind: 'git', rel: relative(c.gitlibs, path) };
    if (c.repoRoot !== null && (inside(c.repoRoot, path) || path === c.repoRoot))
      return { path, kind: 'project', rel: relative(c.repoRoot, path).split(sep).join('/') || '.' };
    return { path, kind: 'local', rel: path };
  };
  const raws = [
    '/home/u/.m2/repository/org/clojure/clojure/1.11.1/clojure-1.11.1.jar',
    '/home/u/.m2/repository/../repository/a/b/1.0/b-1.0.jar',
    '/home/u/.m2/repository/./a/b/1.0/b-1.0.jar',
    '/home/u/.m2//repository/a/b/1.0/b-1.0.jar',
    '/home/u/.m2/repository/..a/b/1.0/b-1.0.jar',
    '/home/u/.m2/repository',
    '/home/u/.m2/repository-other/a/b/1.0/b-1.0.jar',
    '/home/u/.gitlibs/libs/io.github.me/lib/0123abcd/src',
    '/home/u/.gitlibs/libs/io.github.me/lib/0123abcd/src/',
    '/home/u/.gitlibs/_repos/x',
    '/repo',
    '/repo/',
    '/repo/app/src',
    '/repo/app/src/',
    '/repo/..x/src',
    '/repos/app/src',
    'src',
    './src',
    '../shared/src',
    '../../elsewhere/src',
    '/opt/lib/thing.jar',
    '/',
  ];
  const contexts: ClasspathContext[] = [
    ctx,
    { ...ctx, repoRoot: null },
    { ...ctx, mavenRepo: '/repo/.m2' },
    { ...ctx, mavenRepo: '/home/u/.m2/repository/', gitlibs: '/home/u/./.gitlibs' },
    { ...ctx, repoRoot: '/' },
  ];
  test.each(contexts.flatMap((c) => raws.flatMap((raw) => [[raw, true, c] as const, [raw, false, c] as const])))(
    '%s (directory: %s) is classified as the long way does',
    async (raw, isDirectory, c) => {
      const long = await longWay(raw, isDirectory, c);
      const e = classifyEntry(raw, isDirectory, c);
      expect({ path: e.path, kind: e.kind }).toEqual({ path: long.path, kind: long.kind });
      // Maven and gitlibs roots that are not plain ('/.' at the end) send classifyEntry the long way (path.relative).
      expect(e).toEqual(classifyEntry(raw, isDirectory, { ...c, mavenRepo: `${c.mavenRepo}/.`, gitlibs: `${c.gitlibs}/.` }));
      if (long.kind === 'project' || long.kind === 'local') expect(e.origin).toBe(long.rel);
    },
  );
});

describe('classifyClasspath', () => {
  // Imported here so the pure tests above stay free of the file system.
  const setup = async () => {
    const { mkdirSync, mkdtempSync, realpathSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const repo = realpathSync(mkdtempSync(join(tmpdir(), 'classify-')));
    const app = join(repo, 'app');
    mkdirSync(join(app, 'src'), { recursive: true });
    writeFileSync(join(app, 'deps.edn'), '{:paths ["src"\n         "resources"]\n :aliases {:dev {:extra-paths ["dev"]}}}\n');
    const context: ClasspathContext = {
      projectDir: app,
      repoRoot: repo,
      mavenRepo: join(repo, 'no-m2'),
      gitlibs: join(repo, 'no-gitlibs'),
    };
    return { repo, app, context, join };
  };

  test('a missing entry is a warning located on the deps.edn string that names it', async () => {
    const { classifyClasspath } = await import('../../src/core/push/classpath-entries.js');
    const { app, context, join } = await setup();
    const warnings: import('../../src/core/problems.js').Problem[] = [];
    const entries = await classifyClasspath('src:resources:dev', context, warnings);
    expect(entries.map((e) => e.origin)).toEqual(['app/src']);
    expect(warnings).toEqual([
      {
        severity: 'warning',
        message: 'classpath entry resources does not exist; skipped',
        file: join(app, 'deps.edn'),
        line: 2,
        column: 10,
      },
      { severity: 'warning', message: 'classpath entry dev does not exist; skipped', file: join(app, 'deps.edn'), line: 3, column: 32 },
    ]);
  });

  test("a jar's classified stats are its stat (through a link too), directories have none, and a dangling link is missing", async () => {
    const { classifyClasspath, classifiedStats } = await import('../../src/core/push/classpath-entries.js');
    const { identityOf } = await import('../../src/core/content/jar-cache.js');
    const { statSync, symlinkSync, writeFileSync } = await import('node:fs');
    const { app, context, join } = await setup();
    writeFileSync(join(app, 'lib.jar'), 'a jar');
    symlinkSync(join(app, 'lib.jar'), join(app, 'link.jar'));
    symlinkSync(join(app, 'nothing.jar'), join(app, 'dangling.jar'));
    const warnings: import('../../src/core/problems.js').Problem[] = [];
    const entries = await classifyClasspath(`src:lib.jar:link.jar:dangling.jar:${join(app, 'lib.jar')}`, context, warnings);
    expect(entries.map((e) => e.raw)).toEqual(['src', 'lib.jar', 'link.jar', join(app, 'lib.jar')]);
    expect(classifiedStats(entries[0]!)).toBeUndefined();
    for (const e of entries.slice(1)) expect(identityOf(e.path, classifiedStats(e)!)).toEqual(identityOf(e.path, statSync(e.path)));
    expect(warnings.map((w) => w.message)).toEqual(['classpath entry dangling.jar does not exist; skipped']);
  });

  test('the namespace index gives the same namespaces and listings with the classified stats as without', async () => {
    const { classifyClasspath } = await import('../../src/core/push/classpath-entries.js');
    const { readProjectResources } = await import('../../src/core/push/validate-project.js');
    const { indexNamespaces } = await import('../../src/core/ion-config/classpath-resources.js');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { zipFiles } = await import('../../src/core/content/deterministic-zip.js');
    const { app, context, join } = await setup();
    mkdirSync(join(app, 'resources', 'datomic'), { recursive: true });
    writeFileSync(join(app, 'resources', 'datomic', 'ion-config.edn'), '{:app-name "a" :allow [x.y/f]}');
    writeFileSync(join(app, 'src', 'app.clj'), '(ns app)');
    for (const n of [1, 2]) {
      writeFileSync(
        join(app, `lib${n}.jar`),
        await zipFiles([
          { name: `x/y.clj`, data: '(ns x.y)' },
          { name: `lib${n}/core.clj`, data: '' },
        ]),
      );
    }
    const entries = await classifyClasspath('src:resources:lib1.jar:lib2.jar', context, []);
    const resources = await readProjectResources(entries, app);
    let listings: string[][] = [];
    const plain = await indexNamespaces(
      entries.map((e) => ({ path: e.path, isDirectory: e.packaging === 'dir' })),
      { onListings: (l) => void (listings = l) },
    );
    expect(resources.namespaces).toEqual(plain);
    expect(resources.listings).toEqual(listings);
    expect([...plain].sort()).toEqual(['app', 'lib1.core', 'lib2.core', 'x.y']);
  });

  test('unsafe entries and paths are one UserError listing them all, paths relative to the repository', async () => {
    const { classifyClasspath } = await import('../../src/core/push/classpath-entries.js');
    const { symlinkSync, writeFileSync } = await import('node:fs');
    const { execFileSync } = await import('node:child_process');
    const { app, context, join } = await setup();
    symlinkSync('/proc/self/environ', join(app, 'src', 'env.txt'));
    symlinkSync('/dev/zero', join(app, 'zero.jar'));
    execFileSync('mkfifo', [join(app, 'pipe.jar')]);
    writeFileSync(join(app, 'ok.jar'), 'not really a jar, but a regular file');
    const err = await classifyClasspath('src:zero.jar:pipe.jar:ok.jar', context, []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    const problems = (err as UserError).problems.map((p) => p.message);
    expect(problems).toEqual([
      expect.stringMatching(/^app\/src\/env\.txt is a symbolic link to \/proc\/self\/environ.* under \/proc, \/sys or \/dev/),
      expect.stringMatching(/^classpath entry app\/zero\.jar is a symbolic link to \/dev\/zero, which is under/),
      expect.stringMatching(/^classpath entry app\/pipe\.jar is a FIFO \(named pipe\)/),
    ]);
    expect((err as UserError).problems[0]).toMatchObject({ severity: 'error', file: join(app, 'src', 'env.txt') });
  });
});
