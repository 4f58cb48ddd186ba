/**
 * Where things live in the code bucket (documented in docs/s3-layout.md).
 * Objects are content-addressed and shared by every app and revision under the prefix.
 */
export type Packaging = 'jar' | 'dir';

export const objectKey = (prefix: string, sha256: string, packaging: Packaging): string =>
  `${joinPrefix(prefix)}objects/${sha256}.${packaging === 'jar' ? 'jar' : 'zip'}`;

export const bundleKey = (prefix: string, appName: string, rev: string): string => `${joinPrefix(prefix)}${appName}/revisions/${rev}.zip`;

/** bundleKey's inverse: `…/revisions/<rev>.zip` → `<rev>`; any other key is its own name (deployed by something else). */
export const revOfBundleKey = (key: string): string => /(?:^|\/)revisions\/([^/]+)\.zip$/.exec(key)?.[1] ?? key;

const joinPrefix = (prefix: string): string => {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
};
