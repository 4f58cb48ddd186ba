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

/** Reads started ahead by prefetchGitState, each taken by the next readGitState of its directory. */
const ahead = new Map<string, Promise<GitState | null>>();

/**
 * Starts reading `dir`'s git state now, for the next readGitState(dir) to take (once). The push
 * entry calls it before it loads the bulk of the action, so git runs while the bundle compiles.
 * Only for a caller that knows nothing writes to the work tree in between.
 */
export function prefetchGitState(dir: string): void {
  ahead.set(dir, readFreshGitState(dir));
}

/** Reads what the revision decision needs from git; null outside a work tree (or without git). */
export function readGitState(dir: string): Promise<GitState | null> {
  const early = ahead.get(dir);
  ahead.delete(dir);
  return early ?? readFreshGitState(dir);
}

async function readFreshGitState(dir: string): Promise<GitState | null> {
  // All three at once, from `dir` itself: HEAD is the same from anywhere in the work tree, and
  // porcelain status paths are relative to the root whatever the directory (git-status(1)), so
  // nothing waits for the root to be known first.
  const [top, head, status] = await Promise.all([
    git(['rev-parse', '--show-toplevel'], dir),
    git(['rev-parse', '--verify', '--quiet', 'HEAD'], dir),
    git(['status', '--porcelain=v1', '--untracked-files=all'], dir),
  ]);
  const root = top?.trim();
  if (!root) return null;
  return {
    root,
    commit: head?.trim() || null,
    dirty: (status ?? '').split('\n').filter((l) => l.trim() !== ''),
  };
}
