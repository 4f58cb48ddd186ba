/**
 * The push core with its ports in memory (no AWS, no module mocks) on a real git project: the
 * phases and their events, the dry-run warnings, and the promise that a revision name means one
 * thing forever (an existing bundle is never replaced with other content).
 */
import yazl from 'yazl';
import type { ObjectIndexStore } from '../../src/core/content/object-index.js';
import { readBundleManifest } from '../../src/core/deploy/bundle-manifest.js';
import { UserError } from '../../src/core/problems.js';
import type { BundleLocation, PushPorts, RevisionRegistry } from '../../src/core/push/ports.js';
import type { PushEvent } from '../../src/core/push/push-events.js';
import { pushRevision } from '../../src/core/push/push-revision.js';
import { MemoryBundles, MemoryObjects, pushRequest } from '../support/memory-push-ports.js';
import { makeSampleProject } from '../support/sample-project.js';

class MemoryRegistry implements RevisionRegistry {
  readonly registered: { appName: string; location: BundleLocation; description: string }[] = [];
  constructor(readonly apps: Record<string, string[]>) {}
  async applicationExists(appName: string): Promise<boolean> {
    return appName in this.apps;
  }
  async listDeploymentGroups(appName: string): Promise<string[]> {
    return this.apps[appName] ?? [];
  }
  async registerRevision(appName: string, location: BundleLocation, description: string): Promise<void> {
    this.registered.push({ appName, location, description });
  }
}

/** Ports with every part in memory; `classpath` is what the stand-in `clojure -Spath` prints. */
function memoryPorts(opts: { apps?: Record<string, string[]>; classpath?: string } = {}) {
  const objects = new MemoryObjects();
  const bundles = new MemoryBundles();
  const registry = new MemoryRegistry(opts.apps ?? { 'sample-app': ['sample-prod'] });
  const commands: string[][] = [];
  const ports: PushPorts = {
    objects,
    bundles,
    registry,
    environment: { mavenRepo: '/nonexistent/.m2/repository', gitlibs: '/nonexistent/.gitlibs' },
    runCommand: async (command, args) => {
      commands.push([command, ...args]);
      return { exitCode: 0, stdout: `${opts.classpath ?? 'src:resources'}\n`, stderr: '' };
    },
  };
  const events: PushEvent[] = [];
  return { ports, objects, bundles, registry, commands, events, emit: (e: PushEvent) => events.push(e) };
}

const request = pushRequest;

const zip = (files: Record<string, string>): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const z = new yazl.ZipFile();
    for (const [name, text] of Object.entries(files)) z.addBuffer(Buffer.from(text), name);
    z.end();
    const chunks: Buffer[] = [];
    z.outputStream
      .on('data', (c: Buffer) => chunks.push(c))
      .on('end', () => resolve(Buffer.concat(chunks)))
      .on('error', reject);
  });

const refusal = async (p: Promise<unknown>): Promise<string> => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  return (err as UserError).message;
};

describe('pushRevision phases', () => {
  test('validate, pack, upload, register: events in order, every phase closed, the aliases recorded in the manifest', async () => {
    const project = makeSampleProject();
    const m = memoryPorts();
    const report = await pushRevision(request(project.dir, { aliases: ':dev' }), m.ports, m.emit);
    expect(m.commands).toEqual([['clojure', '-Spath', '-A:dev']]);
    const kinds = m.events.map((e) => (e.kind === 'phase-started' || e.kind === 'phase-ended' ? `${e.kind} ${e.phase}` : e.kind));
    expect(kinds.filter((k) => k.startsWith('phase'))).toEqual([
      'phase-started classpath',
      'phase-ended classpath',
      'phase-started pack',
      'phase-ended pack',
      'phase-started upload',
      'phase-ended upload',
    ]);
    expect(kinds.slice(-2)).toEqual(['bundle-stored', 'revision-registered']);
    expect(m.events).toContainEqual({ kind: 'classpath-entry', entryKind: 'project', origin: 'src' });
    expect(report).toMatchObject({
      rev: project.head(),
      reproducible: true,
      appName: 'sample-app',
      bundleUploaded: true,
      groups: ['sample-prod'],
    });
    expect(report.manifest.aliases).toEqual(['dev']);
    expect(m.objects.stored.size).toBe(2);
    expect(m.registry.registered).toEqual([
      expect.objectContaining({ appName: 'sample-app', location: expect.objectContaining({ key: report.bundleKey }) }),
    ]);
    // The manifest in the stored bundle records the aliases.
    expect((await readBundleManifest(m.bundles.stored.get(report.bundleKey)!.data)).aliases).toEqual(['dev']);
  });

  test('a phase that throws still closes its group', async () => {
    const project = makeSampleProject();
    const m = memoryPorts();
    m.ports.runCommand = async () => ({ exitCode: 1, stdout: '', stderr: 'boom' });
    await expect(pushRevision(request(project.dir), m.ports, m.emit)).rejects.toThrow(/clojure -Spath.*failed/);
    expect(m.events.map((e) => e.kind)).toEqual(['phase-started', 'classpath-resolving', 'phase-ended']);
  });

  test('a dry run with credentials warns that the CodeDeploy application does not exist, and succeeds', async () => {
    const project = makeSampleProject();
    const m = memoryPorts({ apps: {} });
    const report = await pushRevision(request(project.dir, { dryRun: true }), m.ports, m.emit);
    expect(report.warnings).toEqual([
      { severity: 'warning', message: expect.stringMatching(/^CodeDeploy application "sample-app" does not exist/) },
    ]);
    expect(report.groups).toBeNull();
    expect(m.bundles.calls.filter((c) => c.startsWith('create'))).toEqual([]);
    expect(m.registry.registered).toEqual([]);
  });

  test('a dry run without a bucket checks nothing in S3 and says why', async () => {
    const project = makeSampleProject();
    const m = memoryPorts();
    const report = await pushRevision(
      request(project.dir, { dryRun: true, bucket: '' }),
      { ...m.ports, objects: null, bundles: null },
      m.emit,
    );
    expect(report.skipped).toContain('S3 existence checks and uploads: no bucket given');
    expect(report.bucket).toBe('');
  });
});

describe('a revision name means one thing forever', () => {
  test('the same content again: one describe, no upload, no create, registered again', async () => {
    const project = makeSampleProject();
    const m = memoryPorts();
    await pushRevision(request(project.dir), m.ports);
    m.objects.calls.length = 0;
    m.bundles.calls.length = 0;
    const again = await pushRevision(request(project.dir), m.ports, m.emit);
    expect(m.bundles.calls).toEqual([`describe ${again.bundleKey}`]);
    expect(m.objects.calls).toEqual([]);
    expect(again).toMatchObject({ bundleUploaded: false, uploaded: [] });
    expect(again.reused).toHaveLength(2);
    expect(m.events).toContainEqual(expect.objectContaining({ kind: 'bundle-found', match: 'identical' }));
    expect(m.registry.registered).toHaveLength(2);
  });

  test('the same commit with other aliases is refused, naming the aliases and what to do; nothing is uploaded or registered', async () => {
    const project = makeSampleProject();
    const m = memoryPorts();
    const first = await pushRevision(request(project.dir), m.ports);
    const stored = m.bundles.stored.get(first.bundleKey)!.data;
    m.objects.calls.length = 0;
    const message = await refusal(pushRevision(request(project.dir, { aliases: ':dev' }), m.ports));
    expect(message).toMatch(
      new RegExp(
        `^Revision ${first.rev} already exists at s3://ion-code/${first.bundleKey} with other content \\(pushed earlier with aliases none, now with :dev\\)`,
      ),
    );
    expect(message).toMatch(/set|`uname`/);
    expect(m.bundles.stored.get(first.bundleKey)!.data).toBe(stored);
    expect(m.objects.calls.filter((c) => c.startsWith('put'))).toEqual([]);
    expect(m.registry.registered).toHaveLength(1);
  });

  test('a uname pushed again with other code is refused, naming what changed', async () => {
    const project = makeSampleProject();
    const m = memoryPorts();
    await pushRevision(request(project.dir, { uname: 'release-1' }), m.ports);
    project.write('src/sample/core.clj', `${'(ns sample.core)\n(defn echo [x] x) (defn items-by-type [_ _]) (defn handler [_])\n'}`);
    project.commit();
    const message = await refusal(pushRevision(request(project.dir, { uname: 'release-1' }), m.ports));
    expect(message).toMatch(
      /^Revision release-1 already exists .* with other content \(pushed earlier from commit [0-9a-f]{40}, now from [0-9a-f]{40}; 1 classpath entry new or changed \(src\), 1 entry of the stored one gone \(src\)\)/,
    );
  });

  test('a bundle with the same manifest but other instance hooks (another ion-actions version) is kept as it is', async () => {
    const project = makeSampleProject();
    const m = memoryPorts();
    const first = await pushRevision(request(project.dir), m.ports);
    const manifest = await readBundleManifest(m.bundles.stored.get(first.bundleKey)!.data);
    const older = await zip({ 'ion-manifest.json': JSON.stringify({ ...manifest, aliases: undefined }), 'appspec.yml': 'older hooks\n' });
    m.bundles.store(first.bundleKey, older);
    m.bundles.calls.length = 0;
    const again = await pushRevision(request(project.dir), m.ports, m.emit);
    expect(m.bundles.calls).toEqual([`describe ${first.bundleKey}`, `read ${first.bundleKey}`]);
    expect(m.bundles.stored.get(first.bundleKey)!.data).toBe(older);
    expect(again.bundleUploaded).toBe(false);
    expect(m.events).toContainEqual(expect.objectContaining({ kind: 'bundle-found', match: 'kept' }));
    expect(m.registry.registered.at(-1)!.location.eTag).toBe(m.bundles.stored.get(first.bundleKey)!.eTag);
  });

  test('an object under the bundle key that is not a bundle is refused, not replaced', async () => {
    const project = makeSampleProject();
    const m = memoryPorts();
    const key = `ions/sample-app/revisions/${project.head()}.zip`;
    m.bundles.store(key, Buffer.from('not a zip'), null);
    expect(await refusal(pushRevision(request(project.dir), m.ports))).toMatch(
      /already exists .* with an object push cannot read as a revision bundle \(the bundle is not a zip file/,
    );
    expect(m.bundles.stored.get(key)!.data.toString()).toBe('not a zip');
  });

  test('a concurrent push that stores the same revision first: the create is refused, the stored one is used', async () => {
    const project = makeSampleProject();
    const other = memoryPorts();
    const first = await pushRevision(request(project.dir), other.ports);
    const m = memoryPorts();
    m.bundles.beforeCreate = (key) => m.bundles.store(key, other.bundles.stored.get(key)!.data);
    const report = await pushRevision(request(project.dir), m.ports, m.emit);
    expect(m.bundles.calls).toEqual([`describe ${first.bundleKey}`, `create ${first.bundleKey}`, `describe ${first.bundleKey}`]);
    expect(report.bundleUploaded).toBe(false);
    expect(m.registry.registered).toHaveLength(1);
  });

  test('a concurrent push that stores other content first: refused, the stored one stays, nothing registered', async () => {
    const project = makeSampleProject();
    const other = memoryPorts();
    const first = await pushRevision(request(project.dir, { aliases: ':other' }), other.ports);
    const m = memoryPorts();
    m.bundles.beforeCreate = (key) => m.bundles.store(key, other.bundles.stored.get(key)!.data);
    expect(await refusal(pushRevision(request(project.dir), m.ports))).toMatch(/aliases :other, now with none/);
    expect(m.bundles.stored.get(first.bundleKey)!.data).toBe(other.bundles.stored.get(first.bundleKey)!.data);
    expect(m.registry.registered).toEqual([]);
  });

  test('a dry run reports the conflict too, before anything is checked in S3', async () => {
    const project = makeSampleProject();
    const m = memoryPorts();
    await pushRevision(request(project.dir), m.ports);
    m.objects.calls.length = 0;
    expect(await refusal(pushRevision(request(project.dir, { aliases: ':dev', dryRun: true }), m.ports))).toMatch(/already exists/);
    expect(m.objects.calls).toEqual([]);
  });
});

describe('the object index', () => {
  /** An index store in memory; `failWrite` makes every write fail. */
  const memoryIndex = (failWrite = false) => {
    const stored = new Map<string, Buffer>();
    const writes: string[] = [];
    const index: ObjectIndexStore = {
      read: async (key) => (stored.has(key) ? { data: stored.get(key)! } : null),
      write: async (key, data) => {
        writes.push(key);
        if (failWrite) throw new Error('AccessDenied (HTTP 403)');
        stored.set(key, data);
      },
    };
    return { index, stored, writes };
  };

  test('is written once the objects and the bundle are stored, alongside the registration: what it lists exists even when the registration fails', async () => {
    const project = makeSampleProject();
    const m = memoryPorts();
    const idx = memoryIndex();
    const asked: string[] = [];
    const write = idx.index.write;
    idx.index.write = async (key, data) => {
      asked.push('index');
      return write(key, data);
    };
    m.registry.registerRevision = async () => {
      asked.push('register');
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('ThrottlingException');
    };
    await expect(pushRevision(request(project.dir), { ...m.ports, objectIndex: idx.index }, m.emit)).rejects.toThrow('ThrottlingException');
    // Both asked before the registration answered; the index written only after the bundle was stored.
    expect(asked).toEqual(['register', 'index']);
    expect(m.bundles.stored.size).toBe(1);
    const listed = (JSON.parse(idx.stored.get('ions/sample-app/revisions/object-index.json')!.toString()) as { objects: { key: string }[] })
      .objects;
    expect(listed.length).toBeGreaterThan(0);
    for (const { key } of listed) expect(m.objects.stored.has(key)).toBe(true);
  });

  test('lists the objects of the completed push; the next push asks the store nothing about them', async () => {
    const project = makeSampleProject();
    const m = memoryPorts();
    const idx = memoryIndex();
    const first = await pushRevision(request(project.dir), { ...m.ports, objectIndex: idx.index }, m.emit);
    expect(idx.writes).toEqual(['ions/sample-app/revisions/object-index.json']);
    project.write('src/sample/extra.clj', '(ns sample.extra)\n');
    project.commit();
    m.objects.calls.length = 0;
    const second = await pushRevision(request(project.dir), { ...m.ports, objectIndex: idx.index }, m.emit);
    // Only the changed directory is written (create-only, no check first); nothing else is asked.
    expect(m.objects.calls).toEqual([`put ${second.entries.find((e) => e.origin === 'src')!.key}`]);
    expect(first.entries.length).toBe(second.entries.length);
  });

  test('a directory unchanged since a push in this process, whose zip the index lists, is not zipped again; the manifest is the same', async () => {
    const project = makeSampleProject();
    const m = memoryPorts();
    const idx = memoryIndex();
    const first = await pushRevision(request(project.dir), { ...m.ports, objectIndex: idx.index }, m.emit);
    m.events.length = 0;
    const again = await pushRevision(request(project.dir), { ...m.ports, objectIndex: idx.index }, m.emit);
    expect(again.manifest).toEqual(first.manifest);
    const notes = m.events.flatMap((e) => (e.kind === 'pack-note' ? [e.message] : []));
    expect(notes[0]).toMatch(
      /^Zipped and hashed 0 directories .*; 2 unchanged since a push on this machine, their zips already in the bucket/,
    );
    // A new commit changes src: only it is zipped.
    project.write('src/sample/extra.clj', '(ns sample.extra)\n');
    project.commit();
    m.events.length = 0;
    await pushRevision(request(project.dir), { ...m.ports, objectIndex: idx.index }, m.emit);
    expect(m.events.flatMap((e) => (e.kind === 'pack-note' ? [e.message] : []))[0]).toMatch(
      /^Zipped and hashed 1 directories .*; 1 unchanged/,
    );
  });

  test('a failed index write is a warning: the revision is pushed and registered all the same', async () => {
    const project = makeSampleProject();
    const m = memoryPorts();
    const idx = memoryIndex(true);
    const report = await pushRevision(request(project.dir), { ...m.ports, objectIndex: idx.index }, m.emit);
    expect(m.registry.registered).toHaveLength(1);
    expect(report.warnings.map((w) => w.message).join('\n')).toMatch(
      /Could not update the object index s3:\/\/ion-code\/ions\/sample-app\/revisions\/object-index\.json \(AccessDenied \(HTTP 403\)\): the revision is pushed/,
    );
  });
});
