/**
 * The jar facts cache between pushes: one NDJSON file, read at the start of a push and replaced
 * atomically at its end (written to a private temporary name, then renamed: two pushes finishing
 * at once each leave a whole file, the last one wins). Failing to read or write it never fails a
 * push: without it every jar is read and hashed, as before the cache.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type JarFactsCache, processJarFacts } from './jar-cache.js';
import { readRegularFile, replaceFilePrivatelySync } from './safe-tree.js';

/** A larger file is ignored when read and trimmed when written (200 jars' entry names take about 1 MB). */
export const JAR_CACHE_MAX_BYTES = 16 * 1024 * 1024;

const FILE_NAME = 'jar-facts.ndjson';

/** Adds the file's facts to the cache; a missing, oversized, non-regular or foreign file adds nothing. */
export async function loadJarCache(dir: string, cache: JarFactsCache = processJarFacts()): Promise<void> {
  try {
    const { data, truncated } = await readRegularFile(join(dir, FILE_NAME), JAR_CACHE_MAX_BYTES);
    if (!truncated) cache.load(data.toString('utf8'));
  } catch {
    // No cache yet, or an unreadable one: every jar is read afresh.
  }
}

/** Writes the cache when it learnt something; returns why it could not (or undefined). */
export function saveJarCache(dir: string, cache: JarFactsCache = processJarFacts(), maxBytes = JAR_CACHE_MAX_BYTES): string | undefined {
  if (!cache.dirty) return undefined;
  try {
    mkdirSync(dir, { recursive: true });
    replaceFilePrivatelySync(join(dir, FILE_NAME), cache.serialize(maxBytes));
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
