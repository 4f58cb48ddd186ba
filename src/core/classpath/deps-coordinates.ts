import { join, resolve } from 'node:path';
import { readRegularFile } from '../content/safe-tree.js';
import { readEdn, type EdnNode, type Position } from '../edn/reader.js';
import type { EntryKind } from '../manifest/schema.js';
import { libraryOf } from '../revision/revision-diff.js';

/** deps.edn is read for warning locations only; a larger one is not searched. */
const DEPS_EDN_MAX = 1024 * 1024;

/** Where the top-level `:deps` map of deps.edn names each library, and each `:local/root` directory. */
export interface DepsCoordinates {
  /** `org.clojure/data.json` (and `cheshire/cheshire` for the short `cheshire`) → the key's position. */
  libs: Map<string, Position>;
  /** Absolute `:local/root` directory → the key's position. */
  localRoots: Map<string, Position>;
}

/** Pure: the coordinates in a deps.edn text; none when it is not EDN. */
export function depsCoordinates(text: string, projectDir: string): DepsCoordinates {
  const found: DepsCoordinates = { libs: new Map(), localRoots: new Map() };
  let root: EdnNode;
  try {
    root = readEdn(text);
  } catch {
    return found; // tools.deps has read deps.edn already and reports its own errors
  }
  if (root.kind !== 'map') return found;
  const deps = root.entries.find(({ key }) => key.kind === 'keyword' && key.namespace === null && key.name === 'deps')?.value;
  if (deps?.kind !== 'map') return found;
  for (const { key, value } of deps.entries) {
    if (key.kind !== 'symbol') continue;
    const lib = key.namespace === null ? `${key.name}/${key.name}` : `${key.namespace}/${key.name}`;
    if (!found.libs.has(lib)) found.libs.set(lib, key);
    if (value.kind !== 'map') continue;
    const local = value.entries.find((e) => e.key.kind === 'keyword' && e.key.namespace === 'local' && e.key.name === 'root')?.value;
    if (local?.kind === 'string') found.localRoots.set(resolve(projectDir, local.value), key);
  }
  return found;
}

/** Reads deps.edn for locations; an unreadable one gives none. */
export async function readDepsCoordinates(projectDir: string): Promise<DepsCoordinates> {
  try {
    const { data, truncated } = await readRegularFile(join(projectDir, 'deps.edn'), DEPS_EDN_MAX);
    if (!truncated) return depsCoordinates(data.toString('utf8'), projectDir);
  } catch {
    // Locations are a courtesy.
  }
  return { libs: new Map(), localRoots: new Map() };
}

/** Where deps.edn names the dependency an entry comes from, when it is a top-level dep there. */
export function coordinateOf(coordinates: DepsCoordinates, entry: { kind: EntryKind; origin: string; path: string }): Position | undefined {
  if (entry.kind === 'maven' || entry.kind === 'git') return coordinates.libs.get(libraryOf(entry).name);
  for (const [dir, at] of coordinates.localRoots) {
    if (entry.path === dir || entry.path.startsWith(`${dir}/`)) return at;
  }
  return undefined;
}
