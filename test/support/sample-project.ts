import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { STAND_IN_BIN } from '../../local-cloud/clojure-stand-in.js';
import { REPO_ROOT } from '../../local-cloud/run-action.js';

export const SAMPLE_APP = join(REPO_ROOT, 'test', 'fixtures', 'sample-app');

/** Runs git in dir with a fixed author and committer; its trimmed stdout. */
export const git = (dir: string, ...args: string[]): string =>
  execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  }).trim();

/** A fresh git repository holding a copy of the sample app, committed. */
export function makeSampleProject(files: Record<string, string> = {}): {
  dir: string;
  commit: () => string;
  write: (path: string, text: string) => void;
  head: () => string;
} {
  const dir = join(mkdtempSync(join(tmpdir(), 'ion-app-')), 'app');
  cpSync(SAMPLE_APP, dir, { recursive: true });
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  for (const [path, text] of Object.entries(files)) write(path, text);
  git(dir, 'init', '-q', '-b', 'main');
  const commit = () => {
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'change');
    return git(dir, 'rev-parse', 'HEAD');
  };
  commit();
  return { dir, commit, write, head: () => git(dir, 'rev-parse', 'HEAD') };
}

/**
 * The sample app's classpath from the real tools.deps, for tests that pass it as the `classpath` input.
 * Once per test file; the stand-in keeps it, so the whole suite resolves the sample app once.
 */
export function resolveSampleClasspath(dir: string, aliases = ''): string {
  return execFileSync(join(STAND_IN_BIN, 'clojure'), ['-Spath', ...(aliases ? [`-A${aliases}`] : [])], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
}
