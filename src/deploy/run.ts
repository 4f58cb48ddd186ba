import * as runner from '../github/workflow-commands.js';
import { createCodeDeployClient } from '../aws/codedeploy-client.js';
import { CodeDeployDeployments } from '../aws/codedeploy-deployments.js';
import { S3BundleDownload } from '../aws/deploy-bundle-download.js';
import { S3ObjectPresence } from '../aws/s3-object-presence.js';
import { credentialLifetime } from '../aws/credential-expiry.js';
import { explainAwsError, hasCredentials } from '../aws/explain-error.js';
import { classifyPollError } from '../aws/poll-errors.js';
import { paceRequests } from '../aws/request-pacing.js';
import { createS3Client } from '../aws/s3-client.js';
import { createSfnClient, SfnExecutions } from '../aws/sfn-executions.js';
import { formatDuration, injectedClock } from '../core/deploy/clock.js';
import { regionOfArn } from '../core/deploy/console-links.js';
import type { DeployEvent } from '../core/deploy/deploy-events.js';
import { runDeploy, type DeployRequest, type DeployResult } from '../core/deploy/deploy-flow.js';
import type { GithubRun } from '../core/deploy/execution-input.js';
import { describeFailure } from '../core/deploy/failure-cause.js';
import { rollbackDeploymentId, rolledBack, type RollbackOutcome } from '../core/deploy/follow-rollback.js';
import { PollPacer } from '../core/deploy/poll-pacer.js';
import { UserError } from '../core/problems.js';
import { reportProblems } from '../github/annotations.js';
import { inert, inertLines, inertOneLine } from '../github/inert-text.js';
import { runnerIO } from './actions-io.js';
import { DeployLog } from './deploy-log.js';
import { GithubDeployment } from './github-deployment.js';
import { parseDeployInputs, type DeployInputs } from './inputs.js';
import { renderDeploySummary, renderNotStartedSummary } from './job-summary.js';
import { STATE } from './saved-state.js';
import { sessionWarning } from './session-warning.js';
import { inputProblemsError } from '../github/input-rules.js';
import { GroupRevisions } from '../aws/group-revisions.js';
import { firstKnown } from '../core/deploy/deploy-order.js';
import { GitAncestry } from '../core/git/ancestry.js';
import { GithubCompare } from '../github/compare-commits.js';
import { renderSkippedSummary } from './group-check-summary.js';

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let githubDeployment: GithubDeployment | null = null;
  let started = false;
  let leaveToPostStep = false;
  try {
    const parsed = await parseDeployInputs(undefined, env);
    if ('problems' in parsed) {
      throw inputProblemsError(parsed.problems);
    }
    const { inputs } = parsed;
    // The runner masks secrets it knows; a token built or fetched in an earlier step may not be one.
    if (inputs.githubDeployment) runner.setSecret(inputs.githubDeployment.token);
    if (inputs.githubToken) runner.setSecret(inputs.githubToken);
    const { target } = inputs;
    const arnRegion = regionOfArn(target.mode === 'start' ? target.stateMachineArn : target.executionArn);
    const region = inputs.region || arnRegion;

    const clock = injectedClock();
    const pacer = new PollPacer(clock);
    const s3 = createS3Client({ region });
    if (!(await hasCredentials(s3))) throw new UserError('No AWS credentials: add aws-actions/configure-aws-credentials before this step.');
    if (inputs.wait || target.mode === 'follow') {
      const warning = sessionWarning(await credentialLifetime(s3), inputs.timeoutMinutes * 60_000, Date.now());
      if (warning) runner.warning(warning, { title: 'AWS credentials may expire mid-deploy' });
    }
    // The state machine is called in its own region, whatever the job's default region.
    // Every request of the following (Step Functions and CodeDeploy, pages and retries included) spends the
    // call budget. The group check's few reads happen once, before anything starts: they do not wait for it.
    const codedeployClient = paceRequests(createCodeDeployClient({ region }), pacer);
    const bundles = new S3BundleDownload(s3);
    const ports = {
      sfn: new SfnExecutions(paceRequests(createSfnClient({ region: arnRegion ?? region }), pacer)),
      codedeploy: new CodeDeployDeployments(codedeployClient),
      bundles,
      // Pre-flight: every object the revision names is in the bucket before anything starts.
      objects: new S3ObjectPresence(s3),
      clock,
      pacer,
      classifyError: classifyPollError,
      // Re-runs, order and the diff: what the group runs, from CodeDeploy and the bucket.
      groupRevisions: new GroupRevisions(createCodeDeployClient({ region }), bundles),
      // Commit order: the checkout's own history when it has it, else GitHub's compare API.
      ancestry: firstKnown([
        new GitAncestry(env.GITHUB_WORKSPACE || process.cwd()),
        new GithubCompare({ token: inputs.githubToken, repository: env.GITHUB_REPOSITORY ?? '' }),
      ]),
    };

    const log = new DeployLog(runnerIO, region);
    const watchForCancel = target.mode === 'start' && inputs.wait && inputs.stopOnCancel;
    const deploymentIds: string[] = [];
    const emit = (e: DeployEvent): void => {
      log.handle(e);
      if (e.kind === 'execution-started' || e.kind === 'following') {
        started = true;
        // At once, so a later step (or wait: false) has it even if this one is cancelled.
        runner.setOutput('execution-arn', e.executionArn);
        if (watchForCancel) {
          runner.saveState(STATE.executionArn, e.executionArn);
          runner.saveState(STATE.region, region ?? '');
          onCancel(() => `The workflow was cancelled: the post step stops execution ${inert(e.executionArn)} (stop-on-cancel).`);
        }
      }
      if (e.kind === 'deployment-found') {
        deploymentIds.push(e.deploymentId);
        if (watchForCancel) runner.saveState(STATE.deploymentIds, JSON.stringify(deploymentIds));
      }
    };

    if (inputs.githubDeployment && target.mode === 'start') {
      githubDeployment = await createGithubDeployment(inputs.githubDeployment, target, env);
    }
    const result = await runDeploy(toRequest(inputs, env), ports, emit);
    await finish(result, inputs, region, log, githubDeployment);
    // Lost touch with AWS while the deploy may still run: leave the post step its saved state, so that
    // with stop-on-cancel it stops the execution if it is still running (the same promise as a timeout).
    leaveToPostStep = watchForCancel && result.stoppedFollowing?.reason === 'unreachable';
    if (leaveToPostStep) runner.saveState(STATE.stopReason, 'the deploy step lost touch with AWS while following it (stop-on-cancel)');
  } catch (err) {
    const message = failureMessage(err);
    if (err instanceof UserError) reportProblems(err.problems);
    runner.setFailed(message);
    await githubDeployment?.setStatus('failure', inertOneLine(message, 140)).catch(() => undefined);
    if (!started) await runner.appendSummary(renderNotStartedSummary(message)).catch(() => undefined);
  } finally {
    // The main step ended by itself (success, failure or timeout): nothing left for the post step to
    // stop, unless it lost touch with AWS (above). The GitHub Deployment's status is set either way.
    if (!leaveToPostStep) runner.saveState(STATE.executionArn, '');
    runner.saveState(STATE.githubDeploymentId, '');
  }
}

/** The step's closing error: outside text in it (AWS messages, names from inputs) made inert line by line. */
function failureMessage(err: unknown): string {
  if (err instanceof UserError) return inertLines(err.message).join('\n');
  if (classifyPollError(err).kind === 'credentials-expired') {
    return `The AWS credentials expired (${inertOneLine(explainAwsError(err), 300)}). Run the deploy again with fresh credentials, and give the session enough time for timeout-minutes (configure-aws-credentials' role-duration-seconds).`;
  }
  return inertLines(explainAwsError(err)).join('\n');
}

function toRequest(inputs: DeployInputs, env: NodeJS.ProcessEnv): DeployRequest {
  const timeoutMs = inputs.timeoutMinutes * 60_000;
  const t = inputs.target;
  if (t.mode === 'follow') return { mode: 'follow', executionArn: t.executionArn, timeoutMs };
  return {
    mode: 'start',
    appName: t.appName,
    group: t.group,
    rev: t.rev,
    bucket: t.bucket,
    prefix: t.prefix,
    stateMachineArn: t.stateMachineArn,
    wait: inputs.wait,
    timeoutMs,
    stopOnCancel: inputs.stopOnCancel,
    github: githubRun(env),
    redeploy: inputs.redeploy,
    allowOlder: inputs.allowOlder,
  };
}

function githubRun(env: NodeJS.ProcessEnv): GithubRun | null {
  if (!env.GITHUB_RUN_ID) return null;
  return {
    repository: env.GITHUB_REPOSITORY ?? '',
    runId: env.GITHUB_RUN_ID,
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
    sha: env.GITHUB_SHA ?? '',
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    actor: env.GITHUB_ACTOR ?? '',
  };
}

async function createGithubDeployment(
  settings: NonNullable<DeployInputs['githubDeployment']>,
  target: Extract<DeployInputs['target'], { mode: 'start' }>,
  env: NodeJS.ProcessEnv,
): Promise<GithubDeployment | null> {
  try {
    const deployment = await GithubDeployment.create({
      token: settings.token,
      environment: settings.environment,
      sha: env.GITHUB_SHA || target.rev,
      description: `${target.appName} ${target.rev} to ${target.group}`,
      payload: { appName: target.appName, group: target.group, rev: target.rev },
    });
    await deployment.setStatus('in_progress', `Deploying ${target.rev} to ${target.group}`);
    runner.saveState(STATE.githubDeploymentId, String(deployment.id));
    runner.info(`GitHub deployment ${deployment.id} to environment ${inert(settings.environment)}`);
    return deployment;
  } catch (err) {
    // Bookkeeping: the deploy itself goes on.
    runner.warning(
      `Could not create a GitHub deployment (${inertOneLine((err as Error).message ?? String(err))}); the job needs \`permissions: deployments: write\`.`,
      {
        title: 'GitHub deployment not created',
      },
    );
    return null;
  }
}

async function finish(
  r: DeployResult,
  inputs: DeployInputs,
  region: string | undefined,
  log: DeployLog,
  githubDeployment: GithubDeployment | null,
): Promise<void> {
  runner.setOutput('execution-arn', r.executionArn);
  runner.setOutput('status', r.status);
  runner.setOutput('deployment-id', r.deploymentId ?? '');
  runner.setOutput('lambdas', JSON.stringify(r.lambdas));
  runner.setOutput('rolled-back', String(rolledBack(r.rollback)));
  runner.setOutput('rollback-deployment-id', rollbackDeploymentId(r.rollback) ?? '');
  const t = inputs.target;
  if (r.status === 'SKIPPED' && t.mode === 'start' && r.groupCheck) {
    const rev = r.rev ?? t.rev;
    await runner.appendSummary(renderSkippedSummary(r.groupCheck, { appName: t.appName, group: t.group, rev }));
    runner.info(`Nothing deployed: ${inert(t.group)} already runs ${inert(t.appName)} ${inert(rev)} (status SKIPPED).`);
    await githubDeployment?.setStatus('success', `Already deployed: ${rev}`).catch(() => undefined);
    return;
  }
  const ctx =
    t.mode === 'start'
      ? { appName: t.appName, group: t.group, rev: r.rev ?? t.rev, region, timeoutMinutes: inputs.timeoutMinutes }
      : { region, timeoutMinutes: inputs.timeoutMinutes };
  await runner.appendSummary(renderDeploySummary(r, ctx));
  if (log.failuresOnlyInLog > 0)
    runner.info(`${log.failuresOnlyInLog} more failed lifecycle events are in the log only (GitHub shows 10 error annotations per step).`);
  const arn = inert(r.executionArn);
  const name = inert(r.executionName);
  const watched = t.mode === 'start' && inputs.wait && inputs.stopOnCancel;

  if (r.stoppedFollowing) {
    const where = lastSeen(r);
    const message =
      r.stoppedFollowing.reason === 'credentials-expired'
        ? `The AWS credentials expired while following execution ${name} (${inertOneLine(r.stoppedFollowing.error, 300)}); it was still running${where}, and goes on unwatched: this step can neither follow nor stop it. Follow it to its end from a later job with fresh credentials: the deploy action with execution-arn: ${arn} (this step's execution-arn output). To wait longer in one step, set configure-aws-credentials' role-duration-seconds above timeout-minutes.`
        : `Lost touch with AWS while following execution ${name}: every poll failed for ${formatDuration(giveUpMs(r))} (last: ${inertOneLine(r.stoppedFollowing.error, 300)}). It was still running${where}. ${
            watched
              ? "This job's post step stops it if it is still running (stop-on-cancel); to let it run on instead, set stop-on-cancel: false and follow it from a later job with execution-arn."
              : 'Follow it to its end from a later job with execution-arn:'
          } ${arn}`;
    runner.setFailed(message);
    await githubDeployment
      ?.setStatus(
        'failure',
        r.stoppedFollowing.reason === 'credentials-expired'
          ? 'AWS credentials expired while following'
          : 'Lost touch with AWS while following',
      )
      .catch(() => undefined);
    return;
  }
  if (r.timedOut) {
    const what = r.stopped
      ? `stopped execution ${arn}`
      : `execution ${arn} is still running${t.mode === 'start' && !inputs.stopOnCancel ? ' (stop-on-cancel is false)' : ''}: follow it with execution-arn`;
    runner.setFailed(`The deploy did not finish within ${inputs.timeoutMinutes} minutes (timeout-minutes); ${what}.`);
    await githubDeployment?.setStatus('failure', `Timed out after ${inputs.timeoutMinutes} minutes`).catch(() => undefined);
    return;
  }
  if (r.status === 'RUNNING') {
    runner.info(`Not waiting (wait: false). Follow it with execution-arn: ${arn}`);
    return;
  }
  if (r.status === 'SUCCEEDED') {
    if (r.outputProblem)
      runner.warning(
        `The state machine's output does not follow the contract (docs/deploy-contract.md): ${inertOneLine(r.outputProblem)}.`,
      );
    const deployed = t.mode === 'start' ? ` ${inert(t.appName)} ${inert(r.rev ?? t.rev)} to ${inert(t.group)}` : '';
    runner.info(
      `Deployed${deployed}: execution ${name} SUCCEEDED${r.lambdas.length ? `; lambdas ${r.lambdas.map((l) => inert(l)).join(', ')}` : ''}`,
    );
    await githubDeployment?.setStatus('success', `Deployed ${t.mode === 'start' ? (r.rev ?? t.rev) : ''}`.trim()).catch(() => undefined);
    return;
  }
  const what = describeFailure(r.error, r.cause);
  const failure = `Execution ${name} ${inert(r.status)}${what ? `: ${inert(what)}` : ''}`;
  const rollback = rollbackSentence(r.rollback);
  const message = rollback ? `${failure.replace(/\.$/, '')}. ${rollback}` : failure;
  runner.setFailed(message);
  await githubDeployment?.setStatus('failure', inertOneLine(message, 140)).catch(() => undefined);
}

/** What CodeDeploy's automatic rollback left the group running, for the step's failure message. */
function rollbackSentence(o: RollbackOutcome | undefined): string {
  if (!o || o.kind === 'none') return '';
  const group = o.group ? inert(o.group) : 'the group';
  const rev = o.rev ? `revision ${inert(o.rev)}` : 'its last successful revision';
  const id = inert(o.rollbackDeploymentId);
  if (o.kind === 'unfinished')
    return `CodeDeploy is rolling ${group} back to ${rev} (deployment ${id}, still running when following stopped).`;
  if (o.status === 'Succeeded') return `CodeDeploy rolled ${group} back: it runs ${rev} again, healthy (deployment ${id}).`;
  return `The rollback failed too (deployment ${id} ${inert(o.status ?? '')}): ${group} may be half-deployed; deploy a known good revision.`;
}

/** ", in state X" for the states still open when following stopped. */
function lastSeen(r: DeployResult): string {
  const open = r.timeline ? [...r.timeline.states.values()].filter((s) => s.result === 'running').map((s) => inert(s.name)) : [];
  return open.length ? `, in ${open.join(', ')}` : '';
}

const giveUpMs = (r: DeployResult): number => r.stoppedFollowing?.failingForMs ?? 0;

/** In Actions, cancelling sends SIGINT (then SIGTERM) to this process; the post step does the stopping. */
function onCancel(say: () => string): void {
  const handler = (signal: NodeJS.Signals) => {
    runner.info(say());
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}
