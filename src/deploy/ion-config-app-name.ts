import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ION_CONFIG_RESOURCE } from '../core/ion-config/classpath-resources.js';
import { validateIonConfig } from '../core/ion-config/validate.js';
import type { Problem } from '../core/problems.js';

const RESOURCE = ION_CONFIG_RESOURCE;
const SKIP = new Set(['node_modules', '.git', 'target', '.cpcache', '.clj-kondo', '.lsp', 'dist']);
const MAX_DEPTH = 6;
/** A project is small; a working-directory pointing at a huge tree should not stall the step. */
const MAX_DIRECTORIES = 5000;

/**
 * `:app-name` of datomic/ion-config.edn under the project directory: resources/ first (where Ions
 * projects keep it), then any other directory, nearest first.
 */
export async function appNameFromIonConfig(projectDir: string): Promise<{ appName: string; file: string } | { problems: Problem[] }> {
  const file = await findIonConfig(projectDir);
  if (!file) {
    return {
      problems: [
        {
          severity: 'error',
          message: `app-name: not set, and no ${RESOURCE} under ${projectDir}: set \`app-name\` to the CodeDeploy application name, or \`working-directory\` to the project holding resources/${RESOURCE}.`,
        },
      ],
    };
  }
  const { config, problems } = validateIonConfig(await readFile(file, 'utf8'), file, { namespaces: null });
  if (!config) {
    const errors = problems.filter((p) => p.severity === 'error');
    return {
      problems: errors.length
        ? errors
        : [{ severity: 'error', message: `app-name: could not read :app-name from ${file}; set \`app-name\`` }],
    };
  }
  return { appName: config.appName, file };
}

async function findIonConfig(root: string): Promise<string | undefined> {
  const preferred = join(root, 'resources', RESOURCE);
  if (await isFile(preferred)) return preferred;
  // Breadth first, so the shallowest match wins; sorted, so the same tree always gives the same answer.
  let level = [root];
  let visited = 0;
  for (let depth = 0; depth <= MAX_DEPTH && level.length; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (++visited > MAX_DIRECTORIES) return undefined;
      const candidate = join(dir, RESOURCE);
      if (relative(root, candidate) !== join('resources', RESOURCE) && (await isFile(candidate))) return candidate;
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        if (e.isDirectory() && !SKIP.has(e.name)) next.push(join(dir, e.name));
      }
    }
    level = next;
  }
  return undefined;
}

const isFile = (path: string): Promise<boolean> =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
