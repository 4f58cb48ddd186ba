/**
 * Dependency conflicts: namespaces and classes more than one classpath entry provides, grouped by
 * the entries, the first one winning; what every jar carries ignored; warnings located on deps.edn.
 * On hand-made listings, and on REAL jars from Debian's Maven repository (/usr/share/maven-repo).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yazl from 'yazl';
import {
  conflictItems,
  conflictMessage,
  conflictWarnings,
  findDependencyConflicts,
  type ConflictGroup,
  type EntryListing,
} from '../../src/core/classpath/dependency-conflicts.js';
import { coordinateOf, depsCoordinates } from '../../src/core/classpath/deps-coordinates.js';
import { readEntryListings } from '../../src/core/classpath/entry-listings.js';
import { inert } from '../../src/github/inert-text.js';
import { HOSTILE_STRINGS, runnerCommands } from '../support/runner-commands.js';

const listing = (origin: string, ...names: string[]): EntryListing => ({ origin, names });

describe('findDependencyConflicts', () => {
  test('a namespace in two jars: one group, the first on the classpath wins', () => {
    const groups = findDependencyConflicts([
      listing('src', 'my/app.clj'),
      listing('org.clojure/data.json 2.4.0', 'clojure/', 'clojure/data/', 'clojure/data/json.clj'),
      listing('acme/kitchen-sink 1.0', 'clojure/data/json.clj', 'acme/sink.clj'),
    ]);
    expect(groups).toEqual([
      {
        entries: ['org.clojure/data.json 2.4.0', 'acme/kitchen-sink 1.0'],
        at: [1, 2],
        winner: 'org.clojure/data.json 2.4.0',
        namespaces: ['clojure.data.json'],
        classes: [],
      },
    ]);
  });

  test('an AOT-compiled copy (__init.class) conflicts with the source, and its generated classes count under the namespace', () => {
    const groups = findDependencyConflicts([
      listing('org.clojure/data.json 2.4.0', 'clojure/data/json.clj'),
      listing(
        'acme/uberlib 2.0',
        'clojure/data/json__init.class',
        'clojure/data/json$read_str.class',
        'clojure/data/json$fn__123.class',
        'clojure/data/json/JSONWriter.class',
        'acme/Other.class',
      ),
    ]);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ namespaces: ['clojure.data.json'], classes: [], winner: 'org.clojure/data.json 2.4.0' });
  });

  test('classes in two jars (a library at two versions) are class conflicts, named with dots', () => {
    const groups = findDependencyConflicts([
      listing(
        'com.fasterxml.jackson.core/jackson-core 2.13.0',
        'com/fasterxml/jackson/core/JsonParser.class',
        'com/fasterxml/jackson/core/JsonParser$Feature.class',
      ),
      listing(
        'com.fasterxml.jackson.core/jackson-core 2.15.0',
        'com/fasterxml/jackson/core/JsonParser.class',
        'com/fasterxml/jackson/core/JsonParser$Feature.class',
      ),
    ]);
    expect(groups[0]!.classes).toEqual(['com.fasterxml.jackson.core.JsonParser', 'com.fasterxml.jackson.core.JsonParser$Feature']);
  });

  test('what every jar carries is no conflict: META-INF, module-info, package-info, data_readers, licences and resources', () => {
    const common = [
      'META-INF/MANIFEST.MF',
      'META-INF/maven/x/pom.xml',
      'META-INF/versions/9/module-info.class',
      'META-INF/leiningen/x/project.clj',
      'module-info.class',
      'a/b/package-info.class',
      'data_readers.clj',
      'data_readers.cljc',
      'LICENSE',
      'NOTICE.txt',
      'README.md',
      'public/index.html',
      'x.cljs',
      'a/',
    ];
    expect(findDependencyConflicts([listing('a 1', ...common), listing('b 1', ...common), listing('c', ...common)])).toEqual([]);
  });

  test('grouped by the set of entries, in classpath order; three providers make one group of three', () => {
    const groups = findDependencyConflicts([
      listing('one', 'x.clj', 'y.clj', 'A.class'),
      listing('two', 'x.cljc', 'z.clj'),
      listing('three', 'x__init.class', 'z.clj', 'y.clj', 'A.class'),
    ]);
    expect(groups.map((g) => [g.entries, g.namespaces, g.classes])).toEqual([
      [['one', 'two', 'three'], ['x'], []],
      [['one', 'three'], ['y'], ['A']],
      [['two', 'three'], ['z'], []],
    ]);
  });

  test('a name twice in one entry (a zip with a duplicate entry, a .clj next to its .cljc) is not a conflict with itself', () => {
    expect(findDependencyConflicts([listing('one', 'x.clj', 'x.clj', 'x.cljc', 'x__init.class'), listing('two', 'y.clj')])).toEqual([]);
  });

  test('the output: one item per namespace then per class, bounded', () => {
    const groups = findDependencyConflicts([listing('a', 'n.clj', 'C.class', 'D.class'), listing('b', 'n.clj', 'C.class', 'D.class')]);
    expect(conflictItems(groups)).toEqual([
      { namespace: 'n', entries: ['a', 'b'], winner: 'a' },
      { class: 'C', entries: ['a', 'b'], winner: 'a' },
      { class: 'D', entries: ['a', 'b'], winner: 'a' },
    ]);
    expect(conflictItems(groups, 2)).toHaveLength(2);
  });
});

describe('conflict warnings', () => {
  const group = (i: number): ConflictGroup => ({
    entries: [`a${i}`, `b${i}`],
    at: [i, i + 1],
    winner: `a${i}`,
    namespaces: [`n${i}`],
    classes: [],
  });

  test('at most 5 annotations, then one that says how many more, each placed by the locator', () => {
    const groups = Array.from({ length: 8 }, (_, i) => group(i));
    const w = conflictWarnings(groups, (g) => (g ? { file: 'deps.edn', line: g.at[0]! + 2, column: 3 } : { file: 'deps.edn', line: 1 }));
    expect(w).toHaveLength(6);
    expect(w[0]).toMatchObject({ severity: 'warning', file: 'deps.edn', line: 2, column: 3 });
    expect(w[0]!.message).toMatch(
      /^Dependency conflict: 1 namespace \(n0\) provided by a0, b0\. The first on the classpath wins: a0; the copies in b0 are never loaded\./,
    );
    expect(w[5]).toMatchObject({
      line: 1,
      message: expect.stringMatching(/^…and 3 more dependency conflicts \(3 namespaces and classes\)/),
    });
  });

  test('hostile origins and names stay inert', () => {
    const hostile: ConflictGroup[] = HOSTILE_STRINGS.map((h) => ({
      entries: [h, `${h}2`],
      at: [0, 1],
      winner: h,
      namespaces: [h],
      classes: [h],
    }));
    for (const g of hostile) expect(runnerCommands(inert(conflictMessage(g)))).toEqual([]);
  });
});

describe('deps.edn coordinates', () => {
  const text = `;; deps
{:paths ["src"]
 :deps {org.clojure/clojure {:mvn/version "1.11.1"}
        cheshire {:mvn/version "5.11.0"}
        my/lib {:local/root "../lib"}
        io.github.acme/util {:git/sha "abc"}}
 :aliases {:dev {:extra-deps {org.clojure/data.json {:mvn/version "2.4.0"}}}}}`;
  const c = depsCoordinates(text, '/p/app');

  test('top-level deps by library (the short `cheshire` is cheshire/cheshire), local roots by directory', () => {
    expect(coordinateOf(c, { kind: 'maven', origin: 'org.clojure/clojure 1.11.1', path: '/m2/x.jar' })).toMatchObject({
      line: 3,
      column: 9,
    });
    expect(coordinateOf(c, { kind: 'maven', origin: 'cheshire/cheshire 5.11.0', path: '/m2/y.jar' })).toMatchObject({ line: 4, column: 9 });
    expect(coordinateOf(c, { kind: 'git', origin: 'io.github.acme/util abc src', path: '/g' })).toMatchObject({ line: 6 });
    expect(coordinateOf(c, { kind: 'local', origin: '/p/lib/src', path: '/p/lib/src' })).toMatchObject({ line: 5 });
    expect(coordinateOf(c, { kind: 'local', origin: '/p/library', path: '/p/library' })).toBeUndefined();
  });

  test('an alias dep or a transitive one is not top-level; a deps.edn that is not EDN gives none', () => {
    expect(coordinateOf(c, { kind: 'maven', origin: 'org.clojure/data.json 2.4.0', path: '/m' })).toBeUndefined();
    expect(depsCoordinates('{:deps {', '/p').libs.size).toBe(0);
    expect(depsCoordinates('[1 2]', '/p').libs.size).toBe(0);
  });
});

const MAVEN = '/usr/share/maven-repo';

function jar(path: string, files: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const z = new yazl.ZipFile();
    for (const [name, text] of Object.entries(files)) z.addBuffer(Buffer.from(text), name);
    z.end();
    const chunks: Buffer[] = [];
    z.outputStream
      .on('data', (c: Buffer) => chunks.push(c))
      .on('end', () => {
        writeFileSync(path, Buffer.concat(chunks));
        resolve();
      })
      .on('error', reject);
  });
}

describe('on real jars (Debian’s Maven repository)', () => {
  test('a hand-made jar carrying clojure/data/json.clj and its AOT class shadows org.clojure/data.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conflicts-'));
    const copy = join(dir, 'json-copy.jar');
    await jar(copy, {
      'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\n',
      'clojure/data/json.clj': '(ns clojure.data.json)',
      'clojure/data/json__init.class': '',
      'clojure/data/json$write_str.class': '',
    });
    const entries = [
      { path: `${MAVEN}/org/clojure/clojure/1.11.1/clojure-1.11.1.jar`, packaging: 'jar' as const, origin: 'org.clojure/clojure 1.11.1' },
      { path: copy, packaging: 'jar' as const, origin: 'acme/json-copy 1.0' },
      {
        path: `${MAVEN}/org/clojure/data.json/2.4.0/data.json-2.4.0.jar`,
        packaging: 'jar' as const,
        origin: 'org.clojure/data.json 2.4.0',
      },
      { path: join(dir, 'missing.jar'), packaging: 'jar' as const, origin: 'gone 1' },
      { path: dir, packaging: 'dir' as const, origin: 'scratch' },
    ];
    const listings = await readEntryListings(entries);
    expect(listings[0]!.names.length).toBeGreaterThan(1000);
    expect(listings[3]!.names).toEqual([]);
    expect(findDependencyConflicts(listings)).toEqual([
      {
        entries: ['acme/json-copy 1.0', 'org.clojure/data.json 2.4.0'],
        at: [1, 2],
        winner: 'acme/json-copy 1.0',
        namespaces: ['clojure.data.json'],
        classes: [],
      },
    ]);
  });

  test('the same library at two versions: every namespace and class of it, the earlier one winning', async () => {
    const entries = ['1.11.1', '1.x'].map((v) => ({
      path: `${MAVEN}/org/clojure/clojure/${v}/clojure-${v}.jar`,
      packaging: 'jar' as const,
      origin: `org.clojure/clojure ${v}`,
    }));
    const [group, ...rest] = findDependencyConflicts(await readEntryListings(entries));
    expect(rest).toEqual([]);
    expect(group!.winner).toBe('org.clojure/clojure 1.11.1');
    expect(group!.namespaces).toEqual(expect.arrayContaining(['clojure.core', 'clojure.string', 'clojure.set']));
    expect(group!.classes).toContain('clojure.lang.RT');
    // AOT classes of clojure.core (clojure/core$map.class…) count under the namespace, not as classes.
    expect(group!.classes.some((c) => c.startsWith('clojure.core$'))).toBe(false);
  });
});
