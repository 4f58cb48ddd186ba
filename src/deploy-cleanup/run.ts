import * as runner from '../github/workflow-commands.js';
import { createCodeDeployClient } from '../aws/codedeploy-client.js';
import { CodeDeployDeployments } from '../aws/codedeploy-deployments.js';
import { explainAwsError } from '../aws/explain-error.js';
import { createSfnClient, SfnExecutions } from '../aws/sfn-executions.js';
import { regionOfArn } from '../core/deploy/console-links.js';
import { stopDeploy } from '../core/deploy/deploy-flow.js';
import { runnerIO } from '../deploy/actions-io.js';
import { DeployLog } from '../deploy/deploy-log.js';
import { GithubDeployment } from '../deploy/github-deployment.js';
import { STATE } from '../deploy/saved-state.js';
import { inert, inertLines, inertOneLine } from '../github/inert-text.js';

/**
 * The deploy action's post step. It runs at the end of every job that used the action, cancelled ones
 * included; the main step leaves an execution ARN in its saved state only while it is waiting with
 * stop-on-cancel, and clears it when it ends by itself. So a non-empty ARN means the main step was
 * killed (cancelled, or the step's own timeout-minutes) while the deploy went on, or that it lost touch
 * with AWS while following (then STATE.stopReason says so): stop it if it still runs.
 */
export async function run(): Promise<void> {
  const executionArn = runner.getState(STATE.executionArn);
  const githubDeploymentId = runner.getState(STATE.githubDeploymentId);
  if (executionArn) await stopIfRunning(executionArn);
  else runner.info('Nothing to stop: the deploy step ended by itself.');
  if (githubDeploymentId) {
    const token = runner.getInput('github-token');
    runner.setSecret(token);
    await GithubDeployment.attach(token, Number(githubDeploymentId))
      .then((deployment) => deployment.setStatus('failure', 'Cancelled'))
      .catch((err: unknown) =>
        runner.warning(
          `Could not mark GitHub deployment ${inert(githubDeploymentId)} failed: ${inertOneLine((err as Error).message ?? String(err))}`,
        ),
      );
  }
}

async function stopIfRunning(executionArn: string): Promise<void> {
  try {
    const region = regionOfArn(executionArn) ?? (runner.getState(STATE.region) || undefined);
    const sfn = new SfnExecutions(createSfnClient({ region }));
    const described = await sfn.describeExecution(executionArn);
    if (described?.status !== 'RUNNING') {
      runner.info(`Execution ${inert(executionArn)} is ${described ? inert(described.status) : 'gone'}: nothing to stop.`);
    } else {
      const codedeploy = new CodeDeployDeployments(createCodeDeployClient({ region: runner.getState(STATE.region) || region }));
      const deploymentIds = parseIds(runner.getState(STATE.deploymentIds));
      const log = new DeployLog(runnerIO, region);
      const reason = runner.getState(STATE.stopReason) || 'the workflow run was cancelled';
      if (await stopDeploy({ sfn, codedeploy }, log.handle, executionArn, deploymentIds, reason)) {
        runner.info(`Stopped execution ${inert(executionArn)}.`);
      } else {
        runner.setFailed(`Could not stop execution ${inert(executionArn)}; stop it in the Step Functions console.`);
      }
    }
  } catch (err) {
    runner.setFailed(`Could not stop execution ${inert(executionArn)}: ${inertLines(explainAwsError(err)).join('\n')}`);
  }
}

function parseIds(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text || '[]');
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
