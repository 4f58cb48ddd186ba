import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { ClassifiedEntry, ClasspathContext } from '../classpath/classify-entry.js';
import { type ConflictGroup, conflictWarnings, findDependencyConflicts } from '../classpath/dependency-conflicts.js';
import { coordinateOf, readDepsCoordinates } from '../classpath/deps-coordinates.js';
import { resolveClasspath } from '../classpath/resolve-classpath.js';
import { zipFiles } from '../content/deterministic-zip.js';
import { sha256Hex } from '../content/hash.js';
import { type LoadedIndex, loadObjectIndex, mergeObjectIndex, objectIndexKey, serializeObjectIndex } from '../content/object-index.js';
import type { ContentObject } from '../content/objects.js';
import { dedupeByKey, type SyncProgress, syncObjects } from '../content/sync.js';
import { type BundleFile, loadInstanceHooks } from '../bundle/instance-hooks.js';
import { readBundleManifest } from '../deploy/bundle-manifest.js';
import { readGitState } from '../git/read-git-state.js';
import { declaredAppName, type IonConfig } from '../ion-config/validate.js';
import { bundleKey } from '../layout.js';
import { buildManifest, serializeManifest } from '../manifest/build-manifest.js';
import type { Manifest, ManifestEntry } from '../manifest/schema.js';
import { hasErrors, UserError, type Problem } from '../problems.js';
import { decideRevision, unameProblem } from '../revision/decide-revision.js';
import { diffManifests } from '../revision/revision-diff.js';
import { revisionConflictMessage, revisionDifferences } from '../revision/revision-identity.js';
import { classifyClasspath } from './classpath-entries.js';
import { disposePacked, disposePackedInBackground, packEntries, type PackedEntry, writeSkippedZips } from './pack-entries.js';
import type { GroupDiff, PushEmit, PushEvent, PushPhase } from './push-events.js';
import type { BundleStore, PushPorts, RunningManifest, StoredBundle } from './ports.js';
import { readProjectIonConfig, readProjectResources, validateProject } from './validate-project.js';

export interface PushRequest {
  /** Absolute path of the directory holding deps.edn. */
  projectDir: string;
  /** `-A` form (":a:b") or empty. */
  aliases: string;
  /** A ready classpath; empty means run `clojure -Spath`. */
  classpath: string;
  uname: string;
  /** Empty only in a dry run. */
  bucket: string;
  prefix: string;
  dryRun: boolean;
}

export interface PushedEntry extends ManifestEntry {
  /** Absolute path on this machine. */
  path: string;
}

export interface PushReport {
  rev: string;
  reproducible: boolean;
  appName: string;
  commit: string | null;
  /** Empty in a dry run without a bucket. */
  bucket: string;
  bundleKey: string;
  entries: PushedEntry[];
  uploaded: ContentObject[];
  reused: ContentObject[];
  /** True when this push stored the bundle (false: the bucket had this revision, or a dry run). */
  bundleUploaded: boolean;
  /** Deployment groups of the application, or null when CodeDeploy was not asked. */
  groups: string[] | null;
  manifest: Manifest;
  dryRun: boolean;
  /** What was not done and why (dry-run, no credentials, no bucket). */
  skipped: string[];
  /** Warnings to report (unknown ion-config keys, missing classpath entries, an unknown application in a dry run). */
  warnings: Problem[];
  /** What this revision changes on each deployment group compared (empty when CodeDeploy was not asked). */
  groupDiffs: GroupDiff[];
  /** Groups not compared because there were more than push asks about. */
  groupDiffsSkipped: number;
  /** Namespaces and classes more than one classpath entry provides, grouped by the entries. */
  conflicts: ConflictGroup[];
}

/**
 * push, in four phases sharing one problem list: validate the project (nothing is written unless
 * all of it is valid), pack it, upload every classpath entry content-addressed and then the bundle
 * (create-only: a revision name means one thing forever), and only then register the revision, so a
 * registered revision never names a missing object.
 */
export async function pushRevision(req: PushRequest, ports: PushPorts, emit: PushEmit = () => undefined): Promise<PushReport> {
  const problems: Problem[] = [];
  const skipped: string[] = [];
  // The action's own hook files, for the bundle: read while the project is (awaited by packPhase).
  const hooks = Promise.resolve().then(() => loadInstanceHooks());
  hooks.catch(() => undefined);
  const project = await validatePhase(req, ports, emit, problems, skipped);
  // Both only read and never fail the push; they overlap packing (what each group runs was asked
  // for as soon as validation knew the groups).
  const { running } = project;
  // deps.edn is read now (I/O, overlapping packing); the conflicts are computed only once the writes' requests are out.
  const coordinates = readDepsCoordinates(req.projectDir);
  coordinates.catch(() => undefined);
  const pack = await packPhase(req, project, emit, hooks);
  // The writes (upload, bundle, registration, index) start now, in their own order, while the
  // reports that the log shows before them (conflicts, what each group runs) are still being read
  // (a group's diff is up to three requests in a row). Their events are held until those reports
  // are out, so the log reads as if one followed the other.
  const held = heldEmit(emit);
  const writing = writePhases({ req, ports, emit: held.emit, project, pack, skipped });
  // Awaited below in every case; not an unhandled rejection meanwhile.
  writing.catch(() => undefined);
  let found: Awaited<ReturnType<typeof dependencyConflicts>>;
  let groupDiffs: GroupDiff[];
  try {
    // The conflict check is ~25 ms of CPU on 200 jars: the writes' first request (the registration
    // on a warm same-commit push, the first PUT otherwise) reaches its socket before it holds the thread.
    await letRequestsOut();
    found = await dependencyConflicts(req, project, coordinates);
    emit({ kind: 'dependency-conflicts', groups: found.groups });
    problems.push(...found.warnings);
    groupDiffs = await diffGroups(running, pack.manifest, emit, problems);
  } finally {
    held.open();
    // Directory zips were written to scratch files for the upload; nothing needs them afterwards
    // (after an upload that succeeded, writePhases has removed them already: then this does nothing).
    await writing.then(
      () => disposePacked(pack.packed),
      () => disposePacked(pack.packed),
    );
  }
  const { upload, indexProblem } = await writing;
  if (indexProblem) problems.push(indexProblem);

  return {
    rev: project.rev,
    reproducible: project.reproducible,
    appName: project.config.appName,
    commit: project.commit,
    bucket: req.bucket,
    bundleKey: pack.key,
    entries: pack.packed.map(({ entry, path }) => ({ ...entry, path })),
    uploaded: upload.uploaded,
    reused: upload.reused,
    bundleUploaded: upload.bundleUploaded,
    groups: project.groups,
    manifest: pack.manifest,
    dryRun: req.dryRun,
    skipped,
    warnings: problems.filter((p) => p.severity === 'warning'),
    groupDiffs,
    groupDiffsSkipped: running.skipped,
    conflicts: found.groups,
  };
}

/** What the writes work from: the request, the ports, the (held) event sink, the validated and packed project, and the list of what was skipped. */
interface WriteContext {
  req: PushRequest;
  ports: PushPorts;
  emit: PushEmit;
  project: ValidProject;
  pack: PackedProject;
  skipped: string[];
}

/**
 * Upload (objects, then the bundle), then (unless a dry run) the registration and the object index
 * at once: the index lists objects the upload found or stored, true from then on whatever the
 * registration's outcome, so it need not wait a round trip for it. Its line follows the registration's.
 */
async function writePhases(ctx: WriteContext): Promise<{ upload: Upload; indexProblem: Problem | null }> {
  const { req, ports, emit, project, pack, skipped } = ctx;
  const upload = await uploadPhase(ctx);
  // The directory zips were the upload's bodies, nothing else's: removed while the registration is in flight.
  const disposed = disposePackedInBackground(pack.packed);
  try {
    if (req.dryRun) {
      skipped.push('uploading the revision bundle and registering the revision: dry run');
      return { upload, indexProblem: null };
    }
    const registering = registerPhase(req, ports, emit, project, pack, upload.eTag);
    const indexSaved = saveObjectIndex(req, ports, pack, upload.index);
    let saved!: Awaited<typeof indexSaved>;
    try {
      await registering;
    } finally {
      // Never rejects; awaited either way, so no write is still in flight when push reports.
      saved = await indexSaved;
      if ('written' in saved) emit(saved.written);
    }
    return { upload, indexProblem: 'problem' in saved ? saved.problem : null };
  } finally {
    await disposed;
  }
}

/** Passes events on only once open() is called: those held until then first, in order, then every later one at once. */
function heldEmit(emit: PushEmit): { emit: PushEmit; open(): void } {
  let held: Parameters<PushEmit>[0][] | null = [];
  return {
    emit: (event) => {
      if (held) held.push(event);
      else emit(event);
    },
    open: () => {
      const events = held ?? [];
      held = null;
      for (const event of events) emit(event);
    },
  };
}

/** Groups compared at most: three calls each (CodeDeploy twice, S3 once), a few at a time. */
const MAX_DIFF_GROUPS = 20;
const DIFF_CONCURRENCY = 4;

type Running = { group: string; running: Promise<RunningManifest> }[];
type RunningAsk = { groups: Running; skipped: number };
const NOT_ASKED: RunningAsk = { groups: [], skipped: 0 };

/** What each group runs now, asked for at once; none without credentials, application or groups. */
function runningManifests(ports: PushPorts, appName: string | null, groups: readonly string[] | null): RunningAsk {
  const port = ports.running;
  if (!port || appName === null || groups === null) return NOT_ASKED;
  const limit = pLimit(DIFF_CONCURRENCY);
  const asked = groups.slice(0, MAX_DIFF_GROUPS).map((group) => ({
    group,
    // The port never throws; a bug that does still only costs the diff.
    running: limit(() => port.runningManifest(appName, group)).catch(
      (e: unknown): RunningManifest => ({ state: 'unreadable', reason: e instanceof Error ? e.message : String(e) }),
    ),
  }));
  return { groups: asked, skipped: groups.length - asked.length };
}

/** Each group's diff against this revision, emitted in group order; one that cannot be read is a warning, never a failure. */
async function diffGroups(running: RunningAsk, next: Manifest, emit: PushEmit, problems: Problem[]): Promise<GroupDiff[]> {
  const diffs: GroupDiff[] = [];
  for (const { group, running: pending } of running.groups) {
    const r = await pending;
    const diff: GroupDiff =
      r.state === 'running'
        ? { group, state: 'running', rev: r.manifest.rev, deploymentId: r.deploymentId, diff: diffManifests(r.manifest, next) }
        : { group, ...r };
    emit({ kind: 'group-diff', diff });
    diffs.push(diff);
    if (diff.state === 'unreadable') {
      problems.push({ severity: 'warning', message: `Cannot show what this revision changes on group ${group}: ${diff.reason}` });
    }
  }
  if (running.skipped > 0) emit({ kind: 'group-diffs-skipped', groups: running.skipped });
  return diffs;
}

/**
 * Namespaces and classes more than one classpath entry provides, and their warnings, located on
 * deps.edn where it names a dependency involved (else on its first line). Reading fails nothing.
 */
async function dependencyConflicts(
  req: PushRequest,
  project: ValidProject,
  reading: ReturnType<typeof readDepsCoordinates>,
): Promise<{ groups: ConflictGroup[]; warnings: Problem[] }> {
  try {
    const coordinates = await reading;
    const groups = findDependencyConflicts(project.entries.map((e, i) => ({ origin: e.origin, names: project.listings[i] ?? [] })));
    const file = join(req.projectDir, 'deps.edn');
    const warnings = conflictWarnings(groups, (g) => {
      for (const i of g?.at ?? []) {
        const at = coordinateOf(coordinates, project.entries[i]!);
        if (at) return { file, line: at.line, column: at.column };
      }
      return { file, line: 1 };
    });
    return { groups, warnings };
  } catch (e) {
    return {
      groups: [],
      warnings: [
        { severity: 'warning', message: `Could not check for dependency conflicts: ${e instanceof Error ? e.message : String(e)}` },
      ],
    };
  }
}

interface ValidProject {
  entries: ClassifiedEntry[];
  config: IonConfig;
  groups: string[] | null;
  rev: string;
  reproducible: boolean;
  commit: string | null;
  /** Every entry's file names, read once by validation (the namespace index) and reused by the conflict check. */
  listings: string[][];
  /** The bucket's reads started during validation (null: none). */
  prefetched: PrefetchedBucket | null;
  /** What each group runs, asked for as soon as the groups were known. */
  running: RunningAsk;
}

/** Runs `fn` between a phase's start and end events, the end even when it throws. */
async function inPhase<T>(emit: PushEmit, phase: PushPhase, fn: () => Promise<T>): Promise<T> {
  emit({ kind: 'phase-started', ...phase });
  try {
    return await fn();
  } finally {
    emit({ kind: 'phase-ended', phase: phase.phase });
  }
}

/** Classpath, ion-config, CodeDeploy application and revision name: every problem at once, or a UserError listing them. */
async function validatePhase(
  req: PushRequest,
  ports: PushPorts,
  emit: PushEmit,
  problems: Problem[],
  skipped: string[],
): Promise<ValidProject> {
  if (!existsSync(join(req.projectDir, 'deps.edn'))) {
    throw new UserError(`No deps.edn in ${req.projectDir}: set \`working-directory\` to the directory of your tools.deps project.`);
  }
  const classpath = await inPhase(emit, { phase: 'classpath' }, async () => {
    if (req.classpath) {
      emit({ kind: 'classpath-given' });
      return req.classpath;
    }
    emit({ kind: 'classpath-resolving', aliases: req.aliases, projectDir: req.projectDir });
    return resolveClasspath(req.projectDir, req.aliases, ports.runCommand);
  });

  const git = await readGitState(req.projectDir);
  const ctx: ClasspathContext = { projectDir: req.projectDir, repoRoot: git?.root ?? null, ...ports.environment };
  const entries = await classifyClasspath(classpath, ctx, problems);
  for (const e of entries) emit({ kind: 'classpath-entry', entryKind: e.kind, origin: e.origin });

  // The application's groups are needed to check the Lambda proxy names. ion-config is read first,
  // for its :app-name alone (declaredAppName): the reads that need only the name — CodeDeploy's
  // application and groups, then what each group runs, and the bucket's (see prefetchBucket) — go
  // out now and overlap reading the rest of the classpath. Only reads: a project that then fails
  // validation has written nothing.
  const ionConfig = await readProjectIonConfig(entries);
  const appName = ionConfig ? declaredAppName(ionConfig.text) : null;
  const asking = askApplicationGroups(req, ports, appName, skipped);
  const runningAsked = asking.groups.then(
    (groups) => runningManifests(ports, appName, groups),
    () => NOT_ASKED,
  );
  const decision = decideRevision(req.uname, git, entries);
  const prefetched = decision.ok && appName ? prefetchBucket(req, ports, appName, decision.rev) : null;
  if (appName && (ports.registry || prefetched)) await letRequestsOut();
  const resources = await readProjectResources(entries, req.projectDir, ionConfig);
  const early = validateProject(resources, null);
  // An invalid config is reported as it is, whatever CodeDeploy said of the name. The name read
  // early is the validated one (the same rule reads it); were it not, CodeDeploy is asked again.
  const validName = early.config?.appName ?? null;
  const asked = validName === null ? null : validName === appName ? asking : askApplicationGroups(req, ports, validName, []);
  const groups = asked ? await asked.groups : null;
  if (asked) problems.push(...asked.problems);
  const running = asked === asking ? await runningAsked : runningManifests(ports, validName, groups);
  const validation = groups ? validateProject(resources, groups) : early;
  problems.push(...validation.problems);
  if (validation.file)
    emit({ kind: 'ion-config-validated', file: validation.file, errors: validation.problems.filter((p) => p.severity === 'error').length });

  if (req.uname) {
    const bad = unameProblem(req.uname);
    if (bad) problems.push({ severity: 'error', message: bad });
  }
  if (!decision.ok) {
    for (const reason of decision.reasons) {
      problems.push({
        severity: 'error',
        message: `Unreproducible push: ${reason.message}. Commit it, or set \`uname\` to push it under an explicit name.`,
        file: reason.file,
      });
    }
  }
  if (hasErrors(problems) || !validation.config || !decision.ok) throw new UserError(summarizeFailure(problems), problems);
  return {
    entries,
    config: validation.config,
    groups,
    rev: decision.rev,
    reproducible: decision.reproducible,
    commit: decision.commit,
    listings: resources.listings,
    prefetched,
    running,
  };
}

/** The bucket's answers the upload phase starts from, asked for before packing (null: no bucket to ask). */
interface PrefetchedBucket {
  /** The stored bundle under the revision's key, or null; rejects with the error reading it. */
  described: Promise<StoredBundle | null>;
  /** The application's object index (never rejects: a failure is `ignored`). */
  index: Promise<LoadedIndex> | null;
  /** Where those were read, to check they are the ones the upload needs. */
  key: string;
}

/**
 * The two reads the upload phase starts with, the revision bundle's HeadObject and the object
 * index's GetObject, need only the application and the revision's name: they are started as soon as
 * those are known, so they overlap the CodeDeploy calls and packing instead of following them. Only
 * reads: a push that then fails validation has written nothing. Their answers are awaited (and their
 * events emitted) where the upload phase used to ask, so the log reads as before.
 */
function prefetchBucket(req: PushRequest, ports: PushPorts, appName: string, rev: string): PrefetchedBucket | null {
  const { bundles } = ports;
  if (!bundles) return null;
  const key = bundleKey(req.prefix, appName, rev);
  const described = bundles.describe(key);
  // Awaited later, or never when validation fails: not an unhandled rejection meanwhile.
  described.catch(() => undefined);
  const index =
    ports.objectIndex && ports.objects
      ? loadObjectIndex(ports.objectIndex, objectIndexKey(req.prefix, appName), req.prefix, appName)
      : null;
  return { described, index, key };
}

/**
 * A few turns of the event loop, so requests just started reach their sockets before the
 * synchronous reading that follows holds the loop: the AWS SDK resolves, signs and connects over
 * several turns (two for a warm client, four for a first request, measured on Node 20), and a
 * request still queued behind 50 ms of file reading waits those 50 ms before its round trip starts.
 */
async function letRequestsOut(turns = 4): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** applicationGroups, started: its answer (not an unhandled rejection while unawaited) and the problems it adds. */
function askApplicationGroups(
  req: PushRequest,
  ports: PushPorts,
  appName: string | null,
  skipped: string[],
): { groups: Promise<string[] | null>; problems: Problem[] } {
  const problems: Problem[] = [];
  const groups = applicationGroups(req, ports, appName, problems, skipped);
  groups.catch(() => undefined);
  return { groups, problems };
}

/** The application's deployment groups, or null when CodeDeploy is not asked or does not know the application (a dry run only warns). */
async function applicationGroups(
  req: PushRequest,
  ports: PushPorts,
  appName: string | null,
  problems: Problem[],
  skipped: string[],
): Promise<string[] | null> {
  if (!ports.registry) {
    skipped.push('CodeDeploy checks (application exists, deployment groups): no AWS credentials');
    return null;
  }
  if (!appName) return null;
  // Both at once (one round trip instead of two): the groups are only used when the application exists.
  const registry = ports.registry;
  const listing = registry.listDeploymentGroups(appName);
  listing.catch(() => undefined);
  if (await registry.applicationExists(appName)) return listing;
  const message = `CodeDeploy application "${appName}" does not exist in this account and region: create it (infra/template.yaml does) or fix :app-name in datomic/ion-config.edn.`;
  if (!req.dryRun) throw new UserError(message);
  problems.push({ severity: 'warning', message });
  return null;
}

interface PackedProject {
  packed: PackedEntry[];
  manifest: Manifest;
  bundle: Buffer;
  bundleSha: string;
  key: string;
}

/** Jars hashed, directories zipped, the manifest and the bundle built: everything in memory, nothing written. */
async function packPhase(req: PushRequest, project: ValidProject, emit: PushEmit, hooks: Promise<BundleFile[]>): Promise<PackedProject> {
  const key = bundleKey(req.prefix, project.config.appName, project.rev);
  // The index the upload will start from (the one read early, when it is for this revision's application):
  // a directory unchanged since a push on this machine whose zip it lists is not zipped again.
  const index = project.prefetched?.key === key ? project.prefetched.index : null;
  const inBucket = index
    ? async (objectKey: string, content: { sha256: string; size: number }) => {
        const loaded = await index;
        const listed = 'entries' in loaded ? loaded.entries.get(objectKey) : undefined;
        return listed?.sha256 === content.sha256 && listed.size === content.size;
      }
    : undefined;
  const packed = await inPhase(emit, { phase: 'pack', entries: project.entries.length }, () =>
    packEntries(project.entries, req.prefix, (message) => emit({ kind: 'pack-note', message }), { inBucket }),
  );
  const manifest = buildManifest({
    appName: project.config.appName,
    rev: project.rev,
    bucket: req.bucket,
    commit: project.commit,
    reproducible: project.reproducible,
    // A given classpath was resolved elsewhere: push does not know its aliases.
    aliases: req.classpath ? '' : req.aliases,
    classpath: packed.map(({ entry }) => entry),
    ionConfig: project.config,
  });
  const bundle = await zipFiles([{ name: 'ion-manifest.json', data: serializeManifest(manifest) }, ...(await hooks)]);
  return { packed, manifest, bundle, bundleSha: sha256Hex(bundle), key };
}

interface Upload {
  uploaded: ContentObject[];
  reused: ContentObject[];
  bundleUploaded: boolean;
  /** The stored bundle's ETag, for the registration. */
  eTag?: string;
  /** The object index as read before the upload (null: not asked, no index port). */
  index: LoadedIndex | null;
}

/**
 * Objects first, then the bundle that names them, so a bundle in the bucket proves its objects are
 * there too: a repeated push costs one HeadObject instead of one per entry. An existing bundle with
 * other content is never replaced (see revision-identity.ts); the push stops before uploading.
 */
async function uploadPhase({ req, ports, emit, project, pack, skipped }: WriteContext): Promise<Upload> {
  const objects = pack.packed.map(({ object }) => object);
  const { bundles } = ports;
  // The index is read while the bundle is looked up: one round trip for both, started during validation when it could be.
  const early = project.prefetched?.key === pack.key ? project.prefetched : null;
  const [described, index] = await Promise.all([
    early ? early.described : (bundles?.describe(pack.key) ?? null),
    readObjectIndex(req, ports, emit, pack, early?.index),
  ]);
  const known = index && 'entries' in index ? index.entries : new Map();
  const onProgress = (progress: SyncProgress) => emit({ kind: 'sync-progress', progress });
  const stored = bundles ? await storedRevision(bundles, req, pack, described) : null;
  if (stored) {
    let reused = dedupeByKey(objects);
    let uploaded: ContentObject[] = [];
    emit({ kind: 'bundle-found', bucket: req.bucket, key: pack.key, objects: reused.length, match: stored.match });
    // Objects the index does not list are checked, and uploaded if missing: after a deploy found
    // one missing, deleting the index and pushing the revision again repairs it.
    const store = ports.objects;
    if (store && index && !req.dryRun && reused.some((o) => !known.has(o.key))) {
      await writeSkippedZips(pack.packed, (o) => !known.has(o.key));
      ({ uploaded, reused } = await inPhase(emit, { phase: 'upload', dryRun: false }, () =>
        syncObjects(store, objects, { known, checkFirst: true, onProgress }),
      ));
    }
    if (!req.dryRun) emit({ kind: 'bundle-stored', bucket: req.bucket, key: pack.key, uploaded: false });
    return { uploaded, reused, bundleUploaded: false, eTag: stored.eTag, index };
  }

  let uploaded: ContentObject[] = [];
  let reused: ContentObject[] = [];
  if (ports.objects) {
    const store = ports.objects;
    // With an index (or none yet: a first push) objects it does not list are most likely missing,
    // so each goes straight to a create-only write; an unreadable index means checking each first.
    const checkFirst = !index || 'ignored' in index;
    await writeSkippedZips(pack.packed, (o) => !known.has(o.key));
    ({ uploaded, reused } = await inPhase(emit, { phase: 'upload', dryRun: req.dryRun }, () =>
      syncObjects(store, objects, { dryRun: req.dryRun, known, checkFirst, onProgress }),
    ));
  } else {
    // Without credentials every AWS port is null; with them, S3's are null only when no bucket was given.
    skipped.push(`S3 existence checks and uploads: ${ports.registry ? 'no bucket given' : 'no AWS credentials'}`);
  }
  if (req.dryRun) return { uploaded, reused, bundleUploaded: false, index };

  if (!bundles) throw new Error('push needs S3 and CodeDeploy access unless dry-run is set');
  const created = await bundles.create(pack.key, pack.bundle, pack.bundleSha);
  if (created.created) {
    emit({ kind: 'bundle-stored', bucket: req.bucket, key: pack.key, uploaded: true });
    return { uploaded, reused, bundleUploaded: true, eTag: created.eTag, index };
  }
  // Another push stored this revision since we looked: fine if it is the same, refused if not.
  const raced = await storedRevision(bundles, req, pack, await bundles.describe(pack.key));
  if (!raced) throw new Error(`internal: s3://${req.bucket}/${pack.key} refused a create-only write but does not exist`);
  emit({ kind: 'bundle-stored', bucket: req.bucket, key: pack.key, uploaded: false });
  return { uploaded, reused, bundleUploaded: false, eTag: raced.eTag, index };
}

/** The application's object index (src/core/content/object-index.ts), reported; null without an index port or object store. */
async function readObjectIndex(
  req: PushRequest,
  ports: PushPorts,
  emit: PushEmit,
  pack: PackedProject,
  prefetched?: Promise<LoadedIndex> | null,
): Promise<LoadedIndex | null> {
  if (!ports.objectIndex || !ports.objects) return null;
  const key = objectIndexKey(req.prefix, pack.manifest.appName);
  const index = await (prefetched ?? loadObjectIndex(ports.objectIndex, key, req.prefix, pack.manifest.appName));
  const at = { kind: 'object-index', bucket: req.bucket, key } as const;
  if ('entries' in index) emit({ ...at, state: 'found', objects: index.entries.size });
  else if ('none' in index) emit({ ...at, state: 'none' });
  else emit({ ...at, state: 'ignored', reason: index.ignored });
  return index;
}

/**
 * Once the objects and the bundle are stored: the index becomes this revision's objects (each one
 * found or stored by this push) followed by the ones the index listed. A failed write costs the next
 * push requests, never correctness: a warning. Never rejects; `written` is the event to log.
 */
async function saveObjectIndex(
  req: PushRequest,
  ports: PushPorts,
  pack: PackedProject,
  index: LoadedIndex | null,
): Promise<{ written: PushEvent } | { problem: Problem } | { nothing: true }> {
  if (!ports.objectIndex || !index) return { nothing: true };
  const next = mergeObjectIndex(pack.manifest.classpath, 'entries' in index ? index.entries : null);
  if (!next) return { nothing: true };
  const key = objectIndexKey(req.prefix, pack.manifest.appName);
  try {
    await ports.objectIndex.write(key, serializeObjectIndex(pack.manifest.appName, next));
  } catch (err) {
    return {
      problem: {
        severity: 'warning',
        message: `Could not update the object index s3://${req.bucket}/${key} (${err instanceof Error ? err.message : String(err)}): the revision is pushed, but the next push will check every object again. Allow s3:PutObject on that key.`,
      },
    };
  }
  return { written: { kind: 'object-index', bucket: req.bucket, key, state: 'written', objects: next.length } };
}

/**
 * The stored revision when it is this one: `identical` bytes, or `kept` — the same manifest in a
 * bundle with other instance hooks (written by another version of ion-actions), which stays as it
 * is. Null when nothing is stored. Throws a UserError saying what differs when it is another revision.
 */
async function storedRevision(
  bundles: BundleStore,
  req: PushRequest,
  pack: PackedProject,
  existing: StoredBundle | null,
): Promise<{ match: 'identical' | 'kept'; eTag?: string } | null> {
  if (!existing) return null;
  if (existing.sha256 === pack.bundleSha) return { match: 'identical', eTag: existing.eTag };
  const bytes = await bundles.read(pack.key);
  if (!bytes) return null;
  const location = `s3://${req.bucket}/${pack.key}`;
  let manifest: Manifest;
  try {
    manifest = await readBundleManifest(bytes);
  } catch (err) {
    throw new UserError(revisionConflictMessage({ rev: pack.manifest.rev, location, differences: [], unreadable: (err as Error).message }));
  }
  const differences = revisionDifferences(manifest, pack.manifest);
  if (differences.length > 0) throw new UserError(revisionConflictMessage({ rev: pack.manifest.rev, location, differences }));
  return { match: 'kept', eTag: existing.eTag };
}

async function registerPhase(
  req: PushRequest,
  ports: PushPorts,
  emit: PushEmit,
  project: ValidProject,
  pack: PackedProject,
  eTag: string | undefined,
): Promise<void> {
  if (!ports.registry) throw new Error('push needs S3 and CodeDeploy access unless dry-run is set');
  const appName = project.config.appName;
  const description = `ion-actions ${project.rev}${project.reproducible ? '' : ' (unreproducible)'}`;
  await ports.registry.registerRevision(appName, { bucket: req.bucket, key: pack.key, eTag }, description);
  emit({ kind: 'revision-registered', appName, rev: project.rev });
}

function summarizeFailure(problems: readonly Problem[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  return `push found ${errors} problem${errors === 1 ? '' : 's'}; each is listed above with its file and line. Nothing was uploaded.`;
}
