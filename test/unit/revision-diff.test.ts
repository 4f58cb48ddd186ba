/**
 * What a revision changes against the running one: libraries by name and version, project paths by
 * content, lambdas by every field; and the one-line and table renderings, fed hostile origins.
 */
import type { EntryKind, Manifest, ManifestEntry, ManifestLambda } from '../../src/core/manifest/schema.js';
import { diffManifests, diffOneLine, libraryOf } from '../../src/core/revision/revision-diff.js';
import { revisionDiffTable } from '../../src/github/revision-diff-markdown.js';
import { inert } from '../../src/github/inert-text.js';
import { HOSTILE_STRINGS, runnerCommands } from '../support/runner-commands.js';

const entry = (kind: EntryKind, origin: string, sha256 = 'a'.repeat(64)): ManifestEntry => ({
  key: `ions/objects/${sha256}.${kind === 'maven' ? 'jar' : 'zip'}`,
  sha256,
  size: 1,
  kind,
  packaging: kind === 'maven' ? 'jar' : 'dir',
  origin,
});

const lambda = (name: string, over: Partial<ManifestLambda> = {}): ManifestLambda => ({
  name,
  fn: `my.ns/${name}`,
  description: '',
  timeoutSecs: 60,
  concurrencyLimit: 20,
  integration: null,
  ...over,
});

const manifest = (classpath: ManifestEntry[], lambdas: ManifestLambda[] = []): Manifest => ({
  format: 'ion-actions/manifest',
  version: 1,
  appName: 'app',
  rev: 'r',
  bucket: 'b',
  commit: null,
  reproducible: true,
  classpath,
  lambdas,
  ionConfig: {},
});

const running = manifest(
  [
    entry('project', 'src', '1'.repeat(64)),
    entry('project', 'resources', '2'.repeat(64)),
    entry('maven', 'org.clojure/clojure 1.11.1'),
    entry('maven', 'org.clojure/data.json 2.4.0'),
    entry('maven', 'cheshire/cheshire 5.11.0'),
    entry('git', 'io.github.acme/util 0123abc src'),
  ],
  [lambda('echo'), lambda('gone')],
);

describe('diffManifests', () => {
  test('the same manifest is the same', () => {
    const d = diffManifests(running, running);
    expect(d.same).toBe(true);
    expect(diffOneLine(d)).toBe('no change in libraries, project paths or lambdas');
    expect(revisionDiffTable(d)).toBe('_No change in libraries, project paths or lambdas._');
  });

  test('libraries added, removed and changed with old and new versions; paths by content; lambdas by any field', () => {
    const next = manifest(
      [
        entry('project', 'src', '9'.repeat(64)),
        entry('project', 'resources', '2'.repeat(64)),
        entry('project', 'dev', '3'.repeat(64)),
        entry('maven', 'org.clojure/clojure 1.12.0'),
        entry('maven', 'org.clojure/data.json 2.4.0'),
        entry('git', 'io.github.acme/util 4567def src'),
        entry('maven', 'org.clojure/core.async 1.6.681'),
      ],
      [lambda('echo', { timeoutSecs: 30 }), lambda('fresh')],
    );
    const d = diffManifests(running, next);
    expect(d).toEqual({
      same: false,
      libraries: {
        added: [{ name: 'org.clojure/core.async', version: '1.6.681' }],
        removed: [{ name: 'cheshire/cheshire', version: '5.11.0' }],
        changed: [
          { name: 'io.github.acme/util', from: '0123abc', to: '4567def' },
          { name: 'org.clojure/clojure', from: '1.11.1', to: '1.12.0' },
        ],
      },
      projectPaths: { added: ['dev'], removed: [], changed: ['src'] },
      lambdas: { added: ['fresh'], removed: ['gone'], changed: ['echo'] },
    });
    expect(diffOneLine(d)).toBe('2 libraries changed, 1 added, 1 removed; src changed, dev added; lambdas +fresh -gone ~echo');
    const table = revisionDiffTable(d);
    expect(table).toContain('| library changed | org.clojure/clojure | 1.11.1 | 1.12.0 |');
    expect(table).toContain('| library added | org.clojure/core.async | — | 1.6.681 |');
    expect(table).toContain('| library removed | cheshire/cheshire | 5.11.0 | — |');
    expect(table).toContain('| project path changed | src |');
    expect(table).toContain('| lambda added | fresh |');
  });

  test('a library with the same version but other bytes (a SNAPSHOT) is changed, from and to the same version', () => {
    const a = manifest([entry('maven', 'acme/lib 1.0-SNAPSHOT', 'a'.repeat(64))]);
    const b = manifest([entry('maven', 'acme/lib 1.0-SNAPSHOT', 'b'.repeat(64))]);
    const d = diffManifests(a, b);
    expect(d.libraries.changed).toEqual([{ name: 'acme/lib', from: '1.0-SNAPSHOT', to: '1.0-SNAPSHOT' }]);
    expect(revisionDiffTable(d)).toContain('| 1.0-SNAPSHOT | 1.0-SNAPSHOT (other bytes) |');
  });

  test('a moved entry (classpath order only) is no change; a lambda field changing is', () => {
    const reordered = manifest([...running.classpath].reverse(), [...running.lambdas].reverse());
    expect(diffManifests(running, reordered).same).toBe(true);
    for (const over of [{ fn: 'x/y' }, { description: 'd' }, { concurrencyLimit: null }, { integration: 'api-gateway/proxy' as const }]) {
      const next = manifest(running.classpath, [lambda('echo', over), lambda('gone')]);
      expect(diffManifests(running, next).lambdas.changed).toEqual(['echo']);
    }
  });

  test('local entries count as paths; many changes are counted in the line, not listed', () => {
    const a = manifest([entry('local', '/home/me/lib', '1'.repeat(64))]);
    const many = ['a', 'b', 'c', 'd'].map((p) => entry('project', p));
    const b = manifest(
      [entry('local', '/home/me/lib', '2'.repeat(64)), ...many],
      ['l1', 'l2', 'l3', 'l4', 'l5'].map((n) => lambda(n)),
    );
    const d = diffManifests(a, b);
    expect(d.projectPaths).toEqual({ added: ['a', 'b', 'c', 'd'], removed: [], changed: ['/home/me/lib'] });
    expect(diffOneLine(d)).toBe('/home/me/lib changed, 4 project paths added; lambdas 5 added, 0 removed, 0 changed');
  });

  test('origins odd in shape still give a name: no version, spaces in a git sub-path', () => {
    expect(libraryOf({ kind: 'maven', origin: 'weird.jar' })).toEqual({ name: 'weird.jar', version: '' });
    expect(libraryOf({ kind: 'git', origin: 'io.github.x/lib abc123 sub dir' })).toEqual({ name: 'io.github.x/lib', version: 'abc123' });
    expect(libraryOf({ kind: 'maven', origin: 'g/a 1.0' })).toEqual({ name: 'g/a', version: '1.0' });
  });

  test('hostile origins and lambda names stay inert in the line and cannot break the table', () => {
    const hostile = HOSTILE_STRINGS.flatMap((s, i) => [
      entry('maven', `${s} ${s}`, String(i).padStart(64, '0')),
      entry('project', `${s}|x`),
    ]);
    const d = diffManifests(
      manifest([]),
      manifest(
        hostile,
        HOSTILE_STRINGS.map((s) => lambda(s)),
      ),
    );
    expect(runnerCommands(inert(diffOneLine(d)))).toEqual([]);
    const table = revisionDiffTable(d);
    expect(runnerCommands(table)).toEqual([]);
    // Every row has exactly the table's four cells: no pipe or line break from an origin got through.
    const rows = table.split('\n').filter((l) => l.startsWith('| '));
    expect(rows.length).toBeGreaterThan(2);
    for (const r of rows) expect(r.replace(/\\\|/g, '').split('|')).toHaveLength(6);
    expect(table).not.toMatch(/<[a-z]/i);
  });

  test('more rows than a summary should hold are counted', () => {
    const libs = Array.from({ length: 150 }, (_, i) => entry('maven', `g/a${i} 1.0`));
    const table = revisionDiffTable(diffManifests(manifest([]), manifest(libs)));
    expect(table.split('\n').filter((l) => l.startsWith('| library added'))).toHaveLength(100);
    expect(table).toContain('…and 50 more changes.');
  });
});
