import type { ConflictGroup } from '../classpath/dependency-conflicts.js';
import type { SyncProgress } from '../content/sync.js';
import type { EntryKind } from '../manifest/schema.js';
import type { RevisionDiff } from '../revision/revision-diff.js';

/**
 * What this revision changes on one deployment group: against the revision it runs now
 * (`running`), or why there is nothing to compare with (`none`: never deployed; `unreadable`: the
 * reason, in AWS's words).
 */
export type GroupDiff = { group: string } & (
  | { state: 'running'; rev: string; deploymentId: string; diff: RevisionDiff }
  | { state: 'none' }
  | { state: 'unreadable'; reason: string }
);

/** The parts of a push that the log shows as collapsible groups. */
export type PushPhase = { phase: 'classpath' } | { phase: 'pack'; entries: number } | { phase: 'upload'; dryRun: boolean };

/**
 * Everything the push core reports while it works, in order, as plain data: the GitHub layer
 * (src/push/push-log.ts) turns these into log lines, the one place where the outside text they
 * carry (paths, origins, keys, names) is made inert. Tests collect them.
 */
export type PushEvent =
  | ({ kind: 'phase-started' } & PushPhase)
  | { kind: 'phase-ended'; phase: PushPhase['phase'] }
  | { kind: 'classpath-given' }
  | { kind: 'classpath-resolving'; aliases: string; projectDir: string }
  | { kind: 'classpath-entry'; entryKind: EntryKind; origin: string }
  | { kind: 'ion-config-validated'; file: string; errors: number }
  /** A line from packing (counts, sizes, rates). */
  | { kind: 'pack-note'; message: string }
  | { kind: 'sync-progress'; progress: SyncProgress }
  /**
   * The application's object index (docs/s3-layout.md): `found` (trusted: its objects are not asked
   * about), `none` yet, `ignored` (the reason: it is not used), or `written` after the registration.
   */
  | ({ kind: 'object-index'; bucket: string; key: string } & (
      | { state: 'found' | 'written'; objects: number }
      | { state: 'none' }
      | { state: 'ignored'; reason: string }
    ))
  /**
   * The bucket already holds this revision: `identical` bytes, or `kept` — the same manifest in a
   * bundle another version of ion-actions wrote (other instance hooks), which stays as it is.
   */
  | { kind: 'bundle-found'; bucket: string; key: string; objects: number; match: 'identical' | 'kept' }
  | { kind: 'bundle-stored'; bucket: string; key: string; uploaded: boolean }
  | { kind: 'revision-registered'; appName: string; rev: string }
  /** Namespaces and classes more than one classpath entry provides (empty: none); every one, for the log. */
  | { kind: 'dependency-conflicts'; groups: ConflictGroup[] }
  /** One per deployment group compared (see GroupDiff). */
  | { kind: 'group-diff'; diff: GroupDiff }
  /** Groups left out of the comparison (there are more than push asks about). */
  | { kind: 'group-diffs-skipped'; groups: number };

export type PushEmit = (event: PushEvent) => void;
