import type { SyncProgress } from '../content/sync.js';
import type { EntryKind } from '../manifest/schema.js';

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
   * The bucket already holds this revision: `identical` bytes, or `kept` — the same manifest in a
   * bundle another version of ion-actions wrote (other instance hooks), which stays as it is.
   */
  | { kind: 'bundle-found'; bucket: string; key: string; objects: number; match: 'identical' | 'kept' }
  | { kind: 'bundle-stored'; bucket: string; key: string; uploaded: boolean }
  | { kind: 'revision-registered'; appName: string; rev: string };

export type PushEmit = (event: PushEvent) => void;
