/**
 * What a warm push waits for, with the push core's ports in memory (no AWS, no module mocks): the
 * requests that do not depend on each other are in flight together, and the log still reads in the
 * same order. Each test holds one port's answer back and checks what the core asked meanwhile, so
 * nothing here depends on timing; a core that asked in series would wait for ever (the test's
 * timeout), never pass by luck.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipFiles } from '../../src/core/content/deterministic-zip.js';
import { resetProcessJarFacts } from '../../src/core/content/jar-cache.js';
import type { ObjectIndexStore } from '../../src/core/content/object-index.js';
import { UserError } from '../../src/core/problems.js';
import type { BundleLocation, PushPorts, RevisionRegistry, RunningManifest } from '../../src/core/push/ports.js';
import type { PushEvent } from '../../src/core/push/push-events.js';
import { pushRevision } from '../../src/core/push/push-revision.js';
import { MemoryBundles, MemoryObjects, pushRequest } from '../support/memory-push-ports.js';
import { makeSampleProject } from '../support/sample-project.js';

/** A promise and the function that settles it. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** CodeDeploy in memory; `hold` keeps both application calls unanswered until it resolves. */
class Registry implements RevisionRegistry {
  readonly calls: string[] = [];
  readonly registered: BundleLocation[] = [];
  readonly didRegister = deferred();
  hold: Promise<void> = Promise.resolve();
  constructor(readonly groups: string[] | null) {}
  async applicationExists(appName: string): Promise<boolean> {
    this.calls.push(`exists ${appName}`);
    await this.hold;
    return this.groups !== null;
  }
  async listDeploymentGroups(appName: string): Promise<string[]> {
    this.calls.push(`groups ${appName}`);
    await this.hold;
    if (this.groups === null)
      throw Object.assign(new Error(`No application found for name: ${appName}`), { name: 'ApplicationDoesNotExistException' });
    return this.groups;
  }
  async registerRevision(_appName: string, location: BundleLocation): Promise<void> {
    this.calls.push('register');
    this.registered.push(location);
    this.didRegister.resolve();
  }
}

function memoryPorts(groups: string[] | null = ['sample-prod']) {
  const objects = new MemoryObjects();
  const bundles = new MemoryBundles();
  const registry = new Registry(groups);
  const indexReads: string[] = [];
  const indexStored = new Map<string, Buffer>();
  const objectIndex: ObjectIndexStore = {
    read: async (key) => {
      indexReads.push(key);
      return indexStored.has(key) ? { data: indexStored.get(key)! } : null;
    },
    write: async (key, data) => {
      indexStored.set(key, data);
    },
  };
  const events: PushEvent[] = [];
  const ports: PushPorts = {
    objects,
    bundles,
    registry,
    objectIndex,
    environment: { mavenRepo: '/nonexistent/.m2/repository', gitlibs: '/nonexistent/.gitlibs' },
    runCommand: async () => ({ exitCode: 0, stdout: 'src:resources\n', stderr: '' }),
  };
  return { ports, objects, bundles, registry, indexReads, events, emit: (e: PushEvent) => events.push(e) };
}

const request = pushRequest;

const GENEROUS = 60_000;

describe('a warm push asks at once what does not depend on each other', () => {
  test(
    'CodeDeploy is asked whether the application exists and for its groups at once',
    async () => {
      const project = makeSampleProject();
      const m = memoryPorts();
      const release = deferred();
      m.registry.hold = release.promise;
      const pushing = pushRevision(request(project.dir), m.ports, m.emit);
      // Both calls go out while neither has an answer.
      while (m.registry.calls.length < 2) await new Promise((r) => setImmediate(r));
      expect([...m.registry.calls].sort()).toEqual(['exists sample-app', 'groups sample-app']);
      release.resolve();
      await pushing;
      expect(m.registry.calls.slice(2)).toEqual(['register']);
    },
    GENEROUS,
  );

  test(
    "the bundle's HEAD and the object index's GET go out before CodeDeploy answers, and are not asked again",
    async () => {
      const project = makeSampleProject();
      const m = memoryPorts();
      await pushRevision(request(project.dir), m.ports);
      m.bundles.calls.length = 0;
      m.objects.calls.length = 0;
      m.indexReads.length = 0;
      const release = deferred();
      m.registry.hold = release.promise;
      const described = deferred();
      m.bundles.onDescribe = () => described.resolve();
      const pushing = pushRevision(request(project.dir), m.ports, m.emit);
      await described.promise;
      // CodeDeploy has not answered yet: the bucket is already being read.
      expect(m.registry.calls.slice(-2).sort()).toEqual(['exists sample-app', 'groups sample-app']);
      expect(m.indexReads).toEqual(['ions/sample-app/revisions/object-index.json']);
      release.resolve();
      const report = await pushing;
      expect(m.bundles.calls).toEqual([`describe ${report.bundleKey}`]);
      expect(m.indexReads).toHaveLength(1);
      expect(m.objects.calls).toEqual([]);
      expect(m.events).toContainEqual(expect.objectContaining({ kind: 'bundle-found', match: 'identical' }));
      expect(m.registry.registered).toHaveLength(2);
    },
    GENEROUS,
  );

  test(
    "CodeDeploy and the bucket are asked before the classpath's jars are read: they need only ion-config's :app-name",
    async () => {
      const project = makeSampleProject();
      mkdirSync(join(project.dir, 'lib'));
      writeFileSync(join(project.dir, 'lib/x.jar'), await zipFiles([{ name: 'x/y.clj', data: '(ns x.y)' }]));
      project.commit();
      // Every jar read (its entry names, its hash) is recorded in the process's jar facts: none yet.
      const facts = resetProcessJarFacts();
      const m = memoryPorts();
      m.ports.runCommand = async () => ({ exitCode: 0, stdout: 'src:resources:lib/x.jar\n', stderr: '' });
      const jarsReadWhen: Record<string, number> = {};
      const exists = m.registry.applicationExists.bind(m.registry);
      m.registry.applicationExists = async (appName) => {
        jarsReadWhen.codedeploy ??= facts.size;
        return exists(appName);
      };
      m.bundles.onDescribe = () => {
        jarsReadWhen.bucket ??= facts.size;
      };
      const report = await pushRevision(request(project.dir), m.ports, m.emit);
      expect(jarsReadWhen).toEqual({ codedeploy: 0, bucket: 0 });
      expect(facts.size).toBe(1);
      expect(report.entries.map((e) => e.origin)).toContain('lib/x.jar');
      expect(m.registry.registered).toHaveLength(1);
    },
    GENEROUS,
  );

  test(
    'what each group runs is asked for as soon as CodeDeploy names the groups, before the project is validated and packed',
    async () => {
      const project = makeSampleProject();
      const m = memoryPorts(['sample-prod', 'sample-dev']);
      const seenWhenAsked: string[][] = [];
      m.ports.running = {
        runningManifest: async (): Promise<RunningManifest> => {
          seenWhenAsked.push(m.events.map((e) => e.kind));
          return { state: 'none' };
        },
      };
      const report = await pushRevision(request(project.dir), m.ports, m.emit);
      expect(seenWhenAsked).toHaveLength(2);
      for (const kinds of seenWhenAsked) {
        expect(kinds).toContain('classpath-entry');
        expect(kinds).not.toContain('ion-config-validated');
      }
      expect(report.groupDiffs.map((d) => [d.group, d.state])).toEqual([
        ['sample-prod', 'none'],
        ['sample-dev', 'none'],
      ]);
    },
    GENEROUS,
  );

  test(
    'an invalid ion-config is reported as it is, even when CodeDeploy (asked early) does not know the application; nothing written',
    async () => {
      const project = makeSampleProject();
      project.write('resources/datomic/ion-config.edn', '{:app-name "sample-app" :allow [no.such/fn]}');
      project.commit();
      const m = memoryPorts(null);
      const err = await pushRevision(request(project.dir), m.ports, m.emit).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).not.toMatch(/does not exist/);
      expect((err as UserError).problems.map((p) => p.message).join('\n')).toMatch(/no\.such/);
      expect(m.registry.calls).toContain('exists sample-app');
      expect(m.bundles.calls.filter((c) => !c.startsWith('describe'))).toEqual([]);
      expect(m.objects.calls).toEqual([]);
      expect(m.registry.registered).toEqual([]);
    },
    GENEROUS,
  );

  test(
    'a project that then fails validation (a Lambda name too long for a group) had its bucket read only: nothing written or registered',
    async () => {
      const project = makeSampleProject();
      // <group>_echo is over CodeDeploy's 64 characters: an error only the groups reveal.
      const m = memoryPorts(['g'.repeat(60)]);
      const err = await pushRevision(request(project.dir), m.ports, m.emit).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(UserError);
      expect(m.bundles.calls.filter((c) => !c.startsWith('describe'))).toEqual([]);
      expect(m.objects.calls).toEqual([]);
      expect(m.registry.registered).toEqual([]);
    },
    GENEROUS,
  );

  test(
    'an application CodeDeploy does not know is refused as before (the failed groups call and a failed bucket read are not what is reported)',
    async () => {
      const project = makeSampleProject();
      const m = memoryPorts(null);
      m.bundles.describe = async () => {
        throw new Error('AccessDenied (HTTP 403)');
      };
      const err = await pushRevision(request(project.dir), m.ports, m.emit).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toMatch(/CodeDeploy application "sample-app" does not exist/);
      expect(m.objects.calls).toEqual([]);
      expect(m.registry.registered).toEqual([]);
    },
    GENEROUS,
  );

  test(
    'the upload and the registration do not wait for what each group runs, yet the log shows the groups first',
    async () => {
      const project = makeSampleProject();
      const m = memoryPorts(['sample-prod', 'sample-dev']);
      let registeredFirst: boolean | null = null;
      // Answers only once the revision is registered: a push that waited for this answer before
      // registering would never end (the test's timeout).
      m.ports.running = {
        runningManifest: async (): Promise<RunningManifest> => {
          await m.registry.didRegister.promise;
          registeredFirst ??= m.registry.registered.length === 1;
          return { state: 'none' };
        },
      };
      const report = await pushRevision(request(project.dir), m.ports, m.emit);
      expect(registeredFirst).toBe(true);
      expect(report.groupDiffs.map((d) => d.group)).toEqual(['sample-prod', 'sample-dev']);
      const kinds = m.events.map((e) => e.kind);
      const last = (k: PushEvent['kind']) => kinds.lastIndexOf(k);
      const first = (k: PushEvent['kind']) => kinds.indexOf(k);
      // The same order as when each step waited for the one before.
      expect(last('dependency-conflicts')).toBeLessThan(first('group-diff'));
      expect(last('group-diff')).toBeLessThan(first('object-index'));
      expect(first('object-index')).toBeLessThan(first('bundle-stored'));
      expect(first('bundle-stored')).toBeLessThan(first('revision-registered'));
      expect(kinds.at(-1)).toBe('object-index');
    },
    GENEROUS,
  );

  test(
    'the registration (same commit again) and the first write (a new commit) are asked before the dependency conflicts are computed',
    async () => {
      const project = makeSampleProject();
      const m = memoryPorts();
      await pushRevision(request(project.dir), m.ports);
      // The conflict check is CPU work on the same thread: a write asked after it waits behind it.
      const kindsWhen: Record<string, PushEvent['kind'][]> = {};
      const seen = (what: string) => {
        kindsWhen[what] ??= m.events.map((e) => e.kind);
      };
      const register = m.registry.registerRevision.bind(m.registry);
      m.registry.registerRevision = async (...args) => {
        seen('register');
        return register(...args);
      };
      await pushRevision(request(project.dir), m.ports, m.emit);
      expect(kindsWhen.register).toBeDefined();
      expect(kindsWhen.register).not.toContain('dependency-conflicts');

      project.write('src/sample/added.clj', '(ns sample.added)');
      project.commit();
      m.events.length = 0;
      delete kindsWhen.register;
      const put = m.objects.put.bind(m.objects);
      m.objects.put = async (object) => {
        seen('put');
        return put(object);
      };
      m.bundles.beforeCreate = () => seen('create');
      const report = await pushRevision(request(project.dir), m.ports, m.emit);
      expect(report.uploaded.length).toBeGreaterThan(0);
      expect(kindsWhen.put).toBeDefined();
      expect(kindsWhen.put).not.toContain('dependency-conflicts');
      expect(kindsWhen.create).toBeDefined();
      expect(kindsWhen.register).toBeDefined();
      // The log's order is unchanged: the conflicts come before the upload's lines.
      const kinds = m.events.map((e) => e.kind);
      expect(kinds.indexOf('dependency-conflicts')).toBeLessThan(kinds.indexOf('object-index'));
      expect(kinds.indexOf('dependency-conflicts')).toBeLessThan(kinds.indexOf('bundle-stored'));
    },
    GENEROUS,
  );

  test(
    'a failed upload is reported after the group reports, and nothing is registered',
    async () => {
      const project = makeSampleProject();
      const m = memoryPorts();
      m.ports.running = { runningManifest: async (): Promise<RunningManifest> => ({ state: 'none' }) };
      m.objects.put = async () => {
        throw new Error('SlowDown (HTTP 503)');
      };
      const err = await pushRevision(request(project.dir), m.ports, m.emit).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      expect(m.registry.registered).toEqual([]);
      const kinds = m.events.map((e) => e.kind);
      expect(kinds.indexOf('group-diff')).toBeGreaterThan(-1);
      expect(kinds.indexOf('group-diff')).toBeLessThan(kinds.indexOf('object-index'));
    },
    GENEROUS,
  );
});
