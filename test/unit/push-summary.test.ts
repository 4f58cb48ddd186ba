import { renderPushSummary } from '../../src/push/summary.js';
import type { PushReport } from '../../src/core/push/push-revision.js';
import type { RevisionDiff } from '../../src/core/revision/revision-diff.js';
import { HOSTILE_STRINGS } from '../support/runner-commands.js';

const entry = (origin: string, key: string, size: number, kind: 'maven' | 'project' = 'maven') => ({
  key,
  sha256: key.slice(-6),
  size,
  kind,
  packaging: kind === 'maven' ? ('jar' as const) : ('dir' as const),
  origin,
  path: `/x/${origin}`,
});

const base = (): PushReport => {
  const entries = [
    entry('src', 'ions/objects/aaa.zip', 2048, 'project'),
    entry('org.clojure/clojure 1.11.1', 'ions/objects/bbb.jar', 4 * 1024 * 1024),
  ];
  return {
    rev: 'c0ffee',
    reproducible: true,
    appName: 'my-app',
    commit: 'c0ffee',
    bucket: 'code',
    bundleKey: 'ions/my-app/revisions/c0ffee.zip',
    entries,
    uploaded: [{ key: entries[0]!.key, sha256: 'aaa', size: 2048, body: { data: Buffer.alloc(0) } }],
    reused: [{ key: entries[1]!.key, sha256: 'bbb', size: 4 * 1024 * 1024, body: { path: '/x' } }],
    bundleUploaded: true,
    groups: ['my-prod'],
    dryRun: false,
    skipped: [],
    warnings: [],
    manifest: { lambdas: [{ name: 'echo', fn: 'my.ns/echo' }] } as unknown as PushReport['manifest'],
    groupDiffs: [],
    groupDiffsSkipped: 0,
    conflicts: [],
  };
};

describe('renderPushSummary', () => {
  test('sizes of what was uploaded and reused, the uploaded objects and a ready deploy step per group', () => {
    const md = renderPushSummary(base(), { actionRef: 'acme/ion-actions/push@v1' });
    expect(md).toContain('## Ion push: `my-app` revision `c0ffee`');
    expect(md).toContain('| Uploaded | 1 | 2.0 KiB |');
    expect(md).toContain('| Already in the bucket | 1 | 4.0 MiB |');
    expect(md).toContain('| src | project | 2.0 KiB | `ions/objects/aaa.zip` |');
    expect(md).not.toContain('| org.clojure/clojure 1.11.1 |');
    expect(md).toContain('- uses: acme/ion-actions/deploy@v1\n  with:\n    group: my-prod\n    rev: c0ffee');
    expect(md).toContain('`echo` → `my.ns/echo`');
  });

  test('a dry run says so and lists what it skipped', () => {
    const md = renderPushSummary({ ...base(), dryRun: true, groups: null, skipped: ['uploads: dry run'] }, { actionRef: 'a/b/push@v1' });
    expect(md).toContain('(dry run)');
    expect(md).toContain('| Would upload | 1 |');
    expect(md).toContain('- uploads: dry run');
    expect(md).not.toContain('### Deploy');
  });

  test('a pipe in an origin cannot break the table', () => {
    const r = base();
    r.entries[0] = { ...r.entries[0]!, origin: 'a|b' };
    expect(renderPushSummary(r, { actionRef: 'a/b/push@v1' })).toContain('| a\\|b |');
  });
});

describe('what the revision changes, and dependency conflicts, in the summary', () => {
  const diff = (over: Partial<RevisionDiff> = {}): RevisionDiff => ({
    same: false,
    libraries: { added: [], removed: [], changed: [{ name: 'org.clojure/clojure', from: '1.11.1', to: '1.12.0' }] },
    projectPaths: { added: [], removed: [], changed: ['src'] },
    lambdas: { added: ['echo'], removed: [], changed: [] },
    ...over,
  });

  test('a table for each of the first three groups, one line for the others, and the groups never deployed or unreadable', () => {
    const r = base();
    r.groupDiffs = [
      ...['a', 'b', 'c', 'd'].map((g) => ({ group: g, state: 'running' as const, rev: `rev-${g}`, deploymentId: `d-${g}`, diff: diff() })),
      { group: 'new', state: 'none' },
      { group: 'locked', state: 'unreadable', reason: 'AccessDenied' },
    ];
    r.groupDiffsSkipped = 2;
    const md = renderPushSummary(r, { actionRef: 'a/b/push@v1' });
    expect(md).toContain('### What this revision changes');
    expect(md).toContain('`a` runs `rev-a` (deployment `d-a`):');
    expect(md.match(/\| library changed \| org\.clojure\/clojure \| 1\.11\.1 \| 1\.12\.0 \|/g)).toHaveLength(3);
    expect(md).toContain('- `d` runs `rev-d`: 1 library changed; src changed; lambdas +echo');
    expect(md).toContain('- `new`: no successful deployment yet');
    expect(md).toContain('- `locked`: cannot tell what it runs (AccessDenied).');
    expect(md).toContain('1 more group shown in one line only');
    expect(md).toContain('2 more groups not compared');
  });

  test('a conflict table: entries in classpath order, the winner, the names', () => {
    const r = base();
    r.conflicts = [
      {
        entries: ['acme/copy 1.0', 'org.clojure/data.json 2.4.0'],
        at: [2, 3],
        winner: 'acme/copy 1.0',
        namespaces: ['clojure.data.json'],
        classes: [],
      },
    ];
    const md = renderPushSummary(r, { actionRef: 'a/b/push@v1' });
    expect(md).toContain('### Dependency conflicts');
    expect(md).toContain('| acme/copy 1.0<br>org.clojure/data.json 2.4.0 | acme/copy 1.0 | 1: clojure.data.json | — |');
  });

  test('hostile group names, revisions, reasons, origins and names cannot break out of their cells', () => {
    const r = base();
    r.groupDiffs = HOSTILE_STRINGS.map((h) => ({
      group: h,
      state: 'running' as const,
      rev: h,
      deploymentId: h,
      diff: diff({ libraries: { added: [{ name: `${h}|x`, version: h }], removed: [], changed: [] } }),
    }));
    r.groupDiffs.push({ group: '<img src=x>', state: 'unreadable', reason: '|\n## forged' });
    r.conflicts = HOSTILE_STRINGS.map((h, i) => ({
      entries: [h, `${h}|2`],
      at: [i, i + 1],
      winner: h,
      namespaces: [h],
      classes: [`${h}<script>`],
    }));
    const md = renderPushSummary(r, { actionRef: 'a/b/push@v1' });
    // Group names are code spans (HTML inside one is shown as text); everything else is escaped.
    expect(md).not.toMatch(/[^`]<(img|script)/i);
    expect(md).not.toMatch(/^## forged/m);
    for (const row of md.split('\n').filter((l) => l.startsWith('| acme') || l.startsWith('| library'))) {
      expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(6);
    }
  });
});
