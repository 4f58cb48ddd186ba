import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ClasspathContext } from '../classpath/classify-entry.js';
import { classifyClasspath } from './classpath-entries.js';
import { readProjectResources, validateProject } from './validate-project.js';
import { packEntries } from './pack-entries.js';
import { resolveClasspath, type CommandRunner } from '../classpath/resolve-classpath.js';
import { readGitState } from '../git/read-git-state.js';
import { decideRevision, unameProblem } from '../revision/decide-revision.js';
import { sha256Hex } from '../content/hash.js';
import { zipFiles } from '../content/deterministic-zip.js';
import type { ContentObject } from '../content/objects.js';
import { dedupeByKey, syncObjects, type ObjectStore, type SyncProgress } from '../content/sync.js';
import { bundleKey } from '../layout.js';
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

  // The application's groups are needed to check the Lambda proxy names, so CodeDeploy is asked
  // first (it needs only the app name, read without validating) and the project is validated once.
  const skipped: string[] = [];
  let groups: string[] | null = null;
  const resources = await readProjectResources(entries);
  const early = validateProject(resources, null);
  const appNameGuess = early.config?.appName ?? null;
  if (ports.registry && appNameGuess) {
    if (!(await ports.registry.applicationExists(appNameGuess))) {
      const message = `CodeDeploy application "${appNameGuess}" does not exist in this account and region: create it (infra/template.yaml does) or fix :app-name in datomic/ion-config.edn.`;
      if (!req.dryRun) throw new UserError(message);
      warnings.push({ severity: 'warning', message });
    } else {
      groups = await ports.registry.listDeploymentGroups(appNameGuess);
    }
  } else if (!ports.registry) {
    skipped.push('CodeDeploy checks (application exists, deployment groups): no AWS credentials');
  }
  const validation = groups ? validateProject(resources, groups) : early;
  const ionConfig = validation.config;
  if (validation.file) log.info(`Validated ${validation.file}: ${ionConfig ? 'ok' : `${validation.problems.filter((p) => p.severity === 'error').length} error(s)`}`);
  const problems: Problem[] = [...warnings, ...validation.problems];

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

  const packed = await log.group(`Hashing ${entries.length} classpath entries`, () => packEntries(entries, req.prefix, (m) => log.info(m)));
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

function progressLine(p: SyncProgress): string {
  const verb = p.phase === 'check' ? 'Checked' : 'Uploaded';
  return `${verb} ${p.done}/${p.total} objects (${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)})`;
}

function summarizeFailure(problems: readonly Problem[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  return `push found ${errors} problem${errors === 1 ? '' : 's'}; each is listed above with its file and line. Nothing was uploaded.`;
}
