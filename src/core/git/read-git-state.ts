import { execFile } from 'node:child_process';

export interface GitState {
  /** The work tree's root, absolute. */
  root: string;
  /** HEAD's SHA, or null in a repository with no commits yet. */
  commit: string | null;
  /** `git status --porcelain` lines for every modified, staged, deleted or untracked (not ignored) file. */
  dirty: string[];
}

const git = (args: string[], cwd: string): Promise<string | null> =>
  new Promise((resolve) => {
    execFile('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => resolve(err ? null : stdout));
  });

/** Reads what the revision decision needs from git; null outside a work tree (or without git). */
export async function readGitState(dir: string): Promise<GitState | null> {
  const root = (await git(['rev-parse', '--show-toplevel'], dir))?.trim();
  if (!root) return null;
  const [head, status] = await Promise.all([
    git(['rev-parse', '--verify', '--quiet', 'HEAD'], root),
    git(['status', '--porcelain=v1', '--untracked-files=all'], root),
  ]);
  return {
    root,
    commit: head?.trim() || null,
    dirty: (status ?? '').split('\n').filter((l) => l.trim() !== ''),
  };
}
