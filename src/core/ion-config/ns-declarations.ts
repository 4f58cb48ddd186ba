/**
 * What the files behind ion-config's namespaces declare. The namespace index is built from file
 * paths, and that mapping is lossy (`my_lib.core` and `my-lib.core` both live in my_lib/core.clj),
 * so a symbol can pass the index while `resolve` finds nothing on the cluster. Reading the `ns`
 * form of the one file Clojure would load settles it.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { ChunkedReader } from './jar-entries.js';
import { namespaceToPath } from './namespaces.js';
import { declaredNamespace, type SourceDialect } from './ns-form.js';

export interface SourceRoot {
  /** Absolute. */
  path: string;
  isDirectory: boolean;
  /** How messages name the root: `src`, `my-lib-1.0.jar`. */
  label: string;
  /** Where symbolic links under a directory root may lead (a real path); default: the root itself. */
  boundary?: string;
}

export interface NsDeclaration {
  /** The file Clojure loads for the namespace, as messages name it: `src/my_lib/core.clj`, `lib.jar!/my_lib/core.clj`. */
  source: string;
  /** The name its ns form declares; null when the file or its ns form could not be read with confidence. */
  declares: string | null;
}

/** Roots looked at together: bounds the open files while keeping a scan of 200 jars short. */
const BATCH = 16;

/** Only the head of a file is read: the ns form comes first, and a huge or endless file must not cost more. */
export const SOURCE_HEAD_BYTES = 64 * 1024;

// Never follow a symlink as the last component, and never block on a FIFO or device: open does not
// wait with O_NONBLOCK, and fstat then tells a regular file from anything else.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

/**
 * For each namespace, keyed by its resource path without extension (`my_lib/core`, see
 * namespaceToPath), the file Clojure's `load` would read and what it declares. As in clojure.lang.RT,
 * the first `.clj` on the classpath wins, else the first `.cljc`. Namespaces whose file is in no
 * root (AOT-only, or absent) are left out; so are files that cannot be opened as regular files.
 * Jars are opened only while a namespace is still unresolved after the roots before them.
 */
export async function readNsDeclarations(
  roots: readonly SourceRoot[],
  namespaces: Iterable<string>,
  /**
   * Each root's entry names when already read (the namespace index lists every jar): a jar whose
   * listing has none of the wanted files is not opened again. Without it, every jar looked at is.
   */
  listings?: readonly (readonly string[] | undefined)[],
): Promise<Map<string, NsDeclaration>> {
  const bases = new Set([...namespaces].map(namespaceToPath));
  // The first root holding each resource; `.clj` beats `.cljc` wherever they are.
  const hits = new Map<string, { root: SourceRoot; resource: string }>();
  const wanted = (): string[] =>
    [...bases].flatMap((base) => (hits.has(`${base}.clj`) ? [] : [`${base}.clj`, ...(hits.has(`${base}.cljc`) ? [] : [`${base}.cljc`])]));

  // Roots are looked at a batch at a time, in parallel within a batch and applied in classpath order;
  // directories and jars are never in one batch, so a namespace found in a directory opens no jar,
  // and one in the 150th jar costs a few batches.
  const listed = listings ? new Map(roots.map((root, i) => [root, listings[i]])) : null;
  const mayHold = (root: SourceRoot, resources: readonly string[]): boolean => {
    const names = listed?.get(root);
    // The listing has names as UTF-8 and yauzl decodes some as CP437: only ASCII names are compared.
    if (!names || !resources.every(isAscii)) return true;
    const set = new Set(resources);
    return names.some((n) => set.has(n));
  };
  for (const batch of batches(roots)) {
    const resources = wanted();
    if (resources.length === 0) break;
    const found = await Promise.all(
      batch.map((root) =>
        root.isDirectory ? inDirectory(root.path, resources) : mayHold(root, resources) ? inJar(root.path, resources) : [],
      ),
    );
    batch.forEach((root, i) => {
      for (const resource of found[i] ?? []) if (!hits.has(resource)) hits.set(resource, { root, resource });
    });
  }

  const result = new Map<string, NsDeclaration>();
  await Promise.all(
    [...bases].map(async (base) => {
      const hit = hits.get(`${base}.clj`) ?? hits.get(`${base}.cljc`);
      if (!hit) return;
      const head = hit.root.isDirectory ? await directoryFileHead(hit.root, hit.resource) : await jarEntryHead(hit.root.path, hit.resource);
      if (head === undefined) return;
      const dialect: SourceDialect = hit.resource.endsWith('.cljc') ? 'cljc' : 'clj';
      result.set(base, {
        source: hit.root.isDirectory ? `${hit.root.label}/${hit.resource}` : `${hit.root.label}!/${hit.resource}`,
        declares: declaredNamespace(head, dialect),
      });
    }),
  );
  return result;
}

const isAscii = (s: string): boolean => /^[\x20-\x7e]*$/.test(s);

/** Consecutive roots grouped, directories apart from jars, at most BATCH in a group. */
function batches(roots: readonly SourceRoot[]): SourceRoot[][] {
  const result: SourceRoot[][] = [];
  for (const root of roots) {
    const last = result[result.length - 1];
    const first = last?.[0];
    if (last && first && first.isDirectory === root.isDirectory && last.length < BATCH) last.push(root);
    else result.push([root]);
  }
  return result;
}

/** The resources that are regular files under `dir` (symlinks to regular files count, as on the JVM). */
async function inDirectory(dir: string, resources: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  // One at a time: a config may name a few hundred namespaces, and each look is one open and fstat.
  // Synchronous: each asynchronous call is a thread-pool round trip, several per namespace, on the
  // way to the validation the registration waits for (see walkTree in safe-tree.ts).
  for (const resource of resources) {
    const file = join(dir, resource);
    const rel = relative(dir, file);
    if (rel.startsWith('..') || isAbsolute(rel)) continue; // namespaceToPath leaves no '..'; this keeps it so
    const fd = tryOr(() => openSync(file, constants.O_RDONLY | constants.O_NONBLOCK));
    if (fd === undefined) continue;
    try {
      if (fstatSync(fd).isFile()) found.push(resource);
    } finally {
      closeSync(fd);
    }
  }
  return found;
}

const tryOr = <T>(fn: () => T): T | undefined => {
  try {
    return fn();
  } catch {
    return undefined;
  }
};

/**
 * The head of a source file in a directory root, read at its real path, and only when that stays
 * within the root's boundary: a link out of the project is not read (classifying the classpath
 * reports it), so nothing from outside reaches a message.
 */
async function directoryFileHead(root: SourceRoot, resource: string): Promise<string | undefined> {
  // realpath(3), as the promise API's realpath; synchronous as inDirectory is.
  const real = tryOr(() => realpathSync.native(join(root.path, resource)));
  const limit = tryOr(() => realpathSync.native(root.boundary ?? root.path));
  if (real === undefined || limit === undefined) return undefined;
  const rel = relative(limit, real);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return fileHead(real);
}

/** The first SOURCE_HEAD_BYTES of a regular file, decoded; undefined when it is anything else or unreadable. */
export async function fileHead(file: string): Promise<string | undefined> {
  // Synchronous calls (one small read), as inDirectory.
  const fd = tryOr(() => openSync(file, OPEN_FLAGS));
  if (fd === undefined) return undefined;
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    const buffer = Buffer.alloc(SOURCE_HEAD_BYTES);
    const bytesRead = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Which of `resources` the jar holds; none when it is not a readable regular zip file. */
async function inJar(jar: string, resources: readonly string[]): Promise<string[]> {
  const wanted = new Set(resources);
  const found: string[] = [];
  await withJar(jar, async (zip) => {
    await eachEntry(zip, (entry) => {
      if (wanted.delete(entry.fileName)) found.push(entry.fileName);
      return wanted.size > 0;
    });
  });
  return found;
}

/** The first SOURCE_HEAD_BYTES of one jar entry, decoded; undefined when it cannot be read. */
async function jarEntryHead(jar: string, resource: string): Promise<string | undefined> {
  let head: string | undefined;
  await withJar(jar, async (zip) => {
    let target: yauzl.Entry | undefined;
    await eachEntry(zip, (entry) => {
      if (entry.fileName === resource) target = entry;
      return target === undefined;
    });
    if (target) head = await streamHead(await zip.openReadStreamPromise(target));
  });
  return head;
}

/**
 * Runs `use` on the jar opened as a zip, then closes it. A jar that is missing, not a regular file
 * (a FIFO would block a plain open), or not a zip is passed over: indexing reports unreadable jars.
 * Symlinked jars are followed, as Maven layouts (Debian's) use them.
 */
async function withJar(jar: string, use: (zip: yauzl.ZipFile) => Promise<void>): Promise<void> {
  const handle = await open(jar, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => undefined);
  if (!handle) return;
  try {
    const { size } = await handle.stat().then((s) => (s.isFile() ? s : { size: -1 }));
    if (size < 0) return;
    // Through a reader of our own: yauzl's fromFd closes the descriptor itself, behind the handle's back.
    const zip = await yauzl.fromRandomAccessReaderPromise(new ChunkedReader(handle, size, CHUNK), size, {
      lazyEntries: true,
      autoClose: false,
    });
    try {
      await use(zip);
    } finally {
      zip.close();
    }
  } catch {
    // unreadable: as if absent
  } finally {
    await handle.close();
  }
}

// Central directory records are small; reading them through a chunk keeps it to a few reads per jar.
const CHUNK = 256 * 1024;

/** Reads central directory entries in order while `visit` returns true. */
function eachEntry(zip: yauzl.ZipFile, visit: (entry: yauzl.Entry) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const onEntry = (entry: yauzl.Entry): void => {
      if (visit(entry)) zip.readEntry();
      else finish();
    };
    const finish = (): void => {
      zip.off('entry', onEntry);
      resolve();
    };
    zip.on('entry', onEntry);
    zip.once('end', finish);
    zip.once('error', reject);
    zip.readEntry();
  });
}

async function streamHead(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length >= SOURCE_HEAD_BYTES) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, SOURCE_HEAD_BYTES).toString('utf8');
}
