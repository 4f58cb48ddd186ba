/**
 * What the main step saves (saveState, src/github/workflow-commands.ts) for the post step (src/deploy-cleanup), which runs after
 * the job is cancelled (or after the main step lost touch with AWS) and stops a deploy nobody is
 * watching any more. Empty values mean "nothing to do".
 */
export const STATE = {
  /** The execution being waited for, while stop-on-cancel applies. Cleared when the main step ends by itself. */
  executionArn: 'execution-arn',
  /** The region of the clients that started it. */
  region: 'region',
  /** JSON array of CodeDeploy deployment ids the execution started. */
  deploymentIds: 'deployment-ids',
  /** Why the post step should stop it, when not because the run was cancelled (the main step lost touch with AWS). */
  stopReason: 'stop-reason',
  /** GitHub deployment to mark failed, when github-deployment is on. */
  githubDeploymentId: 'github-deployment-id',
} as const;
