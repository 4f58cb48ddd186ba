import pLimit from 'p-limit';
import type { ClassifiedEntry } from '../classpath/classify-entry.js';
import { sha256FileSync, sha256Hex } from '../content/hash.js';
import { zipDirectory } from '../content/deterministic-zip.js';
import type { ContentObject } from '../content/objects.js';
import { objectKey } from '../layout.js';
import type { ManifestEntry } from '../manifest/schema.js';
import { formatBytes } from '../format-bytes.js';

export interface PackedEntry {
  entry: ManifestEntry;
  object: ContentObject;
  path: string;
}

/**
 * Jars are hashed as they are; directories become deterministic zips, hashed. The two run as
 * separate phases so the log can report the hashing rate on its own (bench/push.ts reads it).
 */
export async function packEntries(entries: readonly ClassifiedEntry[], prefix: string, log: (message: string) => void): Promise<PackedEntry[]> {
  const limit = pLimit(4);
  const packOne = async (e: ClassifiedEntry): Promise<PackedEntry> => {
    let content: { sha256: string; size: number };
    let body: ContentObject['body'];
    if (e.packaging === 'jar') {
      content = sha256FileSync(e.path);
      body = { path: e.path };
    } else {
      const data = await zipDirectory(e.path);
      content = { sha256: sha256Hex(data), size: data.length };
      body = { data };
    }
    const key = objectKey(prefix, content.sha256, e.packaging);
    return {
      entry: { key, sha256: content.sha256, size: content.size, kind: e.kind, packaging: e.packaging, origin: e.origin },
      object: { key, sha256: content.sha256, size: content.size, body },
      path: e.path,
    };
  };
  const phase = async (kind: 'jar' | 'dir') => {
    const started = Date.now();
    const done = await Promise.all(entries.filter((e) => e.packaging === kind).map((e) => limit(() => packOne(e))));
    const bytes = done.reduce((n, p) => n + p.entry.size, 0);
    const what = kind === 'jar' ? `Hashed ${done.length} jars` : `Zipped and hashed ${done.length} directories`;
    log(`${what} (${formatBytes(bytes)}) in ${Date.now() - started} ms`);
    return done;
  };
  const byPath = new Map([...(await phase('dir')), ...(await phase('jar'))].map((p) => [p.path, p]));
  return entries.map((e) => byPath.get(e.path)!);
}

