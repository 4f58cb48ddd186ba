import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BundleFile {
  name: string;
  data: Buffer | string;
  mode?: number;
}

/**
 * The instance hooks live as plain files in infra/hooks/ (shell scripts are easier to read, lint and
 * test as files). The runner checks out the whole action repository, so they are found by walking up
 * from this module, whether it runs from src/ (tests) or from the dist/ bundle.
 */
export function findHooksDir(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'infra', 'hooks');
    if (existsSync(join(candidate, 'appspec.yml'))) return candidate;
    if (dirname(dir) === dir)
      throw new Error(`infra/hooks/appspec.yml not found above ${from}: the action's files are incomplete; reinstall the action`);
  }
}

/**
 * appspec.yml at the bundle root; every other file (recursively, e.g. hooks/lib/) under hooks/.
 * Scripts keep their execute bit. Sorted for determinism; `__pycache__` and hidden files are left out.
 */
export async function loadInstanceHooks(hooksDir = findHooksDir()): Promise<BundleFile[]> {
  const files: BundleFile[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const name of (await readdir(join(hooksDir, rel))).sort()) {
      // Byproducts of running the hooks in tests (python's __pycache__, editor files) are not hooks,
      // and would make the same revision's bundle differ from machine to machine.
      if (name === '__pycache__' || name.startsWith('.')) continue;
      const relPath = rel ? `${rel}/${name}` : name;
      const st = await stat(join(hooksDir, relPath));
      if (st.isDirectory()) await walk(relPath);
      else if (relPath === 'appspec.yml') files.push({ name: relPath, data: await readFile(join(hooksDir, relPath)) });
      else files.push({ name: `hooks/${relPath}`, data: await readFile(join(hooksDir, relPath)), mode: st.mode & 0o111 ? 0o755 : 0o644 });
    }
  };
  await walk('');
  return files;
}
