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
