import type { Manifest, ManifestEntry } from '../manifest/schema.js';

/**
 * A revision name means one thing forever: once a bundle is stored under it, push never replaces
 * it with other content. These pure functions say how a stored revision differs from the one being
 * pushed, from the two manifests, so the refusal can say what changed and what to do.
 */

/** Shows aliases as the input takes them: `:prod:ion`, or `none`. */
export const showAliases = (aliases: readonly string[]): string => (aliases.length ? aliases.map((a) => `:${a}`).join('') : 'none');

/** Classpath entries shown by origin in a difference; the rest are counted. */
const ORIGINS_SHOWN = 3;

/**
 * What makes the stored revision's manifest differ from ours, one phrase each; empty when they
 * describe the same revision (then only the bundle's other files, the instance hooks, differ).
 * A field the stored manifest lacks (written by an older push) is not compared.
 */
export function revisionDifferences(stored: Manifest, ours: Manifest): string[] {
  const out: string[] = [];
  if (stored.format !== ours.format || stored.version !== ours.version)
    out.push(`its manifest is ${stored.format} version ${stored.version}`);
  if (stored.aliases !== undefined && ours.aliases !== undefined && !sameJson(stored.aliases, ours.aliases)) {
    out.push(`pushed earlier with aliases ${showAliases(stored.aliases)}, now with ${showAliases(ours.aliases)}`);
  }
  if (stored.commit !== ours.commit) out.push(`pushed earlier from commit ${stored.commit ?? 'none'}, now from ${ours.commit ?? 'none'}`);
  if (stored.appName !== ours.appName || stored.bucket !== ours.bucket) out.push('its application or bucket differs');
  const classpath = classpathDifference(stored.classpath ?? [], ours.classpath);
  if (classpath) out.push(classpath);
  if (!sameJson(stored.ionConfig, ours.ionConfig) || !sameJson(stored.lambdas, ours.lambdas)) out.push('datomic/ion-config.edn differs');
  if (out.length === 0 && stored.reproducible !== ours.reproducible)
    out.push(`pushed earlier as ${stored.reproducible ? 'reproducible' : 'unreproducible'}`);
  return out;
}

function classpathDifference(stored: readonly ManifestEntry[], ours: readonly ManifestEntry[]): string | null {
  const storedKeys = new Set(stored.map((e) => e.key));
  const oursKeys = new Set(ours.map((e) => e.key));
  const added = ours.filter((e) => !storedKeys.has(e.key));
  const removed = stored.filter((e) => !oursKeys.has(e.key));
  if (added.length === 0 && removed.length === 0) {
    return sameJson(
      stored.map((e) => e.key),
      ours.map((e) => e.key),
    )
      ? null
      : 'the classpath order differs';
  }
  const parts: string[] = [];
  if (added.length) parts.push(`${count(added.length, 'classpath entry', 'classpath entries')} new or changed (${origins(added)})`);
  if (removed.length) parts.push(`${count(removed.length, 'entry', 'entries')} of the stored one gone (${origins(removed)})`);
  return parts.join(', ');
}

const origins = (entries: readonly ManifestEntry[]): string =>
  entries
    .slice(0, ORIGINS_SHOWN)
    .map((e) => e.origin)
    .join(', ') + (entries.length > ORIGINS_SHOWN ? `, …${entries.length - ORIGINS_SHOWN} more` : '');

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** Canonical comparison of plain JSON data (key order ignored). */
function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

/**
 * The refusal: which revision, where, what differs, and what to do. `differences` empty with
 * `unreadable` set means the stored object is not a bundle push can read.
 */
export function revisionConflictMessage(args: {
  rev: string;
  location: string;
  differences: readonly string[];
  unreadable?: string;
}): string {
  const what = args.unreadable
    ? `an object push cannot read as a revision bundle (${args.unreadable})`
    : `other content (${args.differences.join('; ')})`;
  return (
    `Revision ${args.rev} already exists at ${args.location} with ${what}. A revision name means one thing forever, so push does not replace it: ` +
    'push this code under a new name with `uname` (e.g. the revision name and a suffix), or push it the way the stored revision was pushed.'
  );
}
