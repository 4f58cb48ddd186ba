import { stat } from 'node:fs/promises';
import { delimiter, resolve } from 'node:path';
import { classifyEntry, type ClassifiedEntry, type ClasspathContext } from '../classpath/classify-entry.js';
import type { Problem } from '../problems.js';

/** The classpath string as classified entries, in classpath order; missing entries become warnings. */
export async function classifyClasspath(classpath: string, ctx: ClasspathContext, warnings: Problem[]): Promise<ClassifiedEntry[]> {
  const raws = [...new Set(classpath.split(delimiter).map((s) => s.trim()).filter((s) => s !== ''))];
  const stats = await Promise.all(raws.map((raw) => stat(resolve(ctx.projectDir, raw)).catch(() => null)));
  const entries: ClassifiedEntry[] = [];
  raws.forEach((raw, i) => {
    const st = stats[i];
    // The JVM ignores classpath entries that do not exist (e.g. an empty `resources`), so do we.
    if (!st) warnings.push({ severity: 'warning', message: `classpath entry ${raw} does not exist; skipped` });
    else entries.push(classifyEntry(raw, st.isDirectory(), ctx));
  });
  return entries;
}

