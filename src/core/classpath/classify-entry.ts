import { isAbsolute, relative, resolve, sep } from 'node:path';
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
}

const isInside = (parent: string, child: string): boolean => {
  const rel = relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

/**
 * Classifies one classpath entry. Order matters: a Maven repository or gitlibs folder inside the
 * repository (as some CI caches are) still counts as Maven/git, because those are reproducible.
 */
export function classifyEntry(raw: string, isDirectory: boolean, ctx: ClasspathContext): ClassifiedEntry {
  const path = resolve(ctx.projectDir, raw);
  const packaging = isDirectory ? 'dir' : 'jar';
  if (!isDirectory && isInside(ctx.mavenRepo, path)) {
    return { raw, path, kind: 'maven', packaging, origin: mavenOrigin(relative(ctx.mavenRepo, path)) };
  }
  if (isInside(ctx.gitlibs, path)) {
    return { raw, path, kind: 'git', packaging, origin: gitOrigin(relative(ctx.gitlibs, path)) };
  }
  if (ctx.repoRoot !== null && (isInside(ctx.repoRoot, path) || path === ctx.repoRoot)) {
    return { raw, path, kind: 'project', packaging, origin: relative(ctx.repoRoot, path).split(sep).join('/') || '.' };
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
