import type { ClassifiedEntry } from '../classpath/classify-entry.js';
import { findIonConfig, indexNamespaces } from '../ion-config/classpath-resources.js';
import { validateIonConfig, type IonConfig } from '../ion-config/validate.js';
import type { Problem } from '../problems.js';

/** What validation needs from the classpath, read once (the only I/O of validation). */
export interface ProjectResources {
  /** datomic/ion-config.edn: the file (absolute) and its text, or null when no classpath directory has it. */
  ionConfig: { file: string; text: string } | null;
  /** Every namespace on the classpath (indexed names, see ion-config/namespaces.ts). */
  namespaces: Set<string>;
  /** Problems met while reading (no ion-config, unreadable jars). */
  problems: Problem[];
}

export async function readProjectResources(entries: readonly ClassifiedEntry[]): Promise<ProjectResources> {
  const problems: Problem[] = [];
  const roots = entries.map((e) => ({ path: e.path, isDirectory: e.packaging === 'dir' }));
  const found = await findIonConfig(roots);
  if (!found) {
    problems.push({
      severity: 'error',
      message: 'No datomic/ion-config.edn in any classpath directory: create resources/datomic/ion-config.edn with at least {:app-name "my-app"} and make sure "resources" is in :paths.',
    });
    return { ionConfig: null, namespaces: new Set(), problems };
  }
  const namespaces = await indexNamespaces(roots, {
    onSkipped: (path, reason) => problems.push({ severity: 'warning', message: `could not read ${path} (${reason}); its namespaces are not checked` }),
  });
  return { ionConfig: found, namespaces, problems };
}

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
  const { config, problems } = validateIonConfig(text, file, { namespaces: resources.namespaces, groups: groups ?? undefined });
  return { config, file, problems: [...resources.problems, ...problems] };
}
