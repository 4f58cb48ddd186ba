import pLimit from 'p-limit';
import type { ContentObject } from './objects.js';

export interface ObjectStore {
  // the narrow port the core uses; S3 implements it
  /**
   * true when the object exists with this key. Given what the key should hold, a store that can
   * tell (size, recorded SHA-256) answers false for an object that is not it — a partial or foreign
   * write — and its next `put` of that key replaces it with the bytes the key names.
   */
  exists(key: string, expected?: { size: number; sha256: string }): Promise<boolean>;
  /**
   * Stores the object unless its key already holds it. Implementations verify the bytes with the
   * SHA-256 where the backend supports it and never overwrite an object that is what its key names
   * (S3: a create-only PutObject, If-None-Match: *); a key found holding something else (a partial
   * or foreign write) is replaced. Resolves `'present'` when nothing was stored because the key
   * already held these bytes (the caller reports the object reused), otherwise nothing.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a store that only stores keeps its plain Promise<void> signature
  put(object: ContentObject): Promise<'present' | void>;
}

export interface SyncProgress {
  phase: 'check' | 'upload';
  /** Objects finished in this phase. */
  done: number;
  /** Objects this phase handles: all of them for 'check', the missing ones for 'upload'. */
  total: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface SyncResult {
  /** Objects uploaded (with dryRun: the ones that would be). */
  uploaded: ContentObject[];
  /** Objects the store already had. */
  reused: ContentObject[];
}

export interface SyncOptions {
  /** Requests in flight at once; default 16. */
  concurrency?: number;
  /** Check only: upload nothing, report what would be uploaded as `uploaded`. */
  dryRun?: boolean;
  /**
   * Objects known to exist (a trusted object index): the same key, size and SHA-256 is reused
   * without any request.
   */
  known?: ReadonlyMap<string, { size: number; sha256: string }>;
  /**
   * Ask the store which objects exist before uploading (default true; always with dryRun). False:
   * go straight to `put`, whose create-only write leaves an existing object as it is — one round
   * trip per object instead of two when most are missing (a first push), at the price of sending
   * the bytes of an object that turns out to exist.
   */
  checkFirst?: boolean;
  /**
   * Called at most every ~500 ms while a phase runs, and always once when the check phase ends
   * and when the upload phase ends (there is no check phase without checkFirst, and no upload
   * phase when nothing is missing or with dryRun). Objects `known` lists are in neither. Errors it throws are ignored: progress is cosmetic.
   */
  onProgress?: (p: SyncProgress) => void;
}

const PROGRESS_INTERVAL_MS = 500;
/** Failed objects named in an error message; the rest are counted. */
const NAMED_FAILURES = 5;

/**
 * Makes the store hold every object: the ones `known` lists are taken as they are; of the others it
 * checks which exist, then uploads the missing ones (or, without checkFirst, puts each at once).
 * Objects are deduplicated by key first (the same jar can appear twice on a classpath).
 */
export async function syncObjects(store: ObjectStore, objects: readonly ContentObject[], opts: SyncOptions = {}): Promise<SyncResult> {
  const concurrency = opts.concurrency ?? 16;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error(`syncObjects: concurrency must be a positive integer, got ${concurrency}`);
  const listed: ContentObject[] = [];
  const unique: ContentObject[] = [];
  for (const o of dedupeByKey(objects)) {
    const k = opts.known?.get(o.key);
    (k && k.size === o.size && k.sha256 === o.sha256 ? listed : unique).push(o);
  }
  const report = throttle(opts.onProgress);
  if (opts.checkFirst === false && !opts.dryRun) {
    const { uploaded, reused } = await putAll(store, unique, concurrency, report);
    return { uploaded, reused: [...listed, ...reused] };
  }

  const checkTotal = { total: unique.length, bytesTotal: sumSizes(unique) };
  const checked = { done: 0, bytesDone: 0 };
  const present = await runLimited(
    unique,
    concurrency,
    (o) => store.exists(o.key, o),
    (o) => {
      checked.done += 1;
      checked.bytesDone += o.size;
      report({ phase: 'check', ...checked, ...checkTotal }, checked.done === unique.length);
    },
  );
  if (present.failures.length > 0) {
    throw failureError(
      `Could not check whether ${describeCount(present.failures.length, unique.length)} exist in the store`,
      present.failures,
      present.attempted,
    );
  }
  if (unique.length === 0) report({ phase: 'check', done: 0, bytesDone: 0, ...checkTotal }, true);

  const missing: ContentObject[] = [];
  const reused: ContentObject[] = [...listed];
  unique.forEach((o, i) => {
    (present.results[i] ? reused : missing).push(o);
  });
  if (opts.dryRun || missing.length === 0) return { uploaded: missing, reused };
  const put = await putAll(store, missing, concurrency, report);
  return { uploaded: put.uploaded, reused: [...reused, ...put.reused] };
}

/** The upload phase: `put` of every object, at most `concurrency` at once; objects the store already had are `reused`. */
async function putAll(
  store: ObjectStore,
  objects: readonly ContentObject[],
  concurrency: number,
  report: (p: SyncProgress, final: boolean) => void,
): Promise<SyncResult> {
  if (objects.length === 0) return { uploaded: [], reused: [] };
  const uploadTotal = { total: objects.length, bytesTotal: sumSizes(objects) };
  const sent = { done: 0, bytesDone: 0 };
  // Largest first (a stable sort: equal sizes keep their order): a large jar started last would
  // upload alone at the end while the other slots sit idle. Results come back in the caller's order.
  const order = objects.map((_, i) => i).sort((a, b) => objects[b]!.size - objects[a]!.size);
  const largestFirst = await runLimited(
    order.map((i) => objects[i]!),
    concurrency,
    (o) => store.put(o),
    (o) => {
      sent.done += 1;
      sent.bytesDone += o.size;
      report({ phase: 'upload', ...sent, ...uploadTotal }, sent.done === objects.length);
    },
  );
  if (largestFirst.failures.length > 0) {
    throw failureError(
      `Could not upload ${describeCount(largestFirst.failures.length, objects.length)}`,
      largestFirst.failures,
      largestFirst.attempted,
    );
  }
  const present = new Set(order.filter((_, at) => largestFirst.results[at] === 'present'));
  const uploaded: ContentObject[] = [];
  const reused: ContentObject[] = [];
  objects.forEach((o, i) => {
    (present.has(i) ? reused : uploaded).push(o);
  });
  return { uploaded, reused };
}

export function dedupeByKey(objects: readonly ContentObject[]): ContentObject[] {
  const byKey = new Map<string, ContentObject>();
  for (const o of objects) {
    const seen = byKey.get(o.key);
    if (!seen) byKey.set(o.key, o);
    else if (seen.sha256 !== o.sha256 || seen.size !== o.size) {
      // Keys are derived from the content, so this is a bug in whoever built the objects.
      throw new Error(
        `internal: two objects share the key ${o.key} but differ (sha256 ${seen.sha256} vs ${o.sha256}, ${seen.size} vs ${o.size} bytes)`,
      );
    }
  }
  return [...byKey.values()];
}

interface Failure {
  object: ContentObject;
  error: unknown;
}

/**
 * Runs `task` for every item with at most `concurrency` at once. After the first failure no new
 * task starts; the ones in flight are awaited, so nothing is still writing when the caller throws.
 */
async function runLimited<T>(
  items: readonly ContentObject[],
  concurrency: number,
  task: (o: ContentObject) => Promise<T>,
  onDone: (o: ContentObject) => void,
): Promise<{ results: (T | undefined)[]; failures: Failure[]; attempted: number }> {
  const limit = pLimit(concurrency);
  const results: (T | undefined)[] = new Array<T | undefined>(items.length);
  const failures: Failure[] = [];
  let attempted = 0;
  await Promise.all(
    items.map((object, i) =>
      limit(async () => {
        if (failures.length > 0) return;
        attempted += 1;
        try {
          results[i] = await task(object);
        } catch (error) {
          failures.push({ object, error });
          return;
        }
        onDone(object);
      }),
    ),
  );
  return { results, failures, attempted };
}

/** Some objects could not be checked or uploaded; the message names them and what to do. */
export class SyncFailedError extends Error {
  override name = 'SyncFailedError';
}

function failureError(headline: string, failures: readonly Failure[], attempted: number): SyncFailedError {
  const named = failures.slice(0, NAMED_FAILURES).map((f) => `  ${f.object.key}: ${messageOf(f.error)}`);
  const more = failures.length > NAMED_FAILURES ? [`  …and ${failures.length - NAMED_FAILURES} more`] : [];
  return new SyncFailedError(
    [
      `${headline} (stopped after the first failure; ${attempted} attempted):`,
      ...named,
      ...more,
      'Objects already in the store are kept and reused: fix the cause above and run push again.',
    ].join('\n'),
    { cause: failures[0]?.error },
  );
}

const describeCount = (n: number, of: number): string => `${n} of ${of} object${of === 1 ? '' : 's'}`;

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const sumSizes = (objects: readonly ContentObject[]): number => objects.reduce((n, o) => n + o.size, 0);

function throttle(onProgress: ((p: SyncProgress) => void) | undefined): (p: SyncProgress, final: boolean) => void {
  let last = 0;
  return (p, final) => {
    if (!onProgress) return;
    const now = Date.now();
    if (!final && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    try {
      onProgress(p);
    } catch {
      // Cosmetic: a failing progress printer must not fail the sync.
    }
  };
}
