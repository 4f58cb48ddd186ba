import { realpath } from 'node:fs/promises';
import pLimit from 'p-limit';
import { walkTree } from '../content/safe-tree.js';
import { jarEntryNames } from '../ion-config/jar-entries.js';
import type { ClassifiedEntry } from './classify-entry.js';
import type { EntryListing } from './dependency-conflicts.js';

// As the namespace index (ion-config/classpath-resources.ts): a few reads of each jar's tail, few files open.
const JAR_CONCURRENCY = 32;

/**
 * Every classpath entry's file names, in classpath order: a jar's from its central directory
 * (nothing is inflated), a directory's by the walk of safe-tree.ts. An entry that cannot be read
 * lists nothing: validation has already warned about it.
 *
 * Push does not use it (validation's namespace index hands the conflict check the names it read);
 * the tests and bench/dependency-conflicts.ts do, to list real jars on their own.
 */
export async function readEntryListings(
  entries: readonly Pick<ClassifiedEntry, 'path' | 'packaging' | 'origin' | 'boundary'>[],
): Promise<EntryListing[]> {
  const limit = pLimit(JAR_CONCURRENCY);
  return Promise.all(
    entries.map(async (e) => ({
      origin: e.origin,
      names:
        e.packaging === 'dir' ? await directoryNames(e.path, e.boundary?.path) : await limit(() => jarEntryNames(e.path).catch(() => [])),
    })),
  );
}

async function directoryNames(dir: string, boundary: string | undefined): Promise<string[]> {
  const real = await realpath(dir).catch(() => undefined);
  if (real === undefined) return [];
  const walked = await walkTree(real, boundary ?? real, { fileStats: false }).catch(() => undefined);
  return (walked?.entries ?? []).filter((e) => e.kind === 'file').map((e) => e.name);
}
