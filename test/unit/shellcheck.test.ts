/**
 * Every shell script of the project (the instance hooks under infra/, anything under scripts/) passes
 * shellcheck, following what each sources (`-x`; the scripts say where with `source-path` directives).
 * The hooks run as root on every instance, under dash or bash: shellcheck's POSIX sh checks are the
 * cheapest guard against a quoting or portability slip there.
 */
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');

function shellScripts(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.sh'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

const scripts = [...shellScripts(join(ROOT, 'infra')), ...shellScripts(join(ROOT, 'scripts'))];

/** shellcheck's findings on `files` (paths relative to `cwd`), one per line; '' when there are none. */
function findings(files: string[], cwd: string): string {
  const version = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
  if (version.error) throw new Error(`shellcheck is not installed (${version.error.message}): apt-get install shellcheck`);
  const check = spawnSync('shellcheck', ['-x', '--format=gcc', ...files], { cwd, encoding: 'utf8' });
  const out = `${check.stdout}${check.stderr}`.trim();
  return check.status === 0 && !out ? '' : out || `shellcheck exited with ${check.status}`;
}

describe('shellcheck', () => {
  test('finds the hooks', () => {
    expect(scripts.map((s) => relative(ROOT, s))).toEqual(
      expect.arrayContaining(['infra/hooks/before-install.sh', 'infra/hooks/lib/common.sh']),
    );
  });

  test('reports nothing on any shell script under infra/ and scripts/', () => {
    // From the repository root, so the findings name repository paths.
    const found = findings(
      scripts.map((s) => relative(ROOT, s)),
      ROOT,
    );
    if (found) {
      throw new Error(
        `shellcheck found ${found.split('\n').length} problem(s) (fix them, or disable one with a "# shellcheck disable=SCxxxx # why" line):\n${found}`,
      );
    }
  });

  test('the check does report a finding (an unquoted expansion)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shellcheck-'));
    try {
      writeFileSync(join(dir, 'bad.sh'), '#!/bin/sh\nrm -rf $1/tmp\n');
      expect(findings(['bad.sh'], dir)).toMatch(/^bad\.sh:2:\d+: .*SC2086/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
