/**
 * What the push core needs from the outside world, as narrow interfaces over plain data. The
 * adapters in src/aws/ implement the AWS ones with the SDK; the action (src/push/run.ts) builds the
 * environment record; tests can implement any of them with arrays and maps.
 */
import type { CommandRunner } from '../classpath/resolve-classpath.js';
import type { ObjectStore } from '../content/sync.js';
import type { ObjectIndexStore } from '../content/object-index.js';
import type { Manifest } from '../manifest/schema.js';

export type { CommandRunner } from '../classpath/resolve-classpath.js';
export type { ObjectStore } from '../content/sync.js';

/** A revision bundle as S3 holds it. */
export interface StoredBundle {
  /** The bundle's SHA-256 (hex) from its metadata, or null when it has none (not written by push). */
  sha256: string | null;
  /** CodeDeploy pins a registered revision to it. */
  eTag?: string;
}

/** The outcome of a create-only write: a key that already exists is never replaced. */
export type BundleCreation = { created: true; eTag?: string } | { created: false };

/**
 * Revision bundles, named by revision. A name means one thing forever, so the store only ever
 * creates: `create` must not replace an existing object (S3: PutObject with If-None-Match: *).
 */
export interface BundleStore {
  /** The stored bundle under this key, or null when there is none. */
  describe(key: string): Promise<StoredBundle | null>;
  /** The stored bundle's bytes (to read its manifest), or null when there is none. */
  read(key: string): Promise<Buffer | null>;
  /** Stores the bundle if, and only if, nothing is stored under the key yet. */
  create(key: string, data: Buffer, sha256: string): Promise<BundleCreation>;
}

export interface BundleLocation {
  bucket: string;
  key: string;
  eTag?: string;
}

/** What push needs from CodeDeploy. */
export interface RevisionRegistry {
  applicationExists(appName: string): Promise<boolean>;
  listDeploymentGroups(appName: string): Promise<string[]>;
  registerRevision(appName: string, location: BundleLocation, description: string): Promise<void>;
}

/**
 * The revision a deployment group runs now, as its manifest: `none` when the group has never had a
 * successful deployment of an S3 revision, `unreadable` when CodeDeploy or S3 could not tell (the
 * reason says why, in AWS's words: print it inert).
 */
export type RunningManifest =
  | { state: 'running'; manifest: Manifest; deploymentId: string }
  | { state: 'none' }
  | { state: 'unreadable'; reason: string };

/** What each deployment group runs now, for "what this revision changes" (read-only, never fails a push). */
export interface RunningRevisions {
  /** Never throws: a failure is `unreadable`. */
  runningManifest(appName: string, group: string): Promise<RunningManifest>;
}

/** Where tools.deps keeps what it downloads on this machine (absolute paths), passed in by the action. */
export interface PushEnvironment {
  /** The local Maven repository, `~/.m2/repository`. */
  mavenRepo: string;
  /** Where tools.deps checks out git deps: `$GITLIBS`, else `~/.gitlibs`. */
  gitlibs: string;
}

/** Everything push talks to. AWS parts are null when skipped (a dry run without credentials or without a bucket). */
export interface PushPorts {
  objects: ObjectStore | null;
  bundles: BundleStore | null;
  registry: RevisionRegistry | null;
  environment: PushEnvironment;
  /** What each group runs now; absent or null when not asked (no credentials): no revision diff then. */
  running?: RunningRevisions | null;
  /** The application's object index in the bucket (absent or null: every object is checked in S3, as before the index). */
  objectIndex?: ObjectIndexStore | null;
  /** Runs `clojure -Spath`; the default runs the real command. */
  runCommand?: CommandRunner;
}
