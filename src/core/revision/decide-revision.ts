import { join } from 'node:path';
import type { ClassifiedEntry } from '../classpath/classify-entry.js';
import type { GitState } from '../git/read-git-state.js';

export type RevisionDecision = { ok: true; rev: string; reproducible: boolean; commit: string | null } | { ok: false; reasons: Reason[] };

/** Why a push is unreproducible; `file` (absolute) when the reason is a file in the work tree. */
export interface Reason {
  message: string;
  file?: string;
}

/** Letters, digits, '.', '_' and '-': safe in S3 keys, CodeDeploy descriptions and Step Functions names. */
const UNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function unameProblem(uname: string): string | null {
  // deploy reads `rev: previous` as "the revision the group ran before"; a revision by that name could never be deployed.
  if (uname === 'previous')
    return 'uname "previous" is reserved (deploy\'s `rev: previous` means the revision a group ran before): choose another name';
  if (UNAME.test(uname)) return null;
  return `uname "${uname}" is not a valid revision name: use 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit`;
}

/** Why this code cannot be reproduced from its commit alone (empty when it can). */
export function unreproducibleReasons(git: GitState | null, entries: readonly ClassifiedEntry[]): Reason[] {
  const reasons: Reason[] = [];
  if (git === null) reasons.push({ message: 'the project is not in a git repository' });
  else if (git.commit === null) reasons.push({ message: 'the git repository has no commit yet' });
  for (const line of git?.dirty ?? []) {
    // porcelain v1: two status letters, a space, the path (renames: "old -> new").
    const path = line.slice(3).split(' -> ').pop()!.replace(/^"|"$/g, '');
    reasons.push({ message: `uncommitted change (${line.slice(0, 2).trim()}): ${path}`, file: join(git!.root, path) });
  }
  for (const entry of entries) {
    if (entry.kind === 'local') reasons.push({ message: `local dependency outside the repository: ${entry.path}` });
  }
  return reasons;
}

/**
 * The revision is the commit SHA only when the code is reproducible from it; otherwise the user
 * must name it (uname), knowingly.
 */
export function decideRevision(uname: string, git: GitState | null, entries: readonly ClassifiedEntry[]): RevisionDecision {
  const reasons = unreproducibleReasons(git, entries);
  const commit = git?.commit ?? null;
  if (uname !== '') return { ok: true, rev: uname, reproducible: reasons.length === 0, commit };
  if (reasons.length > 0 || commit === null) return { ok: false, reasons };
  return { ok: true, rev: commit, reproducible: true, commit };
}
