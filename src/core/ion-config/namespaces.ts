import type { EdnNode } from '../edn/nodes.js';
import { EdnSyntaxError, readEdn } from '../edn/reader.js';

/**
 * Clojure's mapping between namespaces and classpath resources: `my-app.core` is loaded from
 * `my_app/core.clj` (or `.cljc`, or AOT-compiled `my_app/core__init.class`).
 */

/** `my-app.core` → `my_app/core` (clojure.core/root-resource, without the leading slash). */
export const namespaceToPath = (ns: string): string => ns.replace(/-/g, '_').replace(/\./g, '/');

/** `my_app/core` → `my-app.core`. Lossy: `my_app.core` also lives in `my_app/core.clj`. */
export const pathToNamespace = (path: string): string => path.replace(/_/g, '-').replace(/\//g, '.');

/** The name under which `ns` appears in an index built with pathToNamespace. */
export const indexedName = (ns: string): string => pathToNamespace(namespaceToPath(ns));

const SOURCE = /^(.+)(?:\.cljc?|__init\.class)$/;

/** The namespace a classpath-relative resource path defines, if it is Clojure source or an AOT init class. */
export function namespaceOfResource(path: string): string | undefined {
  if (path.startsWith('META-INF/')) return undefined; // project.clj copies and the like, never loaded by require
  const m = SOURCE.exec(path);
  return m?.[1] ? pathToNamespace(m[1]) : undefined;
}

/** More than any config names; bounds the files read for a hostile one. */
const MAX_NAMED = 256;

/**
 * The namespaces of every qualified symbol in an ion-config text (wherever it is: checking its
 * place is validation's job), in order of appearance; none when the text is not EDN.
 */
export function namespacesNamedIn(text: string): string[] {
  let root: EdnNode;
  try {
    root = readEdn(text);
  } catch (e) {
    if (e instanceof EdnSyntaxError) return [];
    throw e;
  }
  const found = new Set<string>();
  const stack: EdnNode[] = [root];
  while (stack.length > 0 && found.size < MAX_NAMED) {
    const node = stack.pop() as EdnNode;
    if (node.kind === 'symbol' && node.namespace !== null) found.add(node.namespace);
    else if (node.kind === 'list' || node.kind === 'vector' || node.kind === 'set') stack.push(...[...node.items].reverse());
    else if (node.kind === 'map') stack.push(...node.entries.flatMap((e) => [e.value, e.key]).reverse());
    else if (node.kind === 'tagged') stack.push(node.value);
  }
  return [...found];
}
