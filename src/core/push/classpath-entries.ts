import { realpathSync, type Stats } from 'node:fs';
import { delimiter, isAbsolute, join, relative, resolve } from 'node:path';
import { classifyEntry, entryBoundary, type ClassifiedEntry, type ClasspathContext } from '../classpath/classify-entry.js';
import {
  describeUnsafe,
  type FoundPath,
  findPathSync,
  isPlainAbsolute,
  isWithin,
  judgeFoundPath,
  type RealDirs,
  readRegularFileSync,
  type UnsafePath,
  walkTree,
} from '../content/safe-tree.js';
import { readEdn, type EdnNode, type Position } from '../edn/reader.js';
import { UserError, type Problem } from '../problems.js';

/** deps.edn is read for warning locations only; a larger one is not searched. */
const DEPS_EDN_MAX = 1024 * 1024;

/**
 * The classpath string as classified entries, in classpath order. Missing entries become warnings
 * (located on deps.edn's `:paths` string where it names them). Every entry and every path in a
 * classpath directory is checked by the rule of safe-tree.ts before anything reads it: a link
 * that leaves the project, anything under /proc, /sys or /dev, a FIFO, socket or device is a
 * UserError listing them all, with paths relative to the repository.
 */
export async function classifyClasspath(classpath: string, ctx: ClasspathContext, warnings: Problem[]): Promise<ClassifiedEntry[]> {
  const raws = [
    ...new Set(
      classpath
        .split(delimiter)
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
  const show = showRelativeTo(ctx.repoRoot ?? ctx.projectDir);
  const located = depsEdnLocator(ctx.projectDir);
  const entries: ClassifiedEntry[] = [];
  const errors: Problem[] = [];
  // stat, realpath and lstat are synchronous here: a few µs each, where each asynchronous call costs a
  // thread-pool round trip (see walkTree in safe-tree.ts); 200 jars made 600 of them in a row.
  const realBoundaries = new Map<string, string>(); // 200 jars share one Maven repository
  const realBoundary = (p: string): string => {
    let real = realBoundaries.get(p);
    if (real === undefined) {
      try {
        real = realpathSync.native(p);
      } catch {
        real = p;
      }
      realBoundaries.set(p, real);
    }
    return real;
  };
  const realDirs: RealDirs = new Map();
  for (const raw of raws) {
    const path = isPlainAbsolute(raw) ? raw : resolve(ctx.projectDir, raw);
    // realpath and lstat of the real path: the type stat would give, and what the safety check
    // needs, in two calls instead of three (200 jars).
    const found = findPathSync(path, realDirs);
    // The JVM ignores classpath entries that do not exist (e.g. an empty `resources`), so do we.
    if (!found) {
      warnings.push({
        severity: 'warning',
        message: `classpath entry ${isAbsolute(raw) ? show(raw) : raw} does not exist; skipped`,
        ...located(raw),
      });
      continue;
    }
    const entry = classifyEntry(raw, found.stats.isDirectory(), ctx);
    const bound = entryBoundary(entry, ctx);
    const boundary = { path: realBoundary(bound.path), name: bound.name };
    const unsafe = await checkEntry(entry, boundary.path, found);
    for (const u of unsafe.self)
      errors.push({ severity: 'error', message: `classpath entry ${describeUnsafe(u, show, boundary.name)}`, ...located(raw) });
    for (const u of unsafe.tree) {
      const inRepo = ctx.repoRoot !== null && isWithin(ctx.repoRoot, u.path);
      errors.push({ severity: 'error', message: describeUnsafe(u, show, boundary.name), ...(inRepo ? { file: u.path } : {}) });
    }
    const classified = { ...entry, boundary };
    if (entry.packaging === 'jar') jarStats.set(classified, found.stats);
    entries.push(classified);
  }
  if (errors.length > 0) {
    throw new UserError(
      `push refused ${errors.length} path${errors.length === 1 ? '' : 's'} on the classpath (listed above); nothing was read from them and nothing was uploaded.`,
      errors,
    );
  }
  return entries;
}

/**
 * A jar's identity as classifying saw it: lstat of its real path, the fields a stat of the jar (or
 * the fstat of the opened jar) gives. The namespace index and hashing look the jar up in the jar
 * facts cache by it (jar-cache.ts) instead of a stat each: two syscalls fewer per jar, and a jar's
 * facts then all belong to the one identity this push saw. A jar rewritten during the push (never a
 * Maven jar) is hashed by what it was when classified; the deploy's pre-flight and the instance
 * hooks verify every object's SHA-256, as they do for any wrong hash (see jar-cache.ts).
 */
export const classifiedStats = (entry: ClassifiedEntry): Stats | undefined => jarStats.get(entry);

// Beside the entries, not in them: ClassifiedEntry stays plain data (compared, spread into reports).
const jarStats = new WeakMap<ClassifiedEntry, Stats>();

/** What is unsafe about an entry (found where `found` says): the entry itself, or (for a directory) any path under it. */
async function checkEntry(entry: ClassifiedEntry, boundary: string, found: FoundPath): Promise<{ self: UnsafePath[]; tree: UnsafePath[] }> {
  const r = judgeFoundPath(entry.path, boundary, found);
  if (r.unsafe) return { self: [{ ...r.unsafe, name: undefined }], tree: [] };
  if ('missing' in r) return { self: [], tree: [] };
  if (entry.packaging === 'jar' && !r.stats.isFile())
    return { self: [{ path: entry.path, reason: 'special', what: 'not a regular file' }], tree: [] };
  if (entry.packaging === 'jar') return { self: [], tree: [] };
  // Dangling links, loops and odd names are left to packing, which names them in its own words.
  const { unsafe } = await walkTree(r.real, boundary, { fileStats: false });
  const tree = unsafe
    .filter((u) => u.reason === 'outside' || u.reason === 'system' || u.reason === 'special')
    .map((u) => ({ ...u, name: undefined }));
  return { self: [], tree };
}

const showRelativeTo =
  (base: string) =>
  (absolute: string): string =>
    isWithin(base, absolute) ? relative(base, absolute) || '.' : absolute;

/**
 * Finds where deps.edn names a classpath entry: the string in a `:paths` or `:extra-paths` vector
 * (or a `:local/root`) equal to it. Unreadable or unparsable deps.edn: no locations. deps.edn is
 * read at the first question, so a classpath without a missing or unsafe entry never reads it.
 */
function depsEdnLocator(projectDir: string): (raw: string) => { file?: string; line?: number; column?: number } {
  const file = join(projectDir, 'deps.edn');
  let positions: Map<string, Position> | undefined;
  const read = (): Map<string, Position> => {
    const found = new Map<string, Position>();
    try {
      const { data, truncated } = readRegularFileSync(file, DEPS_EDN_MAX);
      if (!truncated) collectPaths(readEdn(data.toString('utf8')), found);
    } catch {
      // Locations are a courtesy: tools.deps has read deps.edn already and reports its own errors.
    }
    return found;
  };
  return (raw) => {
    positions ??= read();
    const at = positions.get(raw) ?? positions.get(resolve(projectDir, raw));
    return at ? { file, line: at.line, column: at.column } : {};
  };
}

function collectPaths(node: EdnNode, out: Map<string, Position>): void {
  if (node.kind === 'map') {
    for (const { key, value } of node.entries) {
      const isPaths = key.kind === 'keyword' && key.namespace === null && (key.name === 'paths' || key.name === 'extra-paths');
      if (isPaths && value.kind === 'vector') {
        for (const item of value.items) if (item.kind === 'string' && !out.has(item.value)) out.set(item.value, item);
      }
      collectPaths(value, out);
    }
  } else if (node.kind === 'vector' || node.kind === 'list' || node.kind === 'set') {
    for (const item of node.items) collectPaths(item, out);
  } else if (node.kind === 'tagged') {
    collectPaths(node.value, out);
  }
}
