import type { getOctokit } from '@actions/github';

/**
 * @actions/github (octokit, and undici under it) is loaded only when a GitHub deployment is asked for:
 * as a static import it would be compiled and run at every deploy start, used or not.
 */
const loadGithub = () => import('@actions/github');

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

/**
 * A GitHub Deployment for the commit and environment (opt-in), so the repository's Environments page
 * shows what runs where. The API base comes from GITHUB_API_URL (GitHub Enterprise, tests).
 */
export class GithubDeployment {
  private constructor(
    private readonly octokit: ReturnType<typeof getOctokit>,
    private readonly repo: { owner: string; repo: string },
    readonly id: number,
    private readonly logUrl: string,
    private readonly environment: string,
  ) {}

  static async create(p: {
    token: string;
    environment: string;
    sha: string;
    description: string;
    payload: Record<string, unknown>;
  }): Promise<GithubDeployment> {
    const github = await loadGithub();
    const octokit = github.getOctokit(p.token);
    const repo = github.context.repo;
    const created = await octokit.rest.repos.createDeployment({
      ...repo,
      ref: p.sha,
      environment: p.environment,
      description: p.description.slice(0, 140),
      payload: p.payload,
      // Deploys a pushed revision, not a branch: no merging, and CI status checks are the workflow's business.
      auto_merge: false,
      required_contexts: [],
    });
    if (!('id' in created.data))
      throw new Error(`GitHub did not create the deployment: ${created.data.message ?? `HTTP ${created.status}`}`);
    return new GithubDeployment(octokit, repo, created.data.id, runUrl(), p.environment);
  }

  /** For the post step, which only knows the id. */
  static async attach(token: string, id: number): Promise<GithubDeployment> {
    const github = await loadGithub();
    return new GithubDeployment(github.getOctokit(token), github.context.repo, id, runUrl(), '');
  }

  async setStatus(state: DeploymentState, description: string): Promise<void> {
    await this.octokit.rest.repos.createDeploymentStatus({
      ...this.repo,
      deployment_id: this.id,
      state,
      log_url: this.logUrl,
      description: description.slice(0, 140),
      ...(this.environment ? { environment: this.environment } : {}),
      auto_inactive: state === 'success',
    });
  }
}

/** The run's page (attempt included): where the deploy's log is. */
export function runUrl(env: NodeJS.ProcessEnv = process.env): string {
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const attempt = env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '';
  return `${server}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''}${attempt}`;
}
