/**
 * The push core's two read-only reports, with its ports in memory (no AWS, no module mocks) on a
 * real git project: what the revision changes on each deployment group (against the manifest the
 * group runs now), and dependency conflicts on the classpath (real jars). Neither ever fails a push.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yazl from 'yazl';
import type { ContentObject } from '../../src/core/content/objects.js';
import type { Manifest } from '../../src/core/manifest/schema.js';
import type { BundleCreation, PushPorts, RunningManifest, RunningRevisions, StoredBundle } from '../../src/core/push/ports.js';
import type { PushEvent } from '../../src/core/push/push-events.js';
import { pushRevision } from '../../src/core/push/push-revision.js';
import { makeSampleProject } from '../support/sample-project.js';
import { pushRequest } from '../support/memory-push-ports.js';

class MemoryRunning implements RunningRevisions {
  readonly asked: string[] = [];
  constructor(private readonly answers: Record<string, RunningManifest | Error>) {}
  async runningManifest(appName: string, group: string): Promise<RunningManifest> {
    this.asked.push(`${appName}/${group}`);
    const a = this.answers[group] ?? { state: 'none' };
    if (a instanceof Error) throw a;
    return a;
  }
}

function ports(groups: string[], running: RunningRevisions | null, opts: { classpath?: string; mavenRepo?: string } = {}) {
  const stored = new Map<string, Buffer>();
  const events: PushEvent[] = [];
  const p: PushPorts = {
    objects: { exists: async () => false, put: async (_o: ContentObject) => undefined },
    bundles: {
      describe: async (): Promise<StoredBundle | null> => null,
      read: async () => null,
      create: async (key: string, data: Buffer): Promise<BundleCreation> => {
        stored.set(key, data);
        return { created: true, eTag: 'e' };
      },
    },
    registry: { applicationExists: async () => true, listDeploymentGroups: async () => groups, registerRevision: async () => undefined },
    running,
    environment: { mavenRepo: opts.mavenRepo ?? '/nonexistent/.m2/repository', gitlibs: '/nonexistent/.gitlibs' },
    runCommand: async () => ({ exitCode: 0, stdout: `${opts.classpath ?? 'src:resources'}\n`, stderr: '' }),
  };
  return { ports: p, events, emit: (e: PushEvent) => events.push(e) };
}

const request = pushRequest;

/** A manifest the group "runs": this push's own, changed as given. */
async function runningFrom(projectDir: string, change: (m: Manifest) => Manifest): Promise<Manifest> {
  const m = ports(['x'], null);
  const report = await pushRevision(request(projectDir, { dryRun: true }), m.ports);
  return change(structuredClone(report.manifest));
}

describe('what the revision changes on each group', () => {
  test('one diff per group, in order: running (with its diff), never deployed, unreadable (a warning), a port that throws (a warning)', async () => {
    const project = makeSampleProject();
    const old = await runningFrom(project.dir, (m) => ({
      ...m,
      rev: 'old-rev',
      classpath: [
        ...m.classpath.map((e) => (e.origin === 'src' ? { ...e, sha256: '0'.repeat(64) } : e)),
        { key: 'k', sha256: '1'.repeat(64), size: 1, kind: 'maven', packaging: 'jar', origin: 'cheshire/cheshire 5.10.0' },
      ],
      lambdas: [],
    }));
    const running = new MemoryRunning({
      prod: { state: 'running', manifest: old, deploymentId: 'd-1' },
      dev: { state: 'none' },
      staging: { state: 'unreadable', reason: 'AccessDenied ::error::x' },
      qa: new Error('boom'),
    });
    const m = ports(['prod', 'dev', 'staging', 'qa'], running);
    const report = await pushRevision(request(project.dir), m.ports, m.emit);
    expect(running.asked).toEqual(['sample-app/prod', 'sample-app/dev', 'sample-app/staging', 'sample-app/qa']);
    expect(report.groupDiffs.map((d) => [d.group, d.state])).toEqual([
      ['prod', 'running'],
      ['dev', 'none'],
      ['staging', 'unreadable'],
      ['qa', 'unreadable'],
    ]);
    const prod = report.groupDiffs[0]!;
    expect(prod).toMatchObject({
      rev: 'old-rev',
      deploymentId: 'd-1',
      diff: {
        same: false,
        libraries: { added: [], removed: [{ name: 'cheshire/cheshire', version: '5.10.0' }], changed: [] },
        projectPaths: { added: [], removed: [], changed: ['src'] },
        lambdas: { added: ['echo'], removed: [], changed: [] },
      },
    });
    expect(m.events.filter((e) => e.kind === 'group-diff')).toHaveLength(4);
    expect(report.warnings.map((w) => w.message)).toEqual([
      'Cannot show what this revision changes on group staging: AccessDenied ::error::x',
      'Cannot show what this revision changes on group qa: boom',
    ]);
    expect(report.bundleUploaded).toBe(true);
  });

  test('a dry run with credentials and without a bucket shows the diff too; the same revision is "same"', async () => {
    const project = makeSampleProject();
    const same = await runningFrom(project.dir, (m) => m);
    const m = ports(['prod'], new MemoryRunning({ prod: { state: 'running', manifest: same, deploymentId: 'd-2' } }));
    const report = await pushRevision(
      request(project.dir, { dryRun: true, bucket: '' }),
      { ...m.ports, objects: null, bundles: null },
      m.emit,
    );
    expect(report.groupDiffs).toEqual([
      expect.objectContaining({ group: 'prod', state: 'running', diff: expect.objectContaining({ same: true }) }),
    ]);
  });

  test('no credentials (no port): no diff and nothing asked; at most 20 groups asked, the rest counted', async () => {
    const project = makeSampleProject();
    const none = ports(['prod'], null);
    expect((await pushRevision(request(project.dir), none.ports)).groupDiffs).toEqual([]);
    const groups = Array.from({ length: 23 }, (_, i) => `g${i}`);
    const running = new MemoryRunning({});
    const m = ports(groups, running);
    const report = await pushRevision(request(project.dir), m.ports, m.emit);
    expect(running.asked).toHaveLength(20);
    expect(report.groupDiffsSkipped).toBe(3);
    expect(m.events).toContainEqual({ kind: 'group-diffs-skipped', groups: 3 });
  });
});

function writeJar(path: string, files: Record<string, string>): Promise<void> {
  mkdirSync(join(path, '..'), { recursive: true });
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

describe('dependency conflicts', () => {
  test('a jar carrying clojure/data/json.clj before org.clojure/data.json: reported, warned on deps.edn at the dep, push succeeds', async () => {
    const project = makeSampleProject();
    const m2 = join(mkdtempSync(join(tmpdir(), 'm2-')), 'repository');
    const copy = join(m2, 'acme', 'json-copy', '1.0', 'json-copy-1.0.jar');
    await writeJar(copy, { 'META-INF/MANIFEST.MF': 'x', 'clojure/data/json.clj': '(ns clojure.data.json)' });
    const real = join(m2, 'org', 'clojure', 'data.json', '2.4.0', 'data.json-2.4.0.jar');
    mkdirSync(join(real, '..'), { recursive: true });
    copyFileSync('/usr/share/maven-repo/org/clojure/data.json/2.4.0/data.json-2.4.0.jar', real);
    const m = ports(['prod'], null, { classpath: `src:resources:${copy}:${real}`, mavenRepo: m2 });
    const report = await pushRevision(request(project.dir), m.ports, m.emit);
    expect(report.conflicts).toEqual([
      expect.objectContaining({
        entries: ['acme/json-copy 1.0', 'org.clojure/data.json 2.4.0'],
        winner: 'acme/json-copy 1.0',
        namespaces: ['clojure.data.json'],
      }),
    ]);
    expect(m.events).toContainEqual({ kind: 'dependency-conflicts', groups: report.conflicts });
    // acme/json-copy is not in deps.edn; org.clojure/data.json is, on line 4 (the sample app's deps.edn).
    expect(report.warnings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        file: join(project.dir, 'deps.edn'),
        line: 4,
        column: 9,
        message: expect.stringMatching(/^Dependency conflict: 1 namespace \(clojure\.data\.json\)/),
      }),
    ]);
    expect(report.bundleUploaded).toBe(true);
  });

  test('no conflicts: an empty list, still one event', async () => {
    const project = makeSampleProject();
    const m = ports(['prod'], null);
    const report = await pushRevision(request(project.dir), m.ports, m.emit);
    expect(report.conflicts).toEqual([]);
    expect(m.events).toContainEqual({ kind: 'dependency-conflicts', groups: [] });
  });
});
