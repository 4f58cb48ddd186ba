import type { AncestryAnswer, AncestryPort } from '../core/deploy/ports.js';
import { isFullCommitSha } from '../core/git/ancestry.js';
const COMPARE_TIMEOUT_MS = 20_000;

/** Loaded only when a compare is asked for: octokit (and undici under it) would otherwise load at every deploy start. */
const loadGithub = () => import('@actions/github');

/**
 * Commit order from GitHub's compare API (`GET /repos/{owner}/{repo}/compare/{base}...{head}`), for
 * checkouts without the history. Base is the requested commit and head the running one, so GitHub's
 * `ahead` means the group runs a later commit built on the requested one. A commit GitHub does not
 * know (404, 422), a token that may not read the repository (403, 401) or any other failure is
 * `unknown`: the deploy warns and goes on. The API base comes from GITHUB_API_URL (GitHub Enterprise, tests).
 */
export class GithubCompare implements AncestryPort {
  constructor(private readonly options: { token: string; repository: string }) {}

  async relate(runningCommit: string, requestedCommit: string): Promise<AncestryAnswer> {
    const unknown = (why: string): AncestryAnswer => ({ relation: 'unknown', source: 'GitHub', why });
    const { token, repository } = this.options;
    if (!token) return unknown('no github-token to ask with');
    const [owner, repo, extra] = repository.split('/');
    if (!owner || !repo || extra !== undefined) return unknown('no repository (GITHUB_REPOSITORY) to ask about');
    if (!isFullCommitSha(runningCommit) || !isFullCommitSha(requestedCommit)) return unknown('a commit is not a full SHA');
    try {
      const github = await loadGithub();
      const octokit = github.getOctokit(token);
      const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
        owner,
        repo,
        basehead: `${requestedCommit}...${runningCommit}`,
        // Only the status is read: the least commits and files GitHub will send.
        per_page: 1,
        // An extra of the deploy: a GitHub that does not answer must not hold it up.
        request: { signal: AbortSignal.timeout(COMPARE_TIMEOUT_MS) },
      });
      switch (data.status) {
        case 'ahead':
          return { relation: 'descendant', source: 'GitHub' };
        case 'behind':
          return { relation: 'ancestor', source: 'GitHub' };
        case 'identical':
          return { relation: 'same', source: 'GitHub' };
        case 'diverged':
          return { relation: 'diverged', source: 'GitHub' };
        default:
          return unknown(`the compare API answered status ${String(data.status)}`);
      }
    } catch (err) {
      const status = (err as { status?: unknown }).status;
      if (status === 404 || status === 422) return unknown(`GitHub does not know one of the commits (HTTP ${status})`);
      if (status === 401 || status === 403)
        return unknown(`the token may not read the repository (HTTP ${status}; the job needs \`permissions: contents: read\`)`);
      return unknown(`the compare API failed: ${(err as Error).message ?? String(err)}`);
    }
  }
}
