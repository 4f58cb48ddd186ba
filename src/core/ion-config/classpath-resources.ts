/** Finding things on a classpath without a JVM: the ion-config resource, and every Clojure namespace. */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { jarEntryNames } from './jar-entries.js';
import { namespaceOfResource } from './namespaces.js';

export interface ClasspathRoot {
  /** Absolute. */
  path: string;
  isDirectory: boolean;
}

export const ION_CONFIG_RESOURCE = 'datomic/ion-config.edn';

/** First directory root (in classpath order) containing datomic/ion-config.edn. */
export async function findIonConfig(roots: readonly ClasspathRoot[]): Promise<{ file: string; text: string } | undefined> {
  for (const root of roots) {
    if (!root.isDirectory) continue;
    const file = join(root.path, ION_CONFIG_RESOURCE);
    const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
      throw e;
    });
    if (text !== undefined) return { file, text };
  }
  return undefined;
}

export interface IndexOptions {
  /** Told about each jar that could not be read (it is skipped): worth a warning. */
  onSkipped?: (path: string, reason: string) => void;
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
        ? directoryResources(root.path)
        : limit(() =>
            jarEntryNames(root.path).catch((e: unknown) => {
              // A missing jar is as absent as on the JVM; a corrupt one should not stop the push.
              options.onSkipped?.(root.path, e instanceof Error ? e.message : String(e));
              return [];
            }),
          ),
    ),
  );
  const namespaces = new Set<string>();
  for (const list of lists) {
    for (const resource of list) {
      const ns = namespaceOfResource(resource);
      if (ns !== undefined) namespaces.add(ns);
    }
  }
  return namespaces;
}

/** Resource paths ('a/b.clj') of the files under `dir`; a missing directory has none, as on the JVM. */
async function directoryResources(dir: string): Promise<string[]> {
  const found: string[] = [];
  const seen = new Set<string>(); // real paths already walked: symlink loops end here
  const walk = async (abs: string, rel: string): Promise<void> => {
    const real = await realpath(abs).catch(() => undefined);
    if (real === undefined || seen.has(real)) return;
    seen.add(real);
    const dirents = await readdir(abs, { withFileTypes: true }).catch(() => []);
    await Promise.all(
      dirents.map(async (d) => {
        const childAbs = join(abs, d.name);
        const childRel = rel === '' ? d.name : `${rel}/${d.name}`;
        const isDir = d.isDirectory() || (d.isSymbolicLink() && (await stat(childAbs).catch(() => undefined))?.isDirectory() === true);
        if (isDir) await walk(childAbs, childRel);
        else found.push(childRel);
      }),
    );
  };
  await walk(dir, '');
  return found;
}
