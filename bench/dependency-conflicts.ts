/**
 * npx tsx bench/dependency-conflicts.ts — what the dependency-conflict check costs push, on every
 * jar of Debian's Maven repository (/usr/share/maven-repo: ~230 real jars, Clojure's among them).
 *
 * Three figures, medians of 7 runs, central directories in the page cache (as they are when push
 * checks: validation has just read them for the namespace index):
 * - the namespace index push already builds (indexNamespaces: reads every jar's entry names);
 * - reading the entry names again for the check (readEntryListings);
 * - the check itself on those names (findDependencyConflicts), pure.
 * Prints a table; asserts nothing (speed is measured, not asserted).
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { findDependencyConflicts, conflictCount } from '../src/core/classpath/dependency-conflicts.js';
import { readEntryListings } from '../src/core/classpath/entry-listings.js';
import { indexNamespaces } from '../src/core/ion-config/classpath-resources.js';

const RUNS = 7;
const jars = execFileSync('find', ['-L', '/usr/share/maven-repo', '-name', '*.jar', '-type', 'f'], { encoding: 'utf8' })
  .trim()
  .split('\n')
  .sort();
const entries = jars.map((path) => ({ path, packaging: 'jar' as const, origin: path.slice('/usr/share/maven-repo/'.length) }));

/** Median wall and CPU (user + system) milliseconds: on a busy machine the CPU figure is the steadier one. */
async function median(fn: () => Promise<unknown> | unknown): Promise<string> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    await fn();
    wall.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  const mid = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!.toFixed(0);
  return `${mid(wall)} | ${mid(cpu)}`;
}

await indexNamespaces(entries.map((e) => ({ path: e.path, isDirectory: false }))); // warm the page cache
const listings = await readEntryListings(entries);
const names = listings.reduce((n, l) => n + l.names.length, 0);
const groups = findDependencyConflicts(listings);

const index = await median(() => indexNamespaces(entries.map((e) => ({ path: e.path, isDirectory: false }))));
const read = await median(() => readEntryListings(entries));
const check = await median(() => findDependencyConflicts(listings));

console.log(
  `${jars.length} jars, ${names} entry names, ${groups.length} conflict groups (${conflictCount(groups)} namespaces and classes)`,
);
console.log('| step | median wall ms | median CPU ms |');
console.log('|---|---:|---:|');
console.log(`| namespace index (push already does this) | ${index} |`);
console.log(`| entry names read again for the check | ${read} |`);
console.log(`| conflict check on those names | ${check} |`);
