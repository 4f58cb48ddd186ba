import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isPlainAbsolute } from '../content/safe-tree.js';
import type { EntryKind } from '../manifest/schema.js';

/** Where classpath entries come from on this machine; all paths absolute. */
export interface ClasspathContext {
  /** The directory holding deps.edn; relative entries are relative to it. */
  projectDir: string;
  /** The git work tree's root, or null outside a repository. */
  repoRoot: string | null;
  /** The local Maven repository (`~/.m2/repository`). */
  mavenRepo: string;
  /** Where tools.deps checks out git deps (`~/.gitlibs`, or $GITLIBS). */
  gitlibs: string;
}

export interface ClassifiedEntry {
  /** As the classpath string had it. */
  raw: string;
  /** Absolute. */
  path: string;
  kind: EntryKind;
  packaging: 'jar' | 'dir';
  /** Human-readable provenance for the manifest and the summary. */
  origin: string;
  /**
   * Where the entry's symbolic links may lead (a real path) and how to name it in errors; set by
   * classifyClasspath (see entryBoundary). Without it, only inside the entry itself.
   */
  boundary?: { path: string; name: string };
}

const isInside = (parent: string, child: string): boolean => {
  // The same answer without path.relative for plain absolute paths (see isPlainAbsolute).
  if (isPlainAbsolute(parent) && isPlainAbsolute(child))
    return child.startsWith(`${parent}/`) && !child.startsWith('..', parent.length + 1);
  const rel = relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

/**
 * path.relative for a child known to be inside (or equal to) parent: for two plain absolute paths
 * the same string by slicing (path.relative resolves both against the working directory first).
 */
const relativeInside = (parent: string, child: string): string =>
  isPlainAbsolute(parent) && isPlainAbsolute(child) ? child.slice(parent.length + 1) : relative(parent, child);

/**
 * Classifies one classpath entry. Order matters: a Maven repository or gitlibs folder inside the
 * repository (as some CI caches are) still counts as Maven/git, because those are reproducible.
 */
export function classifyEntry(raw: string, isDirectory: boolean, ctx: ClasspathContext): ClassifiedEntry {
  // A plain absolute path (as tools.deps prints jars) is what resolve would return for it.
  const path = isPlainAbsolute(raw) ? raw : resolve(ctx.projectDir, raw);
  const packaging = isDirectory ? 'dir' : 'jar';
  if (!isDirectory && isInside(ctx.mavenRepo, path)) {
    return { raw, path, kind: 'maven', packaging, origin: mavenOrigin(relativeInside(ctx.mavenRepo, path)) };
  }
  if (isInside(ctx.gitlibs, path)) {
    return { raw, path, kind: 'git', packaging, origin: gitOrigin(relativeInside(ctx.gitlibs, path)) };
  }
  if (ctx.repoRoot !== null && (isInside(ctx.repoRoot, path) || path === ctx.repoRoot)) {
    return { raw, path, kind: 'project', packaging, origin: relativeInside(ctx.repoRoot, path).split(sep).join('/') || '.' };
  }
  return { raw, path, kind: 'local', packaging, origin: path };
}

/** `org/clojure/clojure/1.11.1/clojure-1.11.1.jar` → `org.clojure/clojure 1.11.1`. */
function mavenOrigin(rel: string): string {
  const parts = rel.split(sep);
  if (parts.length < 4) return rel;
  const version = parts[parts.length - 2]!;
  const artifact = parts[parts.length - 3]!;
  const group = parts.slice(0, parts.length - 3).join('.');
  return `${group}/${artifact} ${version}`;
}

/** `libs/io.github.x/lib/<sha>/src` → `io.github.x/lib <sha> src`. */
function gitOrigin(rel: string): string {
  const parts = rel.split(sep);
  if (parts[0] === 'libs' && parts.length >= 4) {
    const [, ns, name, sha, ...rest] = parts;
    return `${ns}/${name} ${sha}${rest.length ? ` ${rest.join('/')}` : ''}`;
  }
  return rel.split(sep).join('/');
}

/**
 * Where an entry's symbolic links may lead (before resolving links): the repository for the
 * project's own entries, the Maven repository for Maven jars, the checkout for a git dep, and the
 * entry itself for anything else (a directory or jar outside the repository).
 */
export function entryBoundary(entry: ClassifiedEntry, ctx: ClasspathContext): { path: string; name: string } {
  switch (entry.kind) {
    case 'project':
      return { path: ctx.repoRoot ?? entry.path, name: 'the repository' };
    case 'maven':
      return { path: ctx.mavenRepo, name: 'the local Maven repository' };
    case 'git': {
      // libs/<lib ns>/<lib name>/<sha>: the checkout this entry belongs to.
      const parts = relative(ctx.gitlibs, entry.path).split(sep);
      const checkout = parts[0] === 'libs' && parts.length >= 4 ? join(ctx.gitlibs, ...parts.slice(0, 4)) : entry.path;
      return { path: checkout, name: `the git dependency's checkout` };
    }
    case 'local':
      return { path: entry.path, name: entry.packaging === 'dir' ? 'that directory' : 'that jar' };
  }
}
