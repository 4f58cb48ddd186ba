/** Finding things on a classpath without a JVM: the ion-config resource, and every Clojure namespace. */
import { realpathSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { describeUnsafe, readRegularFileSync, resolveWithinSync, walkTree } from '../content/safe-tree.js';
import { UserError } from '../problems.js';
import { jarEntryNames, knownJarEntryNames } from './jar-entries.js';
import { namespaceOfResource } from './namespaces.js';

export interface ClasspathRoot {
  /** Absolute. */
  path: string;
  isDirectory: boolean;
  /**
   * Where symbolic links under a directory root may lead (ClassifiedEntry.boundary.path: the
   * repository for the project's directories); default: only inside the root itself.
   */
  boundary?: string;
  /** A jar's stat (following links) as this push classified it: its identity for the jar facts cache (see jar-entries.ts). */
  stats?: Stats;
}

export const ION_CONFIG_RESOURCE = 'datomic/ion-config.edn';

/** ion-config.edn is small; a larger file is refused rather than read whole. */
const ION_CONFIG_MAX_BYTES = 1024 * 1024;

/**
 * First directory root (in classpath order) containing datomic/ion-config.edn. The file is read
 * by the rule of safe-tree.ts: a link out of the root's boundary, a FIFO or a device is a
 * UserError naming it, and nothing is read from it (its bytes could end up in an error message).
 */
export async function findIonConfig(roots: readonly ClasspathRoot[]): Promise<{ file: string; text: string } | undefined> {
  for (const root of roots) {
    if (!root.isDirectory) continue;
    const file = join(root.path, ION_CONFIG_RESOURCE);
    // Synchronous (a few small calls): ion-config's :app-name starts the first requests, and each
    // asynchronous call would be a thread-pool round trip before them (see walkTree in safe-tree.ts).
    const realRoot = realpathOrUndefined(root.path);
    if (realRoot === undefined) continue;
    const r = resolveWithinSync(file, root.boundary ?? realRoot);
    if (r.unsafe && r.unsafe.reason !== 'dangling') {
      const message = `Cannot read ${describeUnsafe(r.unsafe, (p) => p, root.boundary ? 'the directory its links may lead into' : 'its classpath directory')}`;
      throw new UserError(message, [{ severity: 'error', message, file }]);
    }
    if ('missing' in r) continue;
    if (r.stats.isDirectory()) continue;
    const { data, truncated } = readRegularFileSync(r.real, ION_CONFIG_MAX_BYTES);
    if (truncated) {
      const message = `${file} is larger than 1 MiB, which no ion-config needs: check that it is the right file.`;
      throw new UserError(message, [{ severity: 'error', message, file }]);
    }
    return { file, text: data.toString('utf8') };
  }
  return undefined;
}

export interface IndexOptions {
  /** Told about each jar that could not be read (it is skipped): worth a warning. */
  onSkipped?: (path: string, reason: string) => void;
  /** Given every root's file names, in root order (the dependency-conflict check reuses them). */
  onListings?: (names: string[][]) => void;
}

// Each jar read is a few reads of the zip's tail; the bound keeps open files few.
const JAR_CONCURRENCY = 32;

/**
 * Every Clojure namespace available: from .clj/.cljc files (and AOT `__init.class` files) under
 * directories, recursively, and in jars' central directories, un-munged (`_` → `-`, `/` → `.`).
 * A missing or corrupt jar is skipped (reported to `onSkipped`), not fatal.
 */
export async function indexNamespaces(roots: readonly ClasspathRoot[], options: IndexOptions = {}): Promise<Set<string>> {
  const limit = pLimit(JAR_CONCURRENCY);
  const lists = await Promise.all(
    roots.map((root) =>
      root.isDirectory
        ? directoryResources(root.path, root.boundary)
        : // A jar the cache knows is answered at once; only the others queue for a read.
          (knownJarEntryNames(root.path, { seen: root.stats }) ??
          limit(() =>
            jarEntryNames(root.path, { seen: root.stats }).catch((e: unknown) => {
              // A missing jar is as absent as on the JVM; a corrupt one should not stop the push.
              options.onSkipped?.(root.path, e instanceof Error ? e.message : String(e));
              return [];
            }),
          )),
    ),
  );
  options.onListings?.(lists);
  const namespaces = new Set<string>();
  for (const list of lists) {
    for (const resource of list) {
      const ns = namespaceOfResource(resource);
      if (ns !== undefined) namespaces.add(ns);
    }
  }
  return namespaces;
}

/**
 * Resource paths ('a/b.clj') of the regular files under `dir`, walked by the rule of safe-tree.ts
 * (what it refuses is skipped here: classifying the classpath reports it). A missing directory has
 * none, as on the JVM.
 */
async function directoryResources(dir: string, boundary: string | undefined): Promise<string[]> {
  const real = realpathOrUndefined(dir);
  if (real === undefined) return [];
  const walked = await walkTree(real, boundary ?? real, { fileStats: false }).catch(() => undefined);
  return (walked?.entries ?? []).filter((e) => e.kind === 'file').map((e) => e.name);
}

/** The real path (realpath(3), as the promise API's realpath), or undefined when it cannot be resolved. */
function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}
