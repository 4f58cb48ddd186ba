import { formatDuration, formatElapsed } from '../core/deploy/clock.js';
import { deploymentConsoleUrl, executionConsoleUrl } from '../core/deploy/console-links.js';
import type { DeployEvent } from '../core/deploy/deploy-events.js';
import type { RollbackEvent } from '../core/deploy/follow-rollback.js';
import type { DeploymentOverview, LifecycleDiagnostics } from '../core/deploy/ports.js';
import { VISITS_SHOWN } from '../core/deploy/execution-timeline.js';
import { decodeCause, describeFailure } from '../core/deploy/failure-cause.js';
import { inert, inertLines, inertOneLine } from '../github/inert-text.js';
import type { ActionsIO } from './actions-io.js';
import { logGroupCheck } from './group-check-log.js';

/** GitHub shows 10 error annotations per step; one is kept for the step's own failure message. */
const FAILURE_ANNOTATIONS = 9;
const LOG_TAIL_LINES_IN_ANNOTATION = 15;

/**
 * Turns deploy events into the workflow log: one line per change, stamped with the time it happened
 * relative to the execution's start (`[mm:ss]`), and an error annotation per failed lifecycle event.
 *
 * This is the one place deploy events become text, so it is where outside text is made inert
 * (src/github/inert-text.ts): every name, id, status, error, cause and log tail that came from AWS or
 * from the workflow's configuration goes through `inert` (one line) or `io.untrusted` (many lines),
 * so nothing the state machine, CodeDeploy or a hook writes can become a workflow command.
 */
/** Outside text, one line, made inert (short alias: it is used on nearly every line below). */
const t = (text: string | undefined, maxLength?: number): string => inert(text ?? '', maxLength);

export class DeployLog {
  private startMs: number | undefined;
  private annotationsLeft = FAILURE_ANNOTATIONS;
  private unannotated = 0;
  private readonly open = new Set<string>();

  constructor(
    private readonly io: ActionsIO,
    private readonly region: string | undefined,
  ) {}

  /** Failed lifecycle events beyond GitHub's annotation limit (in the log only). */
  get failuresOnlyInLog(): number {
    return this.unannotated;
  }

  private stamp(at: Date): string {
    return this.startMs === undefined ? '' : `[${formatElapsed(at.getTime() - this.startMs)}] `;
  }

  readonly handle = (e: DeployEvent): void => {
    const io = this.io;
    switch (e.kind) {
      case 'bundle-read':
        io.info(
          `Bundle s3://${t(e.bucket)}/${t(e.key)}: ${e.lambdas.length ? `lambdas ${e.lambdas.map((l) => t(l.functionName)).join(', ')}` : 'no lambdas'}`,
        );
        return;
      case 'objects-verified':
        io.info(`All ${e.objects} objects the revision names are in s3://${t(e.bucket)}`);
        return;
      case 'revision-registered':
        io.info(
          `Revision ${t(e.rev)} of ${t(e.appName)} is registered with CodeDeploy${e.registeredAt ? ` (since ${e.registeredAt.toISOString()})` : ''}`,
        );
        return;
      case 'group-found':
        io.info(`Deployment group ${t(e.group)} of ${t(e.appName)} exists`);
        return;
      case 'previous-resolved':
      case 'group-running':
      case 'already-deployed':
      case 'deploy-order':
      case 'revision-diff':
      case 'revision-diff-unavailable':
        logGroupCheck(e, io);
        return;
      case 'group-busy':
        io.info(
          `Execution ${t(e.name)} is already deploying to ${t(e.group)} (started ${e.startDate.toISOString()}): waiting for it to finish first.`,
        );
        io.info(`  ${t(e.executionArn)}`);
        return;
      case 'group-still-busy':
        io.info(`Still waiting for ${t(e.executionArn)} (${formatDuration(e.waitedMs)})`);
        return;
      case 'group-free':
        io.info(`${t(e.executionArn)} ended (${t(e.status)}) after ${formatDuration(e.waitedMs)} of waiting`);
        return;
      case 'execution-started':
      case 'following': {
        this.startMs = e.startDate.getTime();
        const url = executionConsoleUrl(e.executionArn);
        io.info(`${e.kind === 'following' ? `Following execution ${t(e.name)} (${t(e.status)})` : `Started execution ${t(e.name)}`}`);
        io.info(`  ${t(e.executionArn)}`);
        if (url) io.info(`  ${t(url)}`);
        return;
      }
      case 'execution-began':
        io.info(`${this.stamp(e.at)}execution started`);
        return;
      case 'state-entered':
        this.open.add(e.state);
        if (e.visit <= VISITS_SHOWN) io.info(`${this.stamp(e.at)}▶ ${t(e.state)}`);
        else if (e.visit === VISITS_SHOWN + 1)
          io.info(`${this.stamp(e.at)}▶ ${t(e.state)} (visit ${e.visit}; later visits are counted in the job summary, not shown)`);
        return;
      case 'state-exited':
        this.open.delete(e.state);
        if (e.visit <= VISITS_SHOWN) io.info(`${this.stamp(e.at)}✔ ${t(e.state)} (${formatDuration(e.durationMs)})`);
        return;
      case 'state-failure': {
        if (e.handled) {
          // The state machine expected it (a Catch or a Retry): a step of the plan, not a problem.
          const how = e.handled.next === undefined ? 'retried' : `Catch → ${t(e.handled.next)}`;
          io.info(`${this.stamp(e.at)}↪ ${e.state === undefined ? 'state' : t(e.state)}: ${t(e.error ?? e.eventType)} handled (${how})`);
          return;
        }
        const what = describeFailure(e.error, e.cause);
        io.info(`${this.stamp(e.at)}⚠ ${e.state === undefined ? 'state' : t(e.state)}: ${t(e.eventType)}${what ? ` ${t(what)}` : ''}`);
        return;
      }
      case 'deployment-found': {
        const url = deploymentConsoleUrl(e.deploymentId, this.region);
        io.info(`${this.stamp(e.at)}  CodeDeploy deployment ${t(e.deploymentId)}${url ? ` ${t(url)}` : ''}`);
        return;
      }
      case 'deployment-progress':
        io.info(`${this.stamp(e.at)}  ${t(e.deploymentId)} ${t(e.status)}: ${describeOverview(e.overview)}`);
        return;
      case 'lifecycle-event':
        this.lifecycle(e);
        return;
      case 'target-finished': {
        const status = e.status === 'Succeeded' ? 'succeeded' : e.status === 'Failed' ? 'FAILED' : t(e.status.toLowerCase());
        io.info(`${this.stamp(e.at)}  ${t(e.targetId)} ${status}${e.durationMs !== undefined ? ` (${formatDuration(e.durationMs)})` : ''}`);
        return;
      }
      case 'deployment-finished': {
        const info = e.errorInformation ? `: ${inertOneLine(`${e.errorInformation.code ?? ''} ${e.errorInformation.message ?? ''}`)}` : '';
        io.info(`${this.stamp(e.at)}  ${t(e.deploymentId)} ${t(e.status)}: ${describeOverview(e.overview)}${info}`);
        return;
      }
      case 'execution-finished': {
        const took = this.startMs === undefined ? '' : ` after ${formatDuration(e.at.getTime() - this.startMs)}`;
        if (e.status === 'SUCCEEDED') {
          io.info(`${this.stamp(e.at)}Execution SUCCEEDED${took}`);
          return;
        }
        const cause = decodeCause(e.cause);
        const what = describeFailure(e.error, e.cause);
        io.info(`${this.stamp(e.at)}Execution ${t(e.status)}${took}${what ? `: ${t(what)}` : ''}`);
        if (cause.detail && cause.detail !== cause.summary) {
          io.startGroup(`Cause of ${t(e.status)}`);
          io.untrusted(cause.detail);
          io.endGroup();
        }
        return;
      }
      case 'rollback-awaited':
      case 'rollback-none':
      case 'rollback-started':
      case 'rollback-finished':
      case 'rollback-unfinished':
        this.rollback(e);
        return;
      case 'transient-error':
        if (e.streak === 1 || e.streak % 5 === 0) {
          const what = e.throttled ? 'AWS is throttling' : 'AWS did not answer properly';
          io.info(
            `${what} (${inertOneLine(e.error, 300)}); slowing down, next try in ${formatDuration(e.retryInMs)}${e.streak > 1 ? ` (${e.streak} in a row)` : ''}`,
          );
        }
        return;
      case 'recovered':
        io.info(`AWS answers again (after ${e.streak} failed ${e.streak === 1 ? 'poll' : 'polls'})`);
        return;
      case 'heartbeat':
        io.info(
          `${this.stamp(e.at)}… still running${this.open.size ? ` in ${[...this.open].map((s) => t(s)).join(', ')}` : ''} (no change for ${formatDuration(e.quietMs)})`,
        );
        return;
      case 'timed-out':
        io.info(`Gave up waiting after ${formatDuration(e.timeoutMs)} (timeout-minutes)`);
        return;
      case 'stopped-following':
        io.info(
          e.reason === 'credentials-expired'
            ? `Stopped following ${t(e.executionArn)}: the AWS credentials expired (${inertOneLine(e.error, 300)})`
            : `Stopped following ${t(e.executionArn)}: AWS did not answer properly for ${formatDuration(e.failingForMs ?? 0)} (last: ${inertOneLine(e.error, 300)})`,
        );
        return;
      case 'stopping':
        io.info(
          `Stopping execution ${t(e.executionArn)}${e.deploymentIds.length ? ` and CodeDeploy deployment ${e.deploymentIds.map((id) => t(id)).join(', ')}` : ''}: ${t(e.reason)}`,
        );
        return;
      case 'stop-failed':
        io.warning(`Could not stop ${t(e.what)}: ${inertOneLine(e.error)}`, 'Stopping the deploy failed');
        return;
    }
  };

  /** CodeDeploy's automatic rollback: a heading, the rollback deployment's own lines, then what the group runs now. */
  private rollback(e: RollbackEvent): void {
    const io = this.io;
    switch (e.kind) {
      case 'rollback-awaited':
        io.info(
          `${this.stamp(e.at)}Deployment ${t(e.failedDeploymentId)} failed; waiting up to ${formatDuration(e.withinMs)} for CodeDeploy's automatic rollback to start`,
        );
        return;
      case 'rollback-none':
        if (e.why === 'auto-rollback-off') {
          io.info(
            `No automatic rollback: it is off for deployment ${t(e.failedDeploymentId)} (the group's AutoRollback). Instances it reached may run the failed revision: deploy a known good revision to be sure what the group runs.`,
          );
        } else if (e.message) {
          io.info(`No automatic rollback of ${t(e.failedDeploymentId)}: CodeDeploy says ${inertOneLine(e.message, 400)}`);
        } else {
          io.info(
            `CodeDeploy started no rollback of ${t(e.failedDeploymentId)}${e.waitedMs !== undefined ? ` within ${formatDuration(e.waitedMs)}` : ''} (there is none when the group never had a successful deployment). Instances it reached may run the failed revision.`,
          );
        }
        return;
      case 'rollback-started': {
        const url = deploymentConsoleUrl(e.rollbackDeploymentId, this.region);
        io.info(
          `${this.stamp(e.at)}── Rollback${e.group ? ` of ${t(e.group)}` : ''}: CodeDeploy redeploys the last successful revision (deployment ${t(e.rollbackDeploymentId)}, after ${t(e.failedDeploymentId)} failed)`,
        );
        if (url) io.info(`  ${t(url)}`);
        if (e.message) io.info(`  CodeDeploy: ${inertOneLine(e.message, 400)}`);
        return;
      }
      case 'rollback-finished': {
        const group = e.group ? t(e.group) : 'the group';
        const rev = e.rev ? `revision ${t(e.rev)}` : 'its last successful revision';
        if (e.status === 'Succeeded') {
          io.info(
            `${this.stamp(e.at)}✔ Rolled back: ${group} runs ${rev} again, healthy (rollback deployment ${t(e.rollbackDeploymentId)} succeeded on every instance).`,
          );
        } else {
          io.info(
            `${this.stamp(e.at)}✖ The rollback ${e.status === 'Stopped' ? 'was stopped' : 'failed'} too (deployment ${t(e.rollbackDeploymentId)} ${t(e.status)}): ${group} may be half-deployed, some instances on ${rev}, others on the failed one. Fix the cause above and deploy again, or deploy a known good revision${e.rev ? ` (rev: ${t(e.rev)})` : ''}.`,
          );
        }
        return;
      }
      case 'rollback-unfinished': {
        const url = deploymentConsoleUrl(e.rollbackDeploymentId, this.region);
        const why =
          e.reason === 'deadline'
            ? 'the timeout (timeout-minutes) passed'
            : e.reason === 'unreachable'
              ? `AWS did not answer properly (${inertOneLine(e.error ?? '', 300)})`
              : e.reason === 'credentials-expired'
                ? `the AWS credentials expired (${inertOneLine(e.error ?? '', 300)})`
                : inertOneLine(e.error ?? 'an error', 300);
        io.info(
          `Stopped following rollback deployment ${t(e.rollbackDeploymentId)}: ${why}. It goes on in CodeDeploy (not stopped)${url ? `: ${t(url)}` : '.'}`,
        );
        return;
      }
    }
  }

  private lifecycle(e: Extract<DeployEvent, { kind: 'lifecycle-event' }>): void {
    const io = this.io;
    const where = `${this.stamp(e.at)}  ${t(e.targetId)}`;
    switch (e.status) {
      case 'InProgress':
        io.info(`${where} ▶ ${t(e.event)}`);
        return;
      case 'Succeeded':
        io.info(`${where} ✔ ${t(e.event)}${e.durationMs !== undefined ? ` (${formatDuration(e.durationMs)})` : ''}`);
        return;
      case 'Failed':
        io.info(
          `${where} ✖ ${t(e.event)} FAILED${e.durationMs !== undefined ? ` (${formatDuration(e.durationMs)})` : ''}${e.diagnostics?.errorCode ? `: ${inertOneLine(e.diagnostics.errorCode, 100)}` : ''}`,
        );
        this.diagnostics(e.targetId, e.event, e.diagnostics);
        return;
      default:
        // Skipped hooks (traffic hooks without a load balancer) are noise here; the summary shows them.
        return;
    }
  }

  private diagnostics(targetId: string, event: string, d: LifecycleDiagnostics | undefined): void {
    const io = this.io;
    const message = d?.message ? inertOneLine(d.message, 400) : 'no message';
    io.startGroup(
      `Diagnostics: ${inertOneLine(targetId, 100)} ${inertOneLine(event, 100)}${d?.errorCode ? ` (${inertOneLine(d.errorCode, 100)})` : ''}`,
    );
    io.untrusted(
      [
        `error code: ${d?.errorCode ?? '-'}`,
        `script:     ${d?.scriptName || '-'}`,
        `message:    ${d?.message ?? '-'}`,
        'log tail:',
        d?.logTail ? d.logTail : '(empty)',
      ].join('\n'),
    );
    io.endGroup();
    if (this.annotationsLeft === 0) {
      this.unannotated += 1;
      return;
    }
    this.annotationsLeft -= 1;
    // runner.error escapes line breaks; each tail line is inert as well, so the annotation shows it as text.
    const tail = inertLines((d?.logTail ?? '').trimEnd(), LOG_TAIL_LINES_IN_ANNOTATION).join('\n');
    const script = d?.scriptName ? ` in ${inertOneLine(d.scriptName, 200)}` : '';
    const instance = inertOneLine(targetId, 100);
    const hook = inertOneLine(event, 100);
    io.error(
      `${instance} ${hook} failed${script}: ${message}${tail ? `\n\nLog tail:\n${tail}` : ''}`,
      `Deploy failed on ${instance}: ${hook}`,
    );
  }
}

export function describeOverview(o: DeploymentOverview): string {
  const total = o.Pending + o.InProgress + o.Succeeded + o.Failed + o.Skipped + o.Ready;
  const parts = [`${o.Succeeded}/${total} succeeded`];
  if (o.InProgress) parts.push(`${o.InProgress} in progress`);
  if (o.Pending) parts.push(`${o.Pending} pending`);
  if (o.Failed) parts.push(`${o.Failed} failed`);
  if (o.Skipped) parts.push(`${o.Skipped} skipped`);
  if (o.Ready) parts.push(`${o.Ready} ready`);
  return parts.join(', ');
}
