import { bundleKey, objectKey } from '../layout.js';

/**
 * The object index: one small JSON document per application in the bucket, listing content keys
 * (with size and SHA-256) that a push which COMPLETED found or stored, so the next push asks S3
 * nothing about them (docs/s3-layout.md, "The object index"). Only ever a hint to skip requests:
 * a missing, garbled, oversize or foreign index is ignored (every object is checked or created as
 * if there were none), never half-trusted.
 *
 * What makes it safe: objects are immutable and never deleted by push, and an index only ever
 * lists objects that existed when a push that wrote it completed. Two pushes that rewrite it at
 * once may drop each other's additions (the last write wins); every version still lists only
 * objects that exist, so the loss costs requests, never correctness.
 */
export const OBJECT_INDEX_FORMAT = 'ion-actions/object-index';
export const OBJECT_INDEX_VERSION = 1;
/** Keys kept: this push's first, then earlier ones, newest push first. ~120 bytes each in JSON. */
export const OBJECT_INDEX_MAX_ENTRIES = 10_000;
/** An index larger than this is not read (10,000 entries take about 1.3 MB). */
export const OBJECT_INDEX_MAX_BYTES = 4 * 1024 * 1024;

/** A content-addressed object an index lists. */
export interface IndexedObject {
  key: string;
  sha256: string;
  size: number;
}

/** Where the index of one application lives (beside its revision bundles, which the workflow role may write). */
export const objectIndexKey = (prefix: string, appName: string): string =>
  bundleKey(prefix, appName, 'object-index').replace(/\.zip$/, '.json');

/** The index's bytes as the store holds them: null when there is none, `tooLarge` when it is over the limit (not read). */
export type StoredIndex = { data: Buffer } | { tooLarge: number } | null;

/** Where the index is kept (S3: src/aws/s3-object-index.ts). Plain, mutable objects: the last write wins. */
export interface ObjectIndexStore {
  read(key: string, maxBytes: number): Promise<StoredIndex>;
  write(key: string, data: Buffer): Promise<void>;
}

/** A trusted index by key, or why it was not trusted (for a log line). `none`: there is no index yet. */
export type LoadedIndex = { entries: Map<string, IndexedObject> } | { none: true } | { ignored: string };

/** Reads and validates the index; never throws (a read failure is a reason to ignore it). */
export async function loadObjectIndex(store: ObjectIndexStore, key: string, prefix: string, appName: string): Promise<LoadedIndex> {
  let stored: StoredIndex;
  try {
    stored = await store.read(key, OBJECT_INDEX_MAX_BYTES);
  } catch (err) {
    return { ignored: `it could not be read (${err instanceof Error ? err.message : String(err)})` };
  }
  if (stored === null) return { none: true };
  if ('tooLarge' in stored) return { ignored: `it holds ${stored.tooLarge} bytes, over the ${OBJECT_INDEX_MAX_BYTES}-byte limit` };
  const parsed = parseObjectIndex(stored.data, prefix, appName);
  if ('problem' in parsed) return { ignored: parsed.problem };
  return { entries: new Map(parsed.objects.map((o) => [o.key, o])) };
}

/**
 * The index document's objects, or what is wrong with it. Every entry must be a content key under
 * this prefix whose name carries its own SHA-256; one bad entry rejects the whole document (an
 * index that lies about one key is not trusted about the others).
 */
export function parseObjectIndex(data: Buffer, prefix: string, appName: string): { objects: IndexedObject[] } | { problem: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(data.toString('utf8'));
  } catch {
    return { problem: 'it is not JSON' };
  }
  if (!isRecord(doc) || doc.format !== OBJECT_INDEX_FORMAT) return { problem: `it is not an ${OBJECT_INDEX_FORMAT} document` };
  if (doc.version !== OBJECT_INDEX_VERSION) return { problem: `its version is not ${OBJECT_INDEX_VERSION}` };
  if (doc.appName !== appName) return { problem: 'it belongs to another application' };
  if (!Array.isArray(doc.objects)) return { problem: 'it has no objects list' };
  if (doc.objects.length > OBJECT_INDEX_MAX_ENTRIES) return { problem: `it lists more than ${OBJECT_INDEX_MAX_ENTRIES} objects` };
  const pattern = contentKeyPattern(prefix);
  const objects: IndexedObject[] = [];
  for (const [i, o] of doc.objects.entries()) {
    if (!isRecord(o) || typeof o.key !== 'string' || typeof o.sha256 !== 'string' || !isSize(o.size))
      return { problem: `object ${i} is not {key, sha256, size}` };
    const m = pattern.exec(o.key);
    if (!m) return { problem: `object ${i} is not a content key under this prefix` };
    if (m[1] !== o.sha256) return { problem: `object ${i}'s SHA-256 is not the one its key names` };
    objects.push({ key: o.key, sha256: o.sha256, size: o.size });
  }
  return { objects };
}

/**
 * The next index: what this push verified first, then the previous index's objects (newest push
 * first) up to `max`. Null when that is what the previous index already says (nothing to write).
 */
export function mergeObjectIndex(
  verified: readonly IndexedObject[],
  previous: ReadonlyMap<string, IndexedObject> | null,
  max = OBJECT_INDEX_MAX_ENTRIES,
): IndexedObject[] | null {
  const merged = new Map<string, IndexedObject>();
  for (const o of verified) if (merged.size < max) merged.set(o.key, { key: o.key, sha256: o.sha256, size: o.size });
  if (previous && [...merged.keys()].every((k) => previous.has(k))) return null;
  for (const o of previous?.values() ?? []) if (merged.size < max && !merged.has(o.key)) merged.set(o.key, o);
  return [...merged.values()];
}

export function serializeObjectIndex(appName: string, objects: readonly IndexedObject[]): Buffer {
  const lines = objects.map((o) => JSON.stringify({ key: o.key, sha256: o.sha256, size: o.size }));
  // One object per line: readable with `aws s3 cp … -`, and diffable.
  return Buffer.from(
    `{"format":${JSON.stringify(OBJECT_INDEX_FORMAT)},"version":${OBJECT_INDEX_VERSION},"appName":${JSON.stringify(appName)},"objects":[\n${lines.join(',\n')}\n]}\n`,
  );
}

/** `<prefix>/objects/<sha256>.jar|zip`, the SHA-256 captured (objectKey() is the one spelling of the layout). */
function contentKeyPattern(prefix: string): RegExp {
  const dir = objectKey(prefix, '', 'jar').slice(0, -'.jar'.length);
  return new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([0-9a-f]{64})\\.(?:jar|zip)$`);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSize = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
