import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import pLimit from 'p-limit';
import { classifyEntry, type ClassifiedEntry, type ClasspathContext } from '../classpath/classify-entry.js';
import { resolveClasspath, type CommandRunner } from '../classpath/resolve-classpath.js';
import { readGitState } from '../git/read-git-state.js';
import { decideRevision, unameProblem } from '../revision/decide-revision.js';
import { findIonConfig, indexNamespaces } from '../ion-config/classpath-resources.js';
import { validateIonConfig, type IonConfig } from '../ion-config/validate.js';
import { sha256FileSync, sha256Hex } from '../content/hash.js';
import { zipDirectory, zipFiles } from '../content/deterministic-zip.js';
import type { ContentObject } from '../content/objects.js';
import { dedupeByKey, syncObjects, type ObjectStore, type SyncProgress } from '../content/sync.js';
import { bundleKey, objectKey } from '../layout.js';
import { buildManifest, serializeManifest } from '../manifest/build-manifest.js';
import type { Manifest, ManifestEntry } from '../manifest/schema.js';
import { loadInstanceHooks } from '../bundle/instance-hooks.js';
import { hasErrors, UserError, type Problem } from '../problems.js';
import { formatBytes } from '../format-bytes.js';
import type { RevisionRegistry } from '../../aws/codedeploy-revisions.js';
import type { BundleStore } from '../../aws/s3-bundle-store.js';

export interface PushRequest {
  /** Absolute path of the directory holding deps.edn. */
  projectDir: string;
  /** `-A` form (":a:b") or empty. */
  aliases: string;
  /** A ready classpath; empty means run `clojure -Spath`. */
  classpath: string;
  uname: string;
  bucket: string;
  prefix: string;
  dryRun: boolean;
}

/** AWS access; null parts are skipped (dry-run without credentials). */
export interface PushPorts {
  objects: ObjectStore | null;
  bundles: BundleStore | null;
  registry: RevisionRegistry | null;
  log: PushLog;
  runCommand?: CommandRunner;
}

export interface PushLog {
  info(message: string): void;
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
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
  bucket: string;
  bundleKey: string;
  entries: PushedEntry[];
  uploaded: ContentObject[];
  reused: ContentObject[];
  bundleUploaded: boolean;
  /** Deployment groups of the application, or null when CodeDeploy was not asked. */
  groups: string[] | null;
  manifest: Manifest;
  dryRun: boolean;
  /** What was not done and why (dry-run, no credentials). */
  skipped: string[];
  /** Warnings to report (unknown ion-config keys, missing classpath entries). */
  warnings: Problem[];
}

/**
 * push: validate the project, upload every classpath entry content-addressed, then the bundle, and
 * only then register the revision, so a registered revision never names a missing object.
 */
export async function pushRevision(req: PushRequest, ports: PushPorts): Promise<PushReport> {
  const { log } = ports;
  const depsEdn = join(req.projectDir, 'deps.edn');
  if (!existsSync(depsEdn)) {
    throw new UserError(`No deps.edn in ${req.projectDir}: set \`working-directory\` to the directory of your tools.deps project.`);
  }

  const classpath = await log.group('Classpath', async () => {
    if (req.classpath) {
      log.info('Using the classpath from the `classpath` input.');
      return req.classpath;
    }
    log.info(`Running clojure -Spath${req.aliases ? ` -A${req.aliases}` : ''} in ${req.projectDir}`);
    return resolveClasspath(req.projectDir, req.aliases, ports.runCommand);
  });

  const git = await readGitState(req.projectDir);
  const ctx: ClasspathContext = {
    projectDir: req.projectDir,
    repoRoot: git?.root ?? null,
    mavenRepo: join(homedir(), '.m2', 'repository'),
    gitlibs: process.env.GITLIBS || join(homedir(), '.gitlibs'),
  };
  const warnings: Problem[] = [];
  const entries = await classifyClasspath(classpath, ctx, warnings);
  for (const e of entries) log.info(`${e.kind.padEnd(7)} ${e.origin}`);

  const problems: Problem[] = [...warnings];
  const ionConfig = await validateProject(entries, null, problems, log);

  if (req.uname) {
    const bad = unameProblem(req.uname);
    if (bad) problems.push({ severity: 'error', message: bad });
  }
  const decision = decideRevision(req.uname, git, entries);
  if (!decision.ok) {
    for (const reason of decision.reasons) {
      problems.push({ severity: 'error', message: `Unreproducible push: ${reason.message}. Commit it, or set \`uname\` to push it under an explicit name.`, file: reason.file });
    }
  }
  if (hasErrors(problems) || !ionConfig || !decision.ok) {
    throw new UserError(summarizeFailure(problems), problems);
  }
  const appName = ionConfig.appName;
  const skipped: string[] = [];

  let groups: string[] | null = null;
  if (ports.registry) {
    if (!(await ports.registry.applicationExists(appName))) {
      const message = `CodeDeploy application "${appName}" does not exist in this account and region: create it (infra/template.yaml does) or fix :app-name in datomic/ion-config.edn.`;
      if (!req.dryRun) throw new UserError(message);
      warnings.push({ severity: 'warning', message });
    } else {
      groups = await ports.registry.listDeploymentGroups(appName);
      const groupProblems: Problem[] = [];
      await validateProject(entries, groups, groupProblems, log, true);
      problems.push(...groupProblems.filter((p) => p.severity === 'error'));
      if (hasErrors(problems)) throw new UserError(summarizeFailure(problems), problems);
    }
  } else {
    skipped.push('CodeDeploy checks (application exists, deployment groups): no AWS credentials');
  }

  const packed = await log.group(`Hashing ${entries.length} classpath entries`, () => packEntries(entries, req.prefix, log));
  const manifest = buildManifest({
    appName,
    rev: decision.rev,
    bucket: req.bucket,
    commit: decision.commit,
    reproducible: decision.reproducible,
    classpath: packed.map(({ entry }) => entry),
    ionConfig,
  });
  const hooks = await loadInstanceHooks();
  const bundle = await zipFiles([{ name: 'ion-manifest.json', data: serializeManifest(manifest) }, ...hooks]);
  const bundleSha = sha256Hex(bundle);
  const key = bundleKey(req.prefix, appName, decision.rev);

  // Objects go up before the bundle that names them, so an identical bundle already in the bucket
  // proves every object is there too: a repeated push costs one request instead of one per entry.
  const existingBundle = ports.bundles ? await ports.bundles.describe(key) : null;
  const bundleUnchanged = existingBundle !== null && existingBundle.sha256 === bundleSha;
  const objects = packed.map(({ object }) => object);
  let uploaded: ContentObject[] = [];
  let reused: ContentObject[] = [];
  if (bundleUnchanged) {
    reused = dedupeByKey(objects);
    log.info(`s3://${req.bucket}/${key} already holds this exact revision, so the bucket has all ${reused.length} objects it names.`);
  } else if (ports.objects) {
    ({ uploaded, reused } = await log.group(req.dryRun ? 'Checking what the bucket has (dry run)' : 'Uploading', () =>
      syncObjects(ports.objects!, objects, { dryRun: req.dryRun, onProgress: (p) => log.info(progressLine(p)) }),
    ));
  } else {
    skipped.push('S3 existence checks and uploads: no AWS credentials');
  }

  let bundleUploaded = false;
  if (req.dryRun) {
    skipped.push('uploading the revision bundle and registering the revision: dry run');
  } else {
    if (!ports.bundles || !ports.registry) throw new Error('push needs S3 and CodeDeploy access unless dry-run is set');
    let eTag = existingBundle?.eTag;
    if (!bundleUnchanged) {
      eTag = await ports.bundles.put(key, bundle, bundleSha);
      bundleUploaded = true;
    }
    log.info(`${bundleUploaded ? 'Uploaded' : 'Reused'} revision bundle s3://${req.bucket}/${key}`);
    await ports.registry.registerRevision(appName, { bucket: req.bucket, key, eTag }, `ion-actions ${decision.rev}${decision.reproducible ? '' : ' (unreproducible)'}`);
    log.info(`Registered revision ${decision.rev} of CodeDeploy application ${appName}`);
  }

  return {
    rev: decision.rev,
    reproducible: decision.reproducible,
    appName,
    commit: decision.commit,
    bucket: req.bucket,
    bundleKey: key,
    entries: packed.map(({ entry, path }) => ({ ...entry, path })),
    uploaded,
    reused,
    bundleUploaded,
    groups,
    manifest,
    dryRun: req.dryRun,
    skipped,
    warnings: problems.filter((p) => p.severity === 'warning'),
  };
}

async function classifyClasspath(classpath: string, ctx: ClasspathContext, warnings: Problem[]): Promise<ClassifiedEntry[]> {
  const raws = [...new Set(classpath.split(delimiter).map((s) => s.trim()).filter((s) => s !== ''))];
  const stats = await Promise.all(raws.map((raw) => stat(resolve(ctx.projectDir, raw)).catch(() => null)));
  const entries: ClassifiedEntry[] = [];
  raws.forEach((raw, i) => {
    const st = stats[i];
    // The JVM ignores classpath entries that do not exist (e.g. an empty `resources`), so do we.
    if (!st) warnings.push({ severity: 'warning', message: `classpath entry ${raw} does not exist; skipped` });
    else entries.push(classifyEntry(raw, st.isDirectory(), ctx));
  });
  return entries;
}

/** Finds and validates datomic/ion-config.edn; adds problems; returns the config when valid. */
async function validateProject(
  entries: readonly ClassifiedEntry[],
  groups: readonly string[] | null,
  problems: Problem[],
  log: PushLog,
  quiet = false,
): Promise<IonConfig | null> {
  const roots = entries.map((e) => ({ path: e.path, isDirectory: e.packaging === 'dir' }));
  const found = await findIonConfig(roots);
  if (!found) {
    problems.push({
      severity: 'error',
      message: 'No datomic/ion-config.edn in any classpath directory: create resources/datomic/ion-config.edn with at least {:app-name "my-app"} and make sure "resources" is in :paths.',
    });
    return null;
  }
  const namespaces = await indexNamespaces(roots, {
    onSkipped: (path, reason) => problems.push({ severity: 'warning', message: `could not read ${path} (${reason}); its namespaces are not checked` }),
  });
  const { config, problems: found2 } = validateIonConfig(found.text, found.file, { namespaces, groups: groups ?? undefined });
  if (!quiet) log.info(`Validated ${found.file}: ${config ? 'ok' : `${found2.filter((p) => p.severity === 'error').length} error(s)`}`);
  problems.push(...found2);
  return config;
}

interface PackedEntry {
  entry: ManifestEntry;
  object: ContentObject;
  path: string;
}

/**
 * Jars are hashed as they are; directories become deterministic zips, hashed. The two run as
 * separate phases so the log can report the hashing rate on its own (bench/push.ts reads it).
 */
async function packEntries(entries: readonly ClassifiedEntry[], prefix: string, log: PushLog): Promise<PackedEntry[]> {
  const limit = pLimit(4);
  const packOne = async (e: ClassifiedEntry): Promise<PackedEntry> => {
    let content: { sha256: string; size: number };
    let body: ContentObject['body'];
    if (e.packaging === 'jar') {
      content = sha256FileSync(e.path);
      body = { path: e.path };
    } else {
      const data = await zipDirectory(e.path);
      content = { sha256: sha256Hex(data), size: data.length };
      body = { data };
    }
    const key = objectKey(prefix, content.sha256, e.packaging);
    return {
      entry: { key, sha256: content.sha256, size: content.size, kind: e.kind, packaging: e.packaging, origin: e.origin },
      object: { key, sha256: content.sha256, size: content.size, body },
      path: e.path,
    };
  };
  const phase = async (kind: 'jar' | 'dir') => {
    const started = Date.now();
    const done = await Promise.all(entries.filter((e) => e.packaging === kind).map((e) => limit(() => packOne(e))));
    const bytes = done.reduce((n, p) => n + p.entry.size, 0);
    const what = kind === 'jar' ? `Hashed ${done.length} jars` : `Zipped and hashed ${done.length} directories`;
    log.info(`${what} (${formatBytes(bytes)}) in ${Date.now() - started} ms`);
    return done;
  };
  const byPath = new Map([...(await phase('dir')), ...(await phase('jar'))].map((p) => [p.path, p]));
  return entries.map((e) => byPath.get(e.path)!);
}

function progressLine(p: SyncProgress): string {
  const verb = p.phase === 'check' ? 'Checked' : 'Uploaded';
  return `${verb} ${p.done}/${p.total} objects (${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)})`;
}

function summarizeFailure(problems: readonly Problem[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  return `push found ${errors} problem${errors === 1 ? '' : 's'}; each is listed above with its file and line. Nothing was uploaded.`;
}
