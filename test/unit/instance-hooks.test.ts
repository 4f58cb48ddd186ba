import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findHooksDir, loadInstanceHooks } from '../../src/core/bundle/instance-hooks.js';

describe('the instance hooks in a bundle', () => {
  it('are the repository’s infra/hooks: appspec.yml at the root, scripts executable', async () => {
    const files = await loadInstanceHooks(findHooksDir());
    const names = files.map((f) => f.name);
    expect(names).toContain('appspec.yml');
    expect(names).toContain('hooks/before-install.sh');
    expect(files.find((f) => f.name === 'hooks/before-install.sh')?.mode).toBe(0o755);
  });

  it('leave out __pycache__ and hidden files, so the same revision bundles the same bytes everywhere', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hooks-'));
    writeFileSync(join(dir, 'appspec.yml'), 'version: 0.0\n');
    mkdirSync(join(dir, 'lib', '__pycache__'), { recursive: true });
    writeFileSync(join(dir, 'lib', 'manifest.py'), 'print(1)\n');
    writeFileSync(join(dir, 'lib', '__pycache__', 'manifest.cpython-311.pyc'), 'x');
    writeFileSync(join(dir, '.before-install.sh.swp'), 'x');
    const names = (await loadInstanceHooks(dir)).map((f) => f.name);
    expect(names).toEqual(['appspec.yml', 'hooks/lib/manifest.py']);
  });
});
