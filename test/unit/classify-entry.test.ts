import { classifyEntry, type ClasspathContext } from '../../src/core/classpath/classify-entry.js';

const ctx: ClasspathContext = { projectDir: '/repo/app', repoRoot: '/repo', mavenRepo: '/home/u/.m2/repository', gitlibs: '/home/u/.gitlibs' };

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
