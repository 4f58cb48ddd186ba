import { pathToNamespace } from '../ion-config/namespaces.js';
import type { Problem } from '../problems.js';

/**
 * Dependency conflicts, in the spirit of ion-dev's `:dependency-conflicts`: a Clojure namespace or a
 * Java class that more than one classpath entry provides. The JVM loads a resource from the first
 * entry that has it, so the others are silently shadowed. Pure: it works on the entry names push
 * has already read (jar central directories, directory walks).
 *
 * - A namespace is provided by `a/b.clj`, `a/b.cljc` or the AOT-compiled `a/b__init.class`; a class
 *   by any other `.class` file. The classes an AOT-compiled namespace generates (`a/b$fn__12.class`,
 *   `a/b/Record.class`) are counted under that namespace when the same entries provide it.
 * - What every jar carries is not a conflict and is ignored: everything under `META-INF/`
 *   (manifests, licences, Maven metadata, multi-release classes), `module-info.class`,
 *   `package-info.class`, `data_readers.clj(c)` (Clojure merges them all), and any file that is
 *   neither Clojure source nor a class (LICENSE, README, resources).
 * - The winner is the first entry on the classpath. Caveat: when an earlier entry has a namespace's
 *   source and a later one its AOT class, Clojure loads whichever is newer (RT.load compares their
 *   timestamps), so the later one can win; such a pair is reported all the same.
 */

/** One classpath entry's relative file names (`/`-separated, directories may end in `/`). */
export interface EntryListing {
  /** The entry's provenance as the manifest names it (`org.clojure/data.json 2.4.0`, `src`). */
  origin: string;
  names: readonly string[];
}

/** The conflicts between one set of entries. */
export interface ConflictGroup {
  /** The entries' origins, in classpath order (indexes into the listings in `at`). */
  entries: string[];
  at: number[];
  /** The first on the classpath: the one the JVM loads from. */
  winner: string;
  /** Namespaces (`clojure.data.json`), sorted. */
  namespaces: string[];
  /** Class names (`com.example.Foo`), sorted. */
  classes: string[];
}

/** One line of the `dependency-conflicts` output. */
export type ConflictItem = ({ namespace: string } | { class: string }) & { entries: string[]; winner: string };

const IGNORED_FILES = new Set(['module-info', 'package-info', 'data_readers']);

const ignored = (path: string): boolean => {
  const slash = path.lastIndexOf('/');
  return IGNORED_FILES.has(slash < 0 ? path : path.slice(slash + 1));
};

/**
 * What a file name provides: a namespace's resource path (`a/b`), a class's (`a/B`), or nothing.
 * Cheap on the names that provide nothing, which are most: this runs on every name of every jar.
 */
function provides(name: string): { namespace: string } | { class: string } | undefined {
  let stem: string;
  let isClass = false;
  if (name.endsWith('.class')) {
    if (name.endsWith('__init.class')) stem = name.slice(0, -'__init.class'.length);
    else {
      stem = name.slice(0, -'.class'.length);
      isClass = true;
    }
  } else if (name.endsWith('.clj')) stem = name.slice(0, -'.clj'.length);
  else if (name.endsWith('.cljc')) stem = name.slice(0, -'.cljc'.length);
  else return undefined;
  if (stem === '' || name.startsWith('META-INF/') || ignored(stem)) return undefined;
  return isClass ? { class: stem } : { namespace: stem };
}

/** Who provides what: resource path → the entry index, or the indexes once a second entry has it. */
type Providers = Map<string, number | number[]>;

function record(providers: Providers, path: string, index: number): void {
  const seen = providers.get(path);
  if (seen === undefined) providers.set(path, index);
  else if (typeof seen === 'number') {
    if (seen !== index) providers.set(path, [seen, index]);
  } else if (seen[seen.length - 1] !== index) seen.push(index);
}

/** Conflict groups, one per set of entries that provide the same things, in classpath order of their first entry. */
export function findDependencyConflicts(listings: readonly EntryListing[]): ConflictGroup[] {
  // Most names come from one entry: keep a number, and make a list only on the second provider.
  const namespaces: Providers = new Map();
  const classes: Providers = new Map();
  listings.forEach((listing, index) => {
    for (const name of listing.names) {
      const p = provides(name);
      if (p === undefined) continue;
      if ('class' in p) record(classes, p.class, index);
      else record(namespaces, p.namespace, index);
    }
  });

  const groups = new Map<string, { at: number[]; namespaces: string[]; classes: string[] }>();
  const groupOf = (at: number[]) => {
    const id = at.join(',');
    const found = groups.get(id);
    if (found) return found;
    const group = { at, namespaces: [] as string[], classes: [] as string[] };
    groups.set(id, group);
    return group;
  };
  for (const [path, seen] of namespaces) if (typeof seen !== 'number') groupOf(seen).namespaces.push(path);
  for (const [path, seen] of classes) if (typeof seen !== 'number') groupOf(seen).classes.push(path);

  const result: ConflictGroup[] = [];
  for (const { at, namespaces, classes } of groups.values()) {
    const nsPaths = new Set(namespaces);
    const own = nsPaths.size === 0 ? classes : classes.filter((c) => !belongsToNamespace(c, nsPaths));
    result.push({
      entries: at.map((i) => listings[i]!.origin),
      at,
      winner: listings[at[0]!]!.origin,
      namespaces: namespaces.map(pathToNamespace).sort(),
      classes: own.map((c) => c.replace(/\//g, '.')).sort(),
    });
  }
  return result.sort((a, b) => compareIndexes(a.at, b.at));
}

/** `a/b$fn__1` and `a/b/Rec` belong to namespace path `a/b`. */
function belongsToNamespace(classPath: string, nsPaths: ReadonlySet<string>): boolean {
  for (let i = classPath.length; i > 0; i--) {
    const c = classPath[i];
    if ((c === '$' || c === '/') && nsPaths.has(classPath.slice(0, i))) return true;
  }
  return false;
}

function compareIndexes(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** How many namespaces and classes the groups hold. */
export const conflictCount = (groups: readonly ConflictGroup[]): number =>
  groups.reduce((n, g) => n + g.namespaces.length + g.classes.length, 0);

/**
 * The `dependency-conflicts` output: one item per namespace, then per class, at most `max` items
 * (a job's outputs share 1 MB; two versions of one large library alone are thousands of classes).
 */
export function conflictItems(groups: readonly ConflictGroup[], max = 1000): ConflictItem[] {
  const items: ConflictItem[] = [];
  for (const g of groups) for (const ns of g.namespaces) items.push({ namespace: ns, entries: g.entries, winner: g.winner });
  for (const g of groups) for (const cls of g.classes) items.push({ class: cls, entries: g.entries, winner: g.winner });
  return items.slice(0, max);
}

/** Namespaces first, then classes: a few names, then how many more. */
export function conflictNames(group: ConflictGroup, shown = 3): string {
  const names = [...group.namespaces, ...group.classes];
  const listed = names.slice(0, shown).join(', ');
  return names.length > shown ? `${listed} and ${names.length - shown} more` : listed;
}

const counted = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** What one group means, in a sentence that says what to do. Holds origins and names: print it inert. */
export function conflictMessage(group: ConflictGroup): string {
  const what = [
    group.namespaces.length ? counted(group.namespaces.length, 'namespace', 'namespaces') : '',
    group.classes.length ? counted(group.classes.length, 'class', 'classes') : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const shadowed = group.entries.slice(1);
  return (
    `Dependency conflict: ${what} (${conflictNames(group)}) provided by ${group.entries.join(', ')}. ` +
    `The first on the classpath wins: ${group.winner}; the copies in ${shadowed.join(', ')} are never loaded. ` +
    'If that is not what you want, exclude one (:exclusions in deps.edn) or depend on one version only.'
  );
}

/**
 * Conflict groups as warnings, at most `max` (GitHub shows 10 warnings per step), then one saying
 * how many more; `locate` places a group's warning (null: the closing one).
 */
export function conflictWarnings(
  groups: readonly ConflictGroup[],
  locate: (group: ConflictGroup | null) => { file?: string; line?: number; column?: number },
  max = 5,
): Problem[] {
  const warnings: Problem[] = groups.slice(0, max).map((g) => ({ severity: 'warning', message: conflictMessage(g), ...locate(g) }));
  if (groups.length > max) {
    const more = groups.slice(max);
    warnings.push({
      severity: 'warning',
      message: `…and ${more.length} more dependency conflicts (${conflictCount(more)} namespaces and classes): every one is in the log and the job summary.`,
      ...locate(null),
    });
  }
  return warnings;
}
