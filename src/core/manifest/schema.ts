/**
 * The revision manifest (`ion-manifest.json` at the root of every revision bundle).
 * Versioned and documented in docs/manifest.md; the instance hooks and the deploy action read it.
 */
export const MANIFEST_FORMAT = 'ion-actions/manifest';
export const MANIFEST_VERSION = 1;
export const MANIFEST_FILE = 'ion-manifest.json';

export type EntryKind = 'maven' | 'git' | 'project' | 'local';

export interface ManifestEntry {
  /** S3 key of the content-addressed object, relative to the bucket. */
  key: string;
  /** Lower-case hex SHA-256 of the object's bytes (the jar, or the directory's deterministic zip). */
  sha256: string;
  size: number;
  kind: EntryKind;
  /** 'jar': put the file itself on the classpath; 'dir': unpack the zip into a directory. */
  packaging: 'jar' | 'dir';
  /** Where the entry came from: maven coordinates, git lib, or the path inside the repository. */
  origin: string;
}

export interface ManifestLambda {
  /** The `:lambdas` key, without the colon. */
  name: string;
  /** Qualified symbol, `ns/name`. */
  fn: string;
  description: string;
  timeoutSecs: number;
  /** null means `:none`. */
  concurrencyLimit: number | null;
  integration: 'api-gateway/proxy' | null;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  appName: string;
  rev: string;
  /** The bucket holding the bundle and every classpath object (keys below are in it). */
  bucket: string;
  /** HEAD commit SHA, or null outside a git repository. */
  commit: string | null;
  reproducible: boolean;
  /**
   * The tools.deps aliases the classpath was resolved with (`-A`), as keywords without the colon
   * (`["prod", "my/ion"]`); empty when none, or when the `classpath` input was given. Absent in
   * manifests written before push recorded it.
   */
  aliases?: string[];
  /** In classpath order. */
  classpath: ManifestEntry[];
  lambdas: ManifestLambda[];
  /** ion-config as JSON: keywords and symbols as strings without the colon (`app-name`, `my.ns/f`). */
  ionConfig: Record<string, unknown>;
}
