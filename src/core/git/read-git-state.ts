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

/**
 * The work tree's root and HEAD from one `git rev-parse --show-toplevel --verify --quiet HEAD`: the
 * root's line, then HEAD's SHA when it exits 0; exit 1 with the root alone when there is no commit
 * yet; another status (128) outside a work tree. The root is everything before HEAD's line, so a
 * root whose name holds a line break is read whole.
 */
const rootAndHead = (cwd: string): Promise<{ root: string; commit: string | null } | null> =>
  new Promise((resolve) => {
    execFile('git', ['rev-parse', '--show-toplevel', '--verify', '--quiet', 'HEAD'], { cwd }, (err, stdout) => {
      resolve(parseRootAndHead(stdout, err ? (typeof err.code === 'number' ? err.code : -1) : 0));
    });
  });

function parseRootAndHead(stdout: string, status: number): { root: string; commit: string | null } | null {
  if (status !== 0 && status !== 1) return null;
  const text = stdout.endsWith('\n') ? stdout.slice(0, -1) : stdout;
  const cut = status === 0 ? text.lastIndexOf('\n') : text.length;
  const root = cut < 0 ? '' : text.slice(0, cut);
  const commit = status === 0 ? text.slice(cut + 1).trim() || null : null;
  return root ? { root, commit } : null;
}

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
  const [top, status] = process.platform === 'win32' ? await twoProcesses(dir) : await oneProcess(dir);
  if (!top) return null;
  return {
    root: top.root,
    commit: top.commit,
    dirty: (status ?? '').split('\n').filter((l) => l.trim() !== ''),
  };
}

type Answers = [{ root: string; commit: string | null } | null, string | null];

const STATUS_ARGS = ['status', '--porcelain=v1', '--untracked-files=all'];

// Both at once (a process less to spawn than asking for the root and HEAD apart), from `dir`
// itself: HEAD is the same from anywhere in the work tree, and porcelain status paths are relative
// to the root whatever the directory (git-status(1)), so nothing waits for the root to be known first.
const twoProcesses = (dir: string): Promise<Answers> => Promise.all([rootAndHead(dir), git(STATUS_ARGS, dir)]);

/**
 * The same two git commands run by one shell: each process Node starts costs its thread ~8 ms (a
 * fork of the whole process, the pipes), while the shell's forks are small and run beside it. Each
 * command's output is followed by a NUL and its exit status (neither output can hold a NUL); the
 * directory is the working directory, never part of the script.
 */
const SCRIPT = `git rev-parse --show-toplevel --verify --quiet HEAD; printf '\\000%d\\000' $?; git ${STATUS_ARGS.join(' ')}; printf '\\000%d' $?`;

const oneProcess = (cwd: string): Promise<Answers> =>
  new Promise((resolve) => {
    execFile('sh', ['-c', SCRIPT], { cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => {
      const parts = err ? [] : stdout.split('\0');
      // No shell, or output not of that shape: ask git directly, as on Windows.
      if (parts.length !== 4) return resolve(twoProcesses(cwd));
      const [revParse, revStatus, status, statusStatus] = parts as [string, string, string, string];
      resolve([parseRootAndHead(revParse, Number(revStatus)), statusStatus === '0' ? status : null]);
    });
  });
