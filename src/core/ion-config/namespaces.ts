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
