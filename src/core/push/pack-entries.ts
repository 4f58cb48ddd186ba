import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { ClassifiedEntry } from '../classpath/classify-entry.js';
import { sha256JarSync } from '../content/hash.js';
import { readZipTree, writeZipTreeToFile, type ZipTree } from '../content/deterministic-zip.js';
import { processJarFacts, type ZipFacts } from '../content/jar-cache.js';
import type { ContentObject } from '../content/objects.js';
import { objectKey } from '../layout.js';
import type { ManifestEntry } from '../manifest/schema.js';
import { formatBytes } from '../format-bytes.js';
import { classifiedStats } from './classpath-entries.js';

export interface PackedEntry {
  entry: ManifestEntry;
  object: ContentObject;
  path: string;
}

export interface PackOptions {
  /** Where directory zips are written (a fresh directory is made in it); default the OS temp directory. */
  tempDir?: string;
  /**
   * True when the bucket is known to hold this object (the object index lists it with this SHA-256
   * and size): a directory whose tree the zip facts cache knows, and whose zip is such an object,
   * is then neither read nor zipped (the upload will not need its bytes; writeSkippedZips makes
   * them if it does after all).
   */
  inBucket?: (key: string, content: ZipFacts) => boolean | Promise<boolean>;
}

/**
 * Jars are hashed as they are; directories become deterministic zips in a temporary directory,
 * hashed as they are written, so no directory is ever held in memory (the objects' bodies are
 * those files). The two run as separate phases so the log can report the hashing rate on its own
 * (bench/push.ts reads it).
 *
 * The zips stay until disposePacked() or, at the latest, until the process exits: they are the
 * bodies of the uploads that follow.
 */
export async function packEntries(
  entries: readonly ClassifiedEntry[],
  prefix: string,
  log: (message: string) => void,
  options: PackOptions = {},
): Promise<PackedEntry[]> {
  const limit = pLimit(4);
  let scratch: string | undefined;
  const scratchDir = () => (scratch ??= makeScratchDir(options.tempDir ?? tmpdir()));
  let zips = 0;
  const packOne = async (e: ClassifiedEntry): Promise<PackedEntry> => {
    let content: { sha256: string; size: number };
    let body: ContentObject['body'];
    let tree: ZipTree | undefined;
    if (e.packaging === 'jar') {
      // A jar hashed by an earlier push (same identity: see jar-cache.ts) is not read again.
      content = sha256JarSync(e.path, undefined, classifiedStats(e));
      body = { path: e.path };
    } else {
      tree = await readZipTree(e.path, { boundary: e.boundary?.path, boundaryName: e.boundary?.name, show: () => e.origin });
      const facts = processJarFacts();
      const known = facts.getZip(tree.fingerprint);
      if (known && (await options.inBucket?.(objectKey(prefix, known.sha256, 'dir'), known))) {
        content = known;
        // Written only if the upload needs it after all (writeSkippedZips); never read as it is.
        body = { path: '' };
      } else {
        const file = join(scratchDir(), `${zips++}.zip`);
        content = await writeZipTreeToFile(tree, file);
        facts.rememberZip(tree.fingerprint, content, tree.changedMs);
        body = { path: file };
        tree = undefined;
      }
    }
    const key = objectKey(prefix, content.sha256, e.packaging);
    const object: ContentObject = {
      key,
      sha256: content.sha256,
      size: content.size,
      body,
      source: e.packaging === 'dir' ? `the zip of ${e.origin}` : e.path,
    };
    if (tree) skippedTrees.set(object, tree);
    return {
      entry: { key, sha256: content.sha256, size: content.size, kind: e.kind, packaging: e.packaging, origin: e.origin },
      object,
      path: e.path,
    };
  };
  const phase = async (kind: 'jar' | 'dir') => {
    const started = Date.now();
    const done = await Promise.all(entries.filter((e) => e.packaging === kind).map((e) => limit(() => packOne(e))));
    const bytes = (list: readonly PackedEntry[]) => formatBytes(list.reduce((n, p) => n + p.entry.size, 0));
    const ms = Date.now() - started;
    if (kind === 'jar') log(`Hashed ${done.length} jars (${bytes(done)}) in ${ms} ms`);
    else {
      const zipped = done.filter((p) => !skippedTrees.has(p.object));
      const kept = done.filter((p) => skippedTrees.has(p.object));
      const unchanged =
        kept.length === 0
          ? ''
          : `; ${kept.length} unchanged since a push on this machine, their zips already in the bucket (${bytes(kept)})`;
      log(`Zipped and hashed ${zipped.length} directories (${bytes(zipped)}) in ${ms} ms${unchanged}`);
    }
    return done;
  };
  try {
    const byPath = new Map([...(await phase('dir')), ...(await phase('jar'))].map((p) => [p.path, p]));
    const packed = entries.map((e) => byPath.get(e.path)!);
    if (scratch) scratchDirs.set(packed, scratch);
    return packed;
  } catch (err) {
    if (scratch) removeScratch(scratch);
    throw err;
  }
}

/**
 * Writes the zips packEntries skipped (inBucket) for the objects `needed` picks, each where its
 * object's body now names: for an upload that must send one after all (the bucket's index was read
 * again and no longer lists it). The bytes are those the zip facts promised, or the upload's content
 * check refuses them.
 */
export async function writeSkippedZips(packed: readonly PackedEntry[], needed: (object: ContentObject) => boolean): Promise<void> {
  for (const { object } of packed) {
    const tree = skippedTrees.get(object);
    if (!tree || !needed(object)) continue;
    let dir = scratchDirs.get(packed);
    if (!dir) {
      dir = makeScratchDir(tmpdir());
      scratchDirs.set(packed, dir);
    }
    const file = join(dir, `skipped-${skippedFiles++}.zip`);
    await writeZipTreeToFile(tree, file);
    object.body = { path: file };
    skippedTrees.delete(object);
  }
}

/** The trees of zips packEntries did not write (inBucket), until writeSkippedZips writes them. */
const skippedTrees = new WeakMap<ContentObject, ZipTree>();
let skippedFiles = 0;

/** Removes the temporary zips of packEntries' result (after the upload, whether it succeeded or not); a second call does nothing. */
export function disposePacked(packed: readonly PackedEntry[]): void {
  const dir = scratchDirs.get(packed);
  scratchDirs.delete(packed);
  if (dir) removeScratch(dir);
}

/**
 * disposePacked with the file system's work off the main thread (libuv's pool), for while a request
 * is in flight: the registration's round trip hides it. Until it completes the directory stays on
 * the exit hook's list, so a process that ends first still removes it. Never rejects.
 */
export async function disposePackedInBackground(packed: readonly PackedEntry[]): Promise<void> {
  const dir = scratchDirs.get(packed);
  scratchDirs.delete(packed);
  if (!dir) return;
  try {
    await rm(dir, { recursive: true, force: true });
    liveScratch.delete(dir);
  } catch {
    // Left for the exit hook to try again.
  }
}

const scratchDirs = new WeakMap<readonly PackedEntry[], string>();
const liveScratch = new Set<string>();
let exitHook = false;

function makeScratchDir(parent: string): string {
  const dir = mkdtempSync(join(parent, 'ion-push-'));
  if (!exitHook) process.once('exit', removeAllScratch);
  exitHook = true;
  liveScratch.add(dir);
  return dir;
}

function removeScratch(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  liveScratch.delete(dir);
}

// A safety net for callers that never dispose (or fail in between): nothing is left in the temp directory.
function removeAllScratch(): void {
  for (const dir of liveScratch) rmSync(dir, { recursive: true, force: true });
  liveScratch.clear();
}
