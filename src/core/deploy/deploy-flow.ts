import { bundleKey } from '../layout.js';
import { UserError } from '../problems.js';
import { readBundleManifest } from './bundle-manifest.js';
import type { Clock } from './clock.js';
import { formatDuration } from './clock.js';
import type { ExecutionInput } from './contract.js';
import type { Emit } from './deploy-events.js';
import type { DeploymentTracker } from './deployment-tracker.js';
import { buildExecutionInput, overlongFunctionNames, readExecutionOutput, type GithubRun } from './execution-input.js';
import { executionName } from './execution-name.js';
import type { ExecutionTimeline } from './execution-timeline.js';
import { followExecution } from './follow-execution.js';
import { failedDeployment, followRollback, type RollbackOutcome } from './follow-rollback.js';
import { waitForGroup } from './group-queue.js';
import type { PollPacer } from './poll-pacer.js';
import type { BundlePort, CodeDeployPort, ExecutionStatus, PollErrorClassifier, StepFunctionsPort } from './ports.js';
import { describeError, errorName } from '../sdk-errors.js';
import { PREVIOUS } from './deploy-order.js';
import { checkGroup, type GroupCheck, resolvePrevious } from './running-revision.js';
import type { AncestryPort, GroupRevisionsPort } from './ports.js';
import type { ObjectPresencePort } from './ports.js';
import { verifyRevisionObjects } from './verify-revision-objects.js';
import type { Manifest } from '../manifest/schema.js';

export interface StartRequest {
  mode: 'start';
  appName: string;
  group: string;
  rev: string;
  bucket: string;
  prefix: string;
  stateMachineArn: string;
  wait: boolean;
  timeoutMs: number;
  stopOnCancel: boolean;
  github: GithubRun | null;
  /** Deploy even when the group already runs this revision (otherwise SKIPPED). */
  redeploy?: boolean;
  /** Deploy even when the group runs a later commit (a deliberate rollback). */
  allowOlder?: boolean;
}

export interface FollowRequest {
  mode: 'follow';
  executionArn: string;
  timeoutMs: number;
}

export type DeployRequest = StartRequest | FollowRequest;

export interface DeployPorts {
  sfn: StepFunctionsPort;
  codedeploy: CodeDeployPort;
  bundles: BundlePort;
  clock: Clock;
  pacer: PollPacer;
  /** Tells a failed read-only call's meaning (the AWS side knows its errors). */
  classifyError: PollErrorClassifier;
  random?: () => number;
  /** What the group runs and ran (re-runs, order, diff, `rev: previous`); absent: those checks are skipped. */
  groupRevisions?: GroupRevisionsPort;
  /** Tells whether one commit contains another (the order check). */
  ancestry?: AncestryPort;
  /** Checks that the revision's objects are in the bucket before starting; absent: not checked. */
  objects?: ObjectPresencePort;
}

export interface DeployResult {
  executionArn: string;
  executionName: string;
  startDate: Date;
  /**
   * RUNNING when the action did not wait, or gave up waiting without stopping the execution.
   * SKIPPED when the group already ran this revision: nothing started, executionArn is ''.
   */
  status: ExecutionStatus | 'SKIPPED';
  /** The revision deployed (what `rev: previous` resolved to). */
  rev?: string;
  /** What the group ran before, the order check and the diff. */
  groupCheck?: GroupCheck;
  /** The timeout passed before the execution ended. */
  timedOut: boolean;
  /** The action stopped the execution (timeout with stop-on-cancel). */
  stopped: boolean;
  /**
   * Following ended before the execution did: AWS did not answer for too long, or the credentials
   * expired. The status is then the last one seen (RUNNING); the execution may still be running.
   */
  stoppedFollowing?: { reason: 'unreachable' | 'credentials-expired'; error: string; failingForMs?: number };
  error?: string;
  cause?: string;
  deploymentId?: string;
  lambdas: string[];
  /** How the execution's output falls short of the contract, when it succeeded. */
  outputProblem?: string;
  input?: ExecutionInput;
  timeline?: ExecutionTimeline;
  deployments: DeploymentTracker[];
  /** After a failed CodeDeploy deployment: CodeDeploy's automatic rollback, as far as it was followed. */
  rollback?: RollbackOutcome;
}

/** The whole deploy: pre-flight, one at a time per group, start, follow, finish. */
export async function runDeploy(request: DeployRequest, ports: DeployPorts, emit: Emit): Promise<DeployResult> {
  const deadline = ports.clock.now() + request.timeoutMs;
  if (request.mode === 'follow') {
    const described = await ports.sfn.describeExecution(request.executionArn);
    if (!described) {
      throw new UserError(
        `Execution ${request.executionArn} does not exist: check \`execution-arn\` (and that the job's AWS region is the execution's).`,
      );
    }
    emit({
      kind: 'following',
      executionArn: described.executionArn,
      name: described.name,
      status: described.status,
      startDate: described.startDate,
    });
    const execution = { executionArn: described.executionArn, executionName: described.name, startDate: described.startDate };
    return follow({ execution, deadline, timeoutMs: request.timeoutMs, stopOnTimeout: false }, ports, emit);
  }

  let previous: GroupCheck['previous'];
  if (request.rev === PREVIOUS) {
    if (!ports.groupRevisions) throw new Error('rev: previous needs the group revisions port');
    previous = await resolvePrevious(request, { groupRevisions: ports.groupRevisions }, emit);
    // A deliberate one-step rollback: the order check reports it but does not refuse it.
    request = { ...request, rev: previous.rev, allowOlder: true };
  }
  const { input, manifest } = await preflight(request, ports, emit);
  if (
    !(await waitForGroup({
      ...ports,
      stateMachineArn: request.stateMachineArn,
      appName: request.appName,
      group: request.group,
      emit,
      deadline,
    }))
  ) {
    emit({ kind: 'timed-out', timeoutMs: request.timeoutMs });
    throw new UserError(
      `Another deploy to ${request.group} was still running after ${formatDuration(request.timeoutMs)} (timeout-minutes); nothing was started. Re-run when it has finished, or raise timeout-minutes.`,
    );
  }
  // After the wait: a deploy that was running may have changed what the group runs.
  const groupCheck = ports.groupRevisions
    ? {
        ...(await checkGroup(
          { ...request, redeploy: request.redeploy ?? false, allowOlder: request.allowOlder ?? false },
          { ...input.bundle, manifest },
          { groupRevisions: ports.groupRevisions, ancestry: ports.ancestry },
          emit,
        )),
        ...(previous ? { previous } : {}),
      }
    : undefined;
  const rev = request.rev;
  if (groupCheck?.skipped) {
    return {
      executionArn: '',
      executionName: '',
      startDate: new Date(ports.clock.now()),
      status: 'SKIPPED',
      timedOut: false,
      stopped: false,
      deploymentId: groupCheck.running?.deploymentId,
      lambdas: [],
      input,
      deployments: [],
      rev,
      groupCheck,
    };
  }
  const started = await start(request, ports, input, emit);
  if (!request.wait) {
    return { ...started, status: 'RUNNING', timedOut: false, stopped: false, lambdas: [], input, deployments: [], rev, groupCheck };
  }
  return {
    ...(await follow({ execution: started, deadline, timeoutMs: request.timeoutMs, stopOnTimeout: request.stopOnCancel }, ports, emit)),
    input,
    rev,
    groupCheck,
  };
}

async function preflight(request: StartRequest, ports: DeployPorts, emit: Emit): Promise<{ input: ExecutionInput; manifest: Manifest }> {
  const { appName, rev, bucket, group } = request;
  const key = bundleKey(request.prefix, appName, rev);
  const neverPushed = (detail: string) =>
    new UserError(
      `Revision ${rev} was never pushed for app ${appName} (${detail}). Run the push action for this commit first (uses: …/ion-actions/push with bucket: ${bucket}), or set \`rev\` to a revision that was pushed (push's \`rev\` output).`,
    );

  const bundle = await ports.bundles.getBundle(bucket, key);
  if (!bundle) throw neverPushed(`no bundle at s3://${bucket}/${key}; check \`bucket\` and \`prefix\` if it was pushed elsewhere`);
  let manifest: Awaited<ReturnType<typeof readBundleManifest>>;
  try {
    manifest = await readBundleManifest(bundle.bytes);
  } catch (e) {
    throw new UserError(`s3://${bucket}/${key} is not a revision bundle: ${(e as Error).message}. Push the revision again.`);
  }
  if (manifest.appName !== appName || manifest.rev !== rev) {
    throw new UserError(
      `s3://${bucket}/${key} holds revision ${manifest.rev} of ${manifest.appName}, not ${rev} of ${appName}. Push the revision again.`,
    );
  }
  if (ports.objects) {
    const verified = await verifyRevisionObjects(manifest, ports.objects, { prefix: request.prefix });
    emit({ kind: 'objects-verified', bucket: manifest.bucket, objects: verified.objects });
  }

  const revision = await ports.codedeploy.getApplicationRevision({ applicationName: appName, bucket, key, eTag: bundle.eTag });
  if (!revision.found && revision.missing === 'application') {
    throw new UserError(
      `CodeDeploy application ${appName} does not exist in this account and region: check \`app-name\` (or :app-name in datomic/ion-config.edn) and the region.`,
    );
  }
  if (!revision.found) throw neverPushed(`CodeDeploy has no revision s3://${bucket}/${key}`);
  emit({ kind: 'revision-registered', appName, rev, registeredAt: revision.registeredAt });

  if (!(await ports.codedeploy.deploymentGroupExists(appName, group))) {
    const groups = await ports.codedeploy.listDeploymentGroups(appName);
    const known = groups.length ? `its groups are: ${groups.join(', ')}` : 'it has no deployment groups yet';
    throw new UserError(
      `Deployment group ${group} does not exist in CodeDeploy application ${appName}; ${known}. Set \`group\` to one of them.`,
    );
  }
  emit({ kind: 'group-found', appName, group });

  const input = buildExecutionInput({ appName, group, rev, bucket, key, eTag: bundle.eTag, manifest, github: request.github });
  const overlong = overlongFunctionNames(input);
  if (overlong.length) {
    throw new UserError(
      `Lambda function names longer than 64 characters: ${overlong.join(', ')}. Shorten the lambda names in ion-config or the group name.`,
    );
  }
  emit({ kind: 'bundle-read', bucket, key, eTag: bundle.eTag, lambdas: input.lambdas });
  return { input, manifest };
}

/** The execution being followed. */
interface FollowedExecution {
  executionArn: string;
  executionName: string;
  startDate: Date;
}

/** What following needs to know: which execution, until when, and whether to stop it then. */
interface FollowPlan {
  execution: FollowedExecution;
  deadline: number;
  timeoutMs: number;
  stopOnTimeout: boolean;
}

async function start(request: StartRequest, ports: DeployPorts, input: ExecutionInput, emit: Emit): Promise<FollowedExecution> {
  const random = ports.random ?? Math.random;
  const body = JSON.stringify(input);
  for (let collision = 0; ; collision = collision === 0 ? 2 : collision + 1) {
    const name = executionName({
      group: request.group,
      rev: request.rev,
      runId: request.github?.runId,
      runAttempt: request.github?.runAttempt,
      now: new Date(ports.clock.now()),
      random,
      collision: collision || undefined,
    });
    try {
      const { executionArn, startDate } = await ports.sfn.startExecution({ stateMachineArn: request.stateMachineArn, name, input: body });
      emit({ kind: 'execution-started', executionArn, name, startDate, input });
      return { executionArn, executionName: name, startDate };
    } catch (err) {
      // The name was used by a finished execution (another deploy step of this run attempt): next name.
      if (errorName(err) === 'ExecutionAlreadyExists' && collision < 9) continue;
      if (errorName(err) === 'StateMachineDoesNotExist') {
        throw new UserError(
          `State machine ${request.stateMachineArn} does not exist: set \`state-machine-arn\` to the deploy state machine's ARN (infra/ creates it).`,
        );
      }
      throw err;
    }
  }
}

async function follow(plan: FollowPlan, ports: DeployPorts, emit: Emit): Promise<DeployResult> {
  const { execution } = plan;
  const followed = await followExecution({ ...ports, executionArn: execution.executionArn, emit, deadline: plan.deadline });
  const deploymentIds = followed.timeline.deploymentIds;
  const base = {
    ...execution,
    timeline: followed.timeline,
    deployments: followed.deployments,
    deploymentId: deploymentIds[deploymentIds.length - 1],
    lambdas: [],
    timedOut: false,
    stopped: false,
  };
  const end = followed.end;
  switch (end.kind) {
    case 'deadline': {
      emit({ kind: 'timed-out', timeoutMs: plan.timeoutMs });
      let stopped = false;
      if (plan.stopOnTimeout) {
        const active = followed.deployments.filter((d) => !d.fullyReported).map((d) => d.deploymentId);
        stopped = await stopDeploy(
          ports,
          emit,
          execution.executionArn,
          active,
          `the deploy action's timeout (${formatDuration(plan.timeoutMs)}) passed`,
        );
      }
      return { ...base, status: stopped ? 'ABORTED' : 'RUNNING', timedOut: true, stopped };
    }
    case 'unreachable':
    case 'credentials-expired': {
      const failingForMs = end.kind === 'unreachable' ? end.failingForMs : undefined;
      emit({ kind: 'stopped-following', executionArn: execution.executionArn, reason: end.kind, error: end.error, failingForMs });
      return { ...base, status: 'RUNNING', stoppedFollowing: { reason: end.kind, error: end.error, failingForMs } };
    }
    case 'finished':
      break;
  }
  const terminal = followed.timeline.terminal!;
  if (terminal.status !== 'SUCCEEDED') {
    // The deployment failed: CodeDeploy may be rolling the group back. Follow that too (within the timeout).
    const failed = failedDeployment(followed.deployments);
    const rollback = failed ? await followRollback(failed, { ...ports, emit, deadline: plan.deadline }) : undefined;
    return { ...base, status: terminal.status, error: terminal.error, cause: terminal.cause, ...(rollback ? { rollback } : {}) };
  }
  const { output, problem } = readExecutionOutput(terminal.output);
  return {
    ...base,
    status: 'SUCCEEDED',
    deploymentId: output.DeploymentId ?? base.deploymentId,
    lambdas: output.Lambdas ?? [],
    outputProblem: problem,
  };
}

/**
 * Stops the execution and the CodeDeploy deployments it started: stopping only the execution would
 * leave CodeDeploy rolling the revision out with nobody watching. CodeDeploy rolls back what it can.
 * Returns whether the execution was stopped.
 */
export async function stopDeploy(
  ports: Pick<DeployPorts, 'sfn' | 'codedeploy'>,
  emit: Emit,
  executionArn: string,
  deploymentIds: string[],
  reason: string,
): Promise<boolean> {
  emit({ kind: 'stopping', executionArn, deploymentIds, reason });
  let stopped = false;
  try {
    await ports.sfn.stopExecution({ executionArn, error: 'IonActions.DeployCancelled', cause: `Stopped by the deploy action: ${reason}.` });
    stopped = true;
  } catch (err) {
    emit({ kind: 'stop-failed', what: `execution ${executionArn}`, error: describeError(err) });
  }
  for (const id of deploymentIds) {
    try {
      await ports.codedeploy.stopDeployment(id, true);
    } catch (err) {
      // Already finished between our last poll and now: nothing to stop.
      if (errorName(err) !== 'DeploymentAlreadyCompletedException')
        emit({ kind: 'stop-failed', what: `deployment ${id}`, error: describeError(err) });
    }
  }
  return stopped;
}
