import type { Manifest, ManifestEntry, ManifestLambda } from '../manifest/schema.js';

/**
 * What a revision changes against the one a deployment group runs now, read from the two
 * manifests alone (no cluster, no service). Pure.
 *
 * - Libraries: Maven and git entries, named by their `origin` (`org.clojure/clojure 1.11.1` →
 *   `org.clojure/clojure` at `1.11.1`; `io.github.x/lib <sha> src` → `io.github.x/lib` at `<sha>`).
 *   A library whose version stays but whose bytes differ (a SNAPSHOT) counts as changed, from and to
 *   the same version.
 * - Project paths: project and local entries by origin (the path), changed when their SHA-256 differs.
 * - Lambdas: by name, changed when any field differs.
 *
 * Every name and version here comes from a manifest, that is from outside this code: print it inert.
 */
export interface Lib {
  name: string;
  version: string;
}

export interface RevisionDiff {
  same: boolean;
  libraries: { added: Lib[]; removed: Lib[]; changed: { name: string; from: string; to: string }[] };
  projectPaths: { added: string[]; removed: string[]; changed: string[] };
  lambdas: { added: string[]; removed: string[]; changed: string[] };
}

interface LibState {
  version: string;
  /** The SHA-256 of every entry of the library, in classpath order (a git lib may have several paths). */
  content: string;
}

/** `group/artifact version` (maven) or `lib sha [path]` (git) → name and version. */
export function libraryOf(entry: Pick<ManifestEntry, 'kind' | 'origin'>): Lib {
  const origin = entry.origin;
  if (entry.kind === 'git') {
    // The lib and its SHA never hold spaces; a path inside the checkout after them may.
    const [name = origin, version = ''] = origin.split(' ');
    return { name, version };
  }
  // Maven: the version is the last directory name of the jar's path; anything before it is the name.
  const at = origin.lastIndexOf(' ');
  return at <= 0 ? { name: origin, version: '' } : { name: origin.slice(0, at), version: origin.slice(at + 1) };
}

const isLibrary = (e: ManifestEntry): boolean => e.kind === 'maven' || e.kind === 'git';

function libraries(manifest: Manifest): Map<string, LibState> {
  const libs = new Map<string, LibState>();
  for (const e of manifest.classpath.filter(isLibrary)) {
    const { name, version } = libraryOf(e);
    const seen = libs.get(name);
    // The same lib twice (a classifier jar, two paths of a git dep): the first sets the version.
    if (seen) seen.content += ` ${e.sha256}`;
    else libs.set(name, { version, content: e.sha256 });
  }
  return libs;
}

function paths(manifest: Manifest): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of manifest.classpath.filter((x) => !isLibrary(x))) out.set(e.origin, `${out.get(e.origin) ?? ''} ${e.sha256}`);
  return out;
}

const lambdaFields = (l: ManifestLambda): string => JSON.stringify([l.fn, l.description, l.timeoutSecs, l.concurrencyLimit, l.integration]);

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Keys only in `next`, only in `running`, and in both with a different value; each sorted. */
function compare<V>(running: Map<string, V>, next: Map<string, V>, differs: (a: V, b: V) => boolean) {
  const added = [...next.keys()].filter((k) => !running.has(k)).sort(byText);
  const removed = [...running.keys()].filter((k) => !next.has(k)).sort(byText);
  const changed = [...next.keys()].filter((k) => running.has(k) && differs(running.get(k)!, next.get(k)!)).sort(byText);
  return { added, removed, changed };
}

export function diffManifests(running: Manifest, next: Manifest): RevisionDiff {
  const runningLibs = libraries(running);
  const nextLibs = libraries(next);
  const libs = compare(runningLibs, nextLibs, (a, b) => a.version !== b.version || a.content !== b.content);
  const projectPaths = compare(paths(running), paths(next), (a, b) => a !== b);
  const lambdas = compare(
    new Map((running.lambdas ?? []).map((l) => [l.name, lambdaFields(l)])),
    new Map((next.lambdas ?? []).map((l) => [l.name, lambdaFields(l)])),
    (a, b) => a !== b,
  );
  const libraryDiff: RevisionDiff['libraries'] = {
    added: libs.added.map((name) => ({ name, version: nextLibs.get(name)!.version })),
    removed: libs.removed.map((name) => ({ name, version: runningLibs.get(name)!.version })),
    changed: libs.changed.map((name) => ({ name, from: runningLibs.get(name)!.version, to: nextLibs.get(name)!.version })),
  };
  const counts = [libs, projectPaths, lambdas].reduce((n, d) => n + d.added.length + d.removed.length + d.changed.length, 0);
  return { same: counts === 0, libraries: libraryDiff, projectPaths, lambdas };
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** Names when there are a few, else a count. */
const named = (names: string[]): string => (names.length <= 3 ? names.join(', ') : `${names.length} project paths`);

/**
 * The diff in one short line for the log: `2 libraries changed, 1 added; src changed; lambdas +echo`.
 * Holds names from the manifests: pass it through inert() before printing.
 */
export function diffOneLine(diff: RevisionDiff): string {
  if (diff.same) return 'no change in libraries, project paths or lambdas';
  const parts: string[] = [];
  const { libraries: l, projectPaths: p, lambdas: f } = diff;
  const libCounts = [
    [l.changed.length, 'changed'],
    [l.added.length, 'added'],
    [l.removed.length, 'removed'],
  ] as const;
  const libText = libCounts
    .filter(([n]) => n > 0)
    .map(([n, what], i) => (i === 0 ? `${plural(n, 'library', 'libraries')} ${what}` : `${n} ${what}`));
  if (libText.length) parts.push(libText.join(', '));
  const pathText = (
    [
      [p.changed, 'changed'],
      [p.added, 'added'],
      [p.removed, 'removed'],
    ] as const
  )
    .filter(([names]) => names.length > 0)
    .map(([names, what]) => `${named(names)} ${what}`);
  if (pathText.length) parts.push(pathText.join(', '));
  const lambdaText = [...f.added.map((n) => `+${n}`), ...f.removed.map((n) => `-${n}`), ...f.changed.map((n) => `~${n}`)];
  if (lambdaText.length) {
    parts.push(
      lambdaText.length <= 4
        ? `lambdas ${lambdaText.join(' ')}`
        : `lambdas ${f.added.length} added, ${f.removed.length} removed, ${f.changed.length} changed`,
    );
  }
  return parts.join('; ');
}
