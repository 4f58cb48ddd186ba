import { renderPushSummary } from '../../src/push/summary.js';
import type { PushReport } from '../../src/core/push/push-revision.js';

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
