/**
 * What a jar's identity makes cacheable: its SHA-256 and its entry names. A Maven jar is immutable
 * once downloaded, and its identity — device, inode, size, modification and change time, from the
 * fstat of the opened file — changes whenever its bytes do (ctime cannot be set from user space),
 * so a fact recorded for an identity holds as long as the identity does. This is the trust `make`
 * and `rsync` place in modification times, made stricter by the inode and ctime. What it could get
 * wrong is bounded: a wrong SHA-256 would upload a jar under a key that does not name it, and the
 * deploy pre-flight and the instance hooks verify the SHA-256 of every object they download.
 *
 * A push takes each jar's identity once, when it classifies the classpath (lstat of the jar's real
 * path: the fields of its stat; classifiedStats in push/classpath-entries.ts): the namespace index
 * looks the jar up by it, and sha256JarSync takes it too, instead of a stat each. A miss is read
 * and recorded under the fstat of the opened file, as before.
 *
 * One cache serves the whole process (every reader of a jar in one push shares it, so each central
 * directory is read once); the action loads it from, and saves it to, a small file between pushes
 * (jar-cache-file.ts). Only jars go in: project directories are zipped afresh every push.
 */
import type { Stats } from 'node:fs';

/** The identity of an opened file (from its fstat); the path is the one it was opened by. */
export interface FileIdentity {
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

export interface JarFacts {
  sha256?: string;
  entries?: readonly string[];
}

export const identityOf = (path: string, st: Stats): FileIdentity => ({
  path,
  dev: st.dev,
  ino: st.ino,
  size: st.size,
  mtimeMs: st.mtimeMs,
  ctimeMs: st.ctimeMs,
});

const keyOf = (id: FileIdentity): string => JSON.stringify([id.path, id.dev, id.ino, id.size, id.mtimeMs, id.ctimeMs]);

/** The first line of the cache file: a file without it (another tool's, another version's) is ignored whole. */
export const JAR_CACHE_HEADER = '{"format":"ion-actions/jar-facts","version":1}';

const SHA256 = /^[0-9a-f]{64}$/;

/** Zip facts kept in the file at most (see serialize). */
export const MAX_ZIP_FACTS = 200;

/** Facts about a file changed less than this long before they were read are not saved (see serialize). */
export const RACY_MS = 2000;

/** A directory zip's SHA-256 and size, by the fingerprint of the tree it was made from (deterministic-zip.ts, ZipTree). */
export interface ZipFacts {
  sha256: string;
  size: number;
}

export class JarFactsCache {
  private readonly facts = new Map<string, { id: FileIdentity; facts: JarFacts; recordedAt?: number }>();
  /** Directory zips by tree fingerprint; `changedMs`: the tree's latest file change (for the racy rule). */
  private readonly zips = new Map<string, { facts: ZipFacts; changedMs: number; recordedAt?: number }>();
  /** Identities looked up or recorded in this process: written first, so the size cap drops stale ones. */
  private readonly used = new Set<string>();
  private changed = false;

  get(id: FileIdentity): JarFacts | undefined {
    const key = keyOf(id);
    const hit = this.facts.get(key);
    if (hit) this.used.add(key);
    return hit?.facts;
  }

  remember(id: FileIdentity, facts: JarFacts, now = Date.now()): void {
    const key = keyOf(id);
    const known = this.facts.get(key)?.facts;
    this.facts.set(key, { id, facts: { ...known, ...facts }, recordedAt: now });
    this.used.add(key);
    // A racy fact is never written (serialize): alone, it leaves the file as it is.
    if (!isRacy(now, Math.max(id.mtimeMs, id.ctimeMs))) this.changed = true;
  }

  /** The zip a directory with this tree fingerprint gave before (deterministic-zip.ts, readZipTree). */
  getZip(fingerprint: string): ZipFacts | undefined {
    const hit = this.zips.get(fingerprint);
    if (hit) this.used.add(fingerprint);
    return hit?.facts;
  }

  rememberZip(fingerprint: string, facts: ZipFacts, changedMs: number, now = Date.now()): void {
    this.zips.set(fingerprint, { facts: { sha256: facts.sha256, size: facts.size }, changedMs, recordedAt: now });
    this.used.add(fingerprint);
    if (!isRacy(now, changedMs)) this.changed = true;
  }

  /** True when something that serialize writes was recorded since the cache was made or loaded (nothing to save otherwise). */
  get dirty(): boolean {
    return this.changed;
  }

  get size(): number {
    return this.facts.size;
  }

  /**
   * Adds the facts of a cache file's text. Anything that is not exactly what `serialize` writes (a
   * foreign or corrupt file, a torn line) is skipped: a line is taken whole or not at all.
   */
  load(text: string): void {
    const lines = text.split('\n');
    if (lines[0] !== JAR_CACHE_HEADER) return;
    for (const line of lines.slice(1)) {
      const parsed = parseLine(line);
      if (!parsed) continue;
      if ('fingerprint' in parsed) {
        if (!this.zips.has(parsed.fingerprint)) this.zips.set(parsed.fingerprint, parsed);
      } else if (!this.facts.has(keyOf(parsed.id))) this.facts.set(keyOf(parsed.id), parsed);
    }
  }

  /** NDJSON under the header; facts used in this process first, then the others while they fit in maxBytes. */
  serialize(maxBytes: number): string {
    const lines = [JAR_CACHE_HEADER];
    let bytes = JAR_CACHE_HEADER.length + 1;
    const add = (line: string) => {
      const size = Buffer.byteLength(line) + 1;
      if (bytes + size > maxBytes) return;
      lines.push(line);
      bytes += size;
    };
    const ordered = [...this.facts].sort(([a], [b]) => Number(this.used.has(b)) - Number(this.used.has(a)));
    for (const [, { id, facts, recordedAt }] of ordered) {
      if (isRacy(recordedAt, Math.max(id.mtimeMs, id.ctimeMs))) continue;
      add(JSON.stringify({ id: [id.path, id.dev, id.ino, id.size, id.mtimeMs, id.ctimeMs], ...facts }));
    }
    // Used in this process first, then the most recently changed trees; an old tree's zip is rarely
    // asked for again (each commit that changes a directory makes a new one), so few are kept.
    const zips = [...this.zips]
      .sort(([a, x], [b, y]) => Number(this.used.has(b)) - Number(this.used.has(a)) || y.changedMs - x.changedMs)
      .slice(0, MAX_ZIP_FACTS);
    for (const [fingerprint, { facts, changedMs, recordedAt }] of zips) {
      if (isRacy(recordedAt, changedMs)) continue;
      // A line without "id": the versions before zip facts skip it.
      add(JSON.stringify({ zip: fingerprint, sha256: facts.sha256, size: facts.size, changed: changedMs }));
    }
    return `${lines.join('\n')}\n`;
  }
}

/**
 * Racy (as git calls it): a file written within a clock tick of being read could change again
 * without its mtime or ctime moving; facts recorded that soon after the last change serve this
 * process only, and are never written (a later push records them).
 */
const isRacy = (recordedAt: number | undefined, changedMs: number): boolean => recordedAt !== undefined && recordedAt - changedMs < RACY_MS;

function parseLine(
  line: string,
): { id: FileIdentity; facts: JarFacts } | { fingerprint: string; facts: ZipFacts; changedMs: number } | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const { id, sha256, entries, zip, size: zipSize, changed } = v as Record<string, unknown>;
  if (zip !== undefined) {
    if (typeof zip !== 'string' || !SHA256.test(zip) || typeof sha256 !== 'string' || !SHA256.test(sha256)) return undefined;
    if (!isCount(zipSize) || !isCount(changed)) return undefined;
    return { fingerprint: zip, facts: { sha256, size: zipSize }, changedMs: changed };
  }
  if (!Array.isArray(id) || id.length !== 6 || typeof id[0] !== 'string') return undefined;
  const nums = id.slice(1);
  if (!nums.every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0)) return undefined;
  const facts: JarFacts = {};
  if (sha256 !== undefined) {
    if (typeof sha256 !== 'string' || !SHA256.test(sha256)) return undefined;
    facts.sha256 = sha256;
  }
  if (entries !== undefined) {
    if (!Array.isArray(entries) || !entries.every((e) => typeof e === 'string')) return undefined;
    facts.entries = entries as string[];
  }
  const [dev, ino, size, mtimeMs, ctimeMs] = nums as number[];
  return { id: { path: id[0], dev: dev!, ino: ino!, size: size!, mtimeMs: mtimeMs!, ctimeMs: ctimeMs! }, facts };
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;

let processCache = new JarFactsCache();

/** The cache every jar reader in this process consults (jar entry names, jar hashes). */
export const processJarFacts = (): JarFactsCache => processCache;

/** Replaces the process's cache (tests; the action keeps the default one and loads into it). */
export function resetProcessJarFacts(cache = new JarFactsCache()): JarFactsCache {
  processCache = cache;
  return cache;
}
