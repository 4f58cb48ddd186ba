import { readdir } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import type { ClassifiedEntry } from '../classpath/classify-entry.js';
import { type ClasspathRoot, findIonConfig, indexNamespaces, ION_CONFIG_RESOURCE } from '../ion-config/classpath-resources.js';
import { classifiedStats } from './classpath-entries.js';
import { indexedName, namespacesNamedIn } from '../ion-config/namespaces.js';
import { fileHead, readNsDeclarations, type NsDeclaration, type SourceRoot } from '../ion-config/ns-declarations.js';
import { validateIonConfig, type IonConfig } from '../ion-config/validate.js';
import type { Problem } from '../problems.js';

/** What validation needs from the classpath, read once (the only I/O of validation). */
export interface ProjectResources {
  /** datomic/ion-config.edn: the file (absolute) and its text, or null when no classpath directory has it. */
  ionConfig: { file: string; text: string } | null;
  /** Every namespace on the classpath (indexed names, see ion-config/namespaces.ts). */
  namespaces: Set<string>;
  /** What the files of the namespaces ion-config names declare (see ion-config/ns-declarations.ts). */
  declarations: ReadonlyMap<string, NsDeclaration>;
  /** Problems met while reading (no ion-config, unreadable jars). */
  problems: Problem[];
  /** Every entry's file names, in classpath order (empty lists when ion-config is missing). */
  listings: string[][];
}

/**
 * Reads ion-config, the classpath's namespaces, and the ns forms of the files ion-config's
 * namespaces come from. `projectDir` (the directory holding deps.edn), when given, lets a missing
 * ion-config be explained: a datomic/ion-config.edn that exists in a directory left off the classpath.
 */
export async function readProjectResources(
  entries: readonly ClassifiedEntry[],
  projectDir?: string,
  /** ion-config as readProjectIonConfig found it (undefined: found here). */
  ionConfig?: IonConfigFile | null,
): Promise<ProjectResources> {
  const problems: Problem[] = [];
  const roots = classpathRoots(entries);
  const found = ionConfig === undefined ? await findIonConfig(roots) : (ionConfig ?? undefined);
  if (!found) {
    const elsewhere = projectDir === undefined ? undefined : await ionConfigOffClasspath(projectDir, entries);
    problems.push({ severity: 'error', message: elsewhere ? offClasspathMessage(elsewhere) : NO_ION_CONFIG });
    return { ionConfig: null, namespaces: new Set(), declarations: new Map(), problems, listings: entries.map(() => []) };
  }
  let listings: string[][] = [];
  const namespaces = await indexNamespaces(roots, {
    onListings: (names) => {
      listings = names;
    },
    onSkipped: (path, reason) =>
      problems.push({ severity: 'warning', message: `could not read ${path} (${reason}); its namespaces are not checked` }),
  });
  const named = namespacesNamedIn(found.text).filter((ns) => namespaces.has(indexedName(ns)));
  const declarations = await readNsDeclarations(entries.map(sourceRoot), named, listings);
  return { ionConfig: found, namespaces, declarations, problems, listings };
}

/** datomic/ion-config.edn as read from the classpath: the file (absolute) and its text. */
export type IonConfigFile = { file: string; text: string };

/**
 * ion-config alone (the first step of readProjectResources), or null when no classpath directory
 * has it: its :app-name is all the CodeDeploy and bucket reads need, so they can start before the
 * rest of the classpath is read. Throws as readProjectResources does for an unsafe file.
 */
export async function readProjectIonConfig(entries: readonly ClassifiedEntry[]): Promise<IonConfigFile | null> {
  return (await findIonConfig(classpathRoots(entries))) ?? null;
}

// The boundary lets links in a project directory lead anywhere in the repository, and no further.
const classpathRoots = (entries: readonly ClassifiedEntry[]): ClasspathRoot[] =>
  entries.map((e) => {
    const stats = classifiedStats(e);
    return {
      path: e.path,
      isDirectory: e.packaging === 'dir',
      ...(e.boundary && { boundary: e.boundary.path }),
      ...(stats && { stats }),
    };
  });

const NO_ION_CONFIG =
  'No datomic/ion-config.edn in any classpath directory: create resources/datomic/ion-config.edn with at least {:app-name "my-app"} and make sure "resources" is in :paths.';

/** `src` for a directory (as the classpath names it), the file name for a jar. */
const sourceRoot = (e: ClassifiedEntry): SourceRoot => ({
  path: e.path,
  isDirectory: e.packaging === 'dir',
  label: e.packaging === 'dir' ? e.raw.replace(/[/\\]+$/, '') || '.' : basename(e.path),
  ...(e.boundary && { boundary: e.boundary.path }),
});

export interface ProjectValidation {
  /** The valid config, or null when any error was found. */
  config: IonConfig | null;
  /** The ion-config file that was read (absolute), or null when there is none. */
  file: string | null;
  /** Every problem found, errors and warnings, reading problems included. */
  problems: Problem[];
}

/**
 * Pure: validates datomic/ion-config.edn against the classpath's namespaces and, when known, the
 * application's deployment groups (for the Lambda proxy names). Every problem at once.
 */
export function validateProject(resources: ProjectResources, groups: readonly string[] | null): ProjectValidation {
  if (!resources.ionConfig) return { config: null, file: null, problems: [...resources.problems] };
  const { file, text } = resources.ionConfig;
  const { config, problems } = validateIonConfig(text, file, {
    namespaces: resources.namespaces,
    declarations: resources.declarations,
    groups: groups ?? undefined,
  });
  return { config, file, problems: [...resources.problems, ...problems] };
}

// Where projects keep resources besides `resources/`; looked at one and two levels down, nothing deeper.
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'target', 'dist', 'out', 'classes']);
const MAX_DIRECTORIES_LOOKED_AT = 500;

/**
 * A datomic/ion-config.edn (a regular file) under `projectDir` whose directory is not on the
 * classpath: `resources` first, then other directories one and two levels down, sorted, hidden and
 * build directories skipped. Relative to projectDir, '/'-separated: { dir: 'resources', file: 'resources/datomic/ion-config.edn' }.
 */
export async function ionConfigOffClasspath(
  projectDir: string,
  entries: readonly ClassifiedEntry[],
): Promise<{ dir: string; file: string } | undefined> {
  const onClasspath = new Set(entries.filter((e) => e.packaging === 'dir').map((e) => e.path));
  const candidates = ['resources'];
  const children = await subdirectories(projectDir, '');
  candidates.push(...children.filter((d) => d !== 'resources'));
  for (const child of children.slice(0, MAX_DIRECTORIES_LOOKED_AT)) candidates.push(...(await subdirectories(projectDir, child)));
  for (const dir of candidates.slice(0, MAX_DIRECTORIES_LOOKED_AT)) {
    const abs = join(projectDir, dir);
    if (onClasspath.has(abs)) continue;
    // fileHead opens without following a final symlink or blocking on a FIFO, and only regular files.
    if ((await fileHead(join(abs, ION_CONFIG_RESOURCE))) !== undefined) {
      const rel = relative(projectDir, abs);
      if (rel.startsWith('..') || isAbsolute(rel)) continue;
      return { dir: rel.split(sep).join('/'), file: `${rel.split(sep).join('/')}/${ION_CONFIG_RESOURCE}` };
    }
  }
  return undefined;
}

/** `parent`'s real subdirectories (not symlinks), relative to projectDir, sorted; hidden and build directories left out. */
async function subdirectories(projectDir: string, parent: string): Promise<string[]> {
  const dirents = await readdir(join(projectDir, parent), { withFileTypes: true }).catch(() => []);
  return dirents
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(d.name))
    .map((d) => (parent === '' ? d.name : `${parent}/${d.name}`))
    .sort();
}

function offClasspathMessage(found: { dir: string; file: string }): string {
  return (
    `${found.file} exists but its directory "${found.dir}" is not on the classpath, so the cluster would not find datomic/ion-config.edn: ` +
    `add "${found.dir}" to :paths in deps.edn (or to the alias you push with)`
  );
}
