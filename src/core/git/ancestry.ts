import { execFile } from 'node:child_process';
import type { AncestryAnswer, AncestryPort } from '../deploy/ports.js';

/** A full commit SHA (SHA-1 or SHA-256): nothing else is asked of git or GitHub (commits come from manifests: outside text). */
export const isFullCommitSha = (s: string): boolean => /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(s);

/** git's exit code (null when it could not run) and stdout. */
const git = (args: string[], cwd: string): Promise<{ code: number | null; stdout: string }> =>
  new Promise((resolve) => {
    execFile('git', args, { cwd }, (err, stdout) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code as number) : null) : 0;
      resolve({ code, stdout: String(stdout) });
    });
  });

/**
 * Commit order from the local checkout: `git merge-base --is-ancestor`, only when both commits are in
 * it. Checkouts on runners are often shallow (actions/checkout fetches one commit by default), and a
 * shallow history can hide the path between two commits, so there only "yes, it contains it" is
 * believed; "no" is unknown rather than "diverged".
 */
export class GitAncestry implements AncestryPort {
  constructor(private readonly dir: string) {}

  async relate(runningCommit: string, requestedCommit: string): Promise<AncestryAnswer> {
    const unknown = (why: string): AncestryAnswer => ({ relation: 'unknown', source: 'git', why });
    if (!isFullCommitSha(runningCommit) || !isFullCommitSha(requestedCommit)) return unknown('a commit is not a full SHA');
    if (runningCommit === requestedCommit) return { relation: 'same', source: 'git' };
    const top = await git(['rev-parse', '--show-toplevel'], this.dir);
    if (top.code !== 0) return unknown('the working directory is not a git checkout');
    const missing: string[] = [];
    for (const c of [runningCommit, requestedCommit]) {
      if ((await git(['cat-file', '-e', `${c}^{commit}`], this.dir)).code !== 0) missing.push(c.slice(0, 12));
    }
    if (missing.length) {
      return unknown(
        `the checkout does not have commit ${missing.join(' or ')} (a shallow clone? actions/checkout with fetch-depth: 0 has them)`,
      );
    }
    const contains = async (ancestor: string, descendant: string): Promise<boolean | null> => {
      const { code } = await git(['merge-base', '--is-ancestor', ancestor, descendant], this.dir);
      return code === 0 ? true : code === 1 ? false : null;
    };
    const runningContainsRequested = await contains(requestedCommit, runningCommit);
    if (runningContainsRequested) return { relation: 'descendant', source: 'git' };
    const requestedContainsRunning = await contains(runningCommit, requestedCommit);
    if (requestedContainsRunning) return { relation: 'ancestor', source: 'git' };
    if (runningContainsRequested === null || requestedContainsRunning === null) return unknown('git merge-base failed');
    const shallow = (await git(['rev-parse', '--is-shallow-repository'], this.dir)).stdout.trim() === 'true';
    if (shallow) return unknown('the checkout is shallow, so its history may be cut between the two commits');
    return { relation: 'diverged', source: 'git' };
  }
}
