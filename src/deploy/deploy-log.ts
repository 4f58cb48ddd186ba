import { formatDuration, formatElapsed } from '../core/deploy/clock.js';
import { deploymentConsoleUrl, executionConsoleUrl } from '../core/deploy/console-links.js';
import type { DeployEvent } from '../core/deploy/deploy-events.js';
import type { DeploymentOverview, LifecycleDiagnostics } from '../core/deploy/ports.js';
import { VISITS_SHOWN } from '../core/deploy/execution-timeline.js';
import { decodeCause, describeFailure, oneLine } from '../core/deploy/failure-cause.js';
import type { ActionsIO } from './actions-io.js';

/** GitHub shows 10 error annotations per step; one is kept for the step's own failure message. */
const FAILURE_ANNOTATIONS = 9;
const LOG_TAIL_LINES_IN_ANNOTATION = 15;

/**
 * Turns deploy events into the workflow log: one line per change, stamped with the time it happened
 * relative to the execution's start (`[mm:ss]`), and an error annotation per failed lifecycle event.
 * Anything that came from AWS and could span lines goes through `untrusted` or `oneLine`, so a log tail
 * cannot issue workflow commands.
 */
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
        io.info(`Bundle s3://${e.bucket}/${e.key}: ${e.lambdas.length ? `lambdas ${e.lambdas.map((l) => l.functionName).join(', ')}` : 'no lambdas'}`);
        return;
      case 'revision-registered':
        io.info(`Revision ${e.rev} of ${e.appName} is registered with CodeDeploy${e.registeredAt ? ` (since ${e.registeredAt.toISOString()})` : ''}`);
        return;
      case 'group-found':
        io.info(`Deployment group ${e.group} of ${e.appName} exists`);
        return;
      case 'group-busy':
        io.info(`Execution ${e.name} is already deploying to ${e.group} (started ${e.startDate.toISOString()}): waiting for it to finish first.`);
        io.info(`  ${e.executionArn}`);
        return;
      case 'group-still-busy':
        io.info(`Still waiting for ${e.executionArn} (${formatDuration(e.waitedMs)})`);
        return;
      case 'group-free':
        io.info(`${e.executionArn} ended (${e.status}) after ${formatDuration(e.waitedMs)} of waiting`);
        return;
      case 'execution-started':
      case 'following': {
        this.startMs = e.startDate.getTime();
        const url = executionConsoleUrl(e.executionArn);
        io.info(`${e.kind === 'following' ? `Following execution ${e.name} (${e.status})` : `Started execution ${e.name}`}`);
        io.info(`  ${e.executionArn}`);
        if (url) io.info(`  ${url}`);
        return;
      }
      case 'execution-began':
        io.info(`${this.stamp(e.at)}execution started`);
        return;
      case 'state-entered':
        this.open.add(e.state);
        if (e.visit <= VISITS_SHOWN) io.info(`${this.stamp(e.at)}▶ ${e.state}`);
        else if (e.visit === VISITS_SHOWN + 1) io.info(`${this.stamp(e.at)}▶ ${e.state} (visit ${e.visit}; later visits are counted in the job summary, not shown)`);
        return;
      case 'state-exited':
        this.open.delete(e.state);
        if (e.visit <= VISITS_SHOWN) io.info(`${this.stamp(e.at)}✔ ${e.state} (${formatDuration(e.durationMs)})`);
        return;
      case 'state-failure': {
        const what = describeFailure(e.error, e.cause);
        io.info(`${this.stamp(e.at)}⚠ ${e.state ?? 'state'}: ${e.eventType}${what ? ` ${what}` : ''}`);
        return;
      }
      case 'deployment-found': {
        const url = deploymentConsoleUrl(e.deploymentId, this.region);
        io.info(`${this.stamp(e.at)}  CodeDeploy deployment ${e.deploymentId}${url ? ` ${url}` : ''}`);
        return;
      }
      case 'deployment-progress':
        io.info(`${this.stamp(e.at)}  ${e.deploymentId} ${e.status}: ${describeOverview(e.overview)}`);
        return;
      case 'lifecycle-event':
        this.lifecycle(e);
        return;
      case 'target-finished':
        io.info(`${this.stamp(e.at)}  ${e.targetId} ${e.status === 'Succeeded' ? 'succeeded' : e.status === 'Failed' ? 'FAILED' : e.status.toLowerCase()}${e.durationMs !== undefined ? ` (${formatDuration(e.durationMs)})` : ''}`);
        return;
      case 'deployment-finished': {
        const info = e.errorInformation ? `: ${oneLine(`${e.errorInformation.code ?? ''} ${e.errorInformation.message ?? ''}`)}` : '';
        io.info(`${this.stamp(e.at)}  ${e.deploymentId} ${e.status}: ${describeOverview(e.overview)}${info}`);
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
        io.info(`${this.stamp(e.at)}Execution ${e.status}${took}${what ? `: ${what}` : ''}`);
        if (cause.detail && cause.detail !== cause.summary) {
          io.startGroup(`Cause of ${e.status}`);
          io.untrusted(cause.detail);
          io.endGroup();
        }
        return;
      }
      case 'transient-error':
        if (e.streak === 1 || e.streak % 5 === 0) {
          io.info(`AWS is throttling or failing (${oneLine(e.error, 300)}); slowing down, next try in ${formatDuration(e.retryInMs)}${e.streak > 1 ? ` (${e.streak} in a row)` : ''}`);
        }
        return;
      case 'recovered':
        io.info(`AWS answers again (after ${e.streak} failed ${e.streak === 1 ? 'poll' : 'polls'})`);
        return;
      case 'heartbeat':
        io.info(`${this.stamp(e.at)}… still running${this.open.size ? ` in ${[...this.open].join(', ')}` : ''} (no change for ${formatDuration(e.quietMs)})`);
        return;
      case 'timed-out':
        io.info(`Gave up waiting after ${formatDuration(e.timeoutMs)} (timeout-minutes)`);
        return;
      case 'stopping':
        io.info(`Stopping execution ${e.executionArn}${e.deploymentIds.length ? ` and CodeDeploy deployment ${e.deploymentIds.join(', ')}` : ''}: ${e.reason}`);
        return;
      case 'stop-failed':
        io.warning(`Could not stop ${e.what}: ${oneLine(e.error)}`, 'Stopping the deploy failed');
        return;
    }
  };

  private lifecycle(e: Extract<DeployEvent, { kind: 'lifecycle-event' }>): void {
    const io = this.io;
    const where = `${this.stamp(e.at)}  ${e.targetId}`;
    switch (e.status) {
      case 'InProgress':
        io.info(`${where} ▶ ${e.event}`);
        return;
      case 'Succeeded':
        io.info(`${where} ✔ ${e.event}${e.durationMs !== undefined ? ` (${formatDuration(e.durationMs)})` : ''}`);
        return;
      case 'Failed':
        io.info(`${where} ✖ ${e.event} FAILED${e.durationMs !== undefined ? ` (${formatDuration(e.durationMs)})` : ''}${e.diagnostics?.errorCode ? `: ${oneLine(e.diagnostics.errorCode, 100)}` : ''}`);
        this.diagnostics(e.targetId, e.event, e.diagnostics);
        return;
      default:
        // Skipped hooks (traffic hooks without a load balancer) are noise here; the summary shows them.
        return;
    }
  }

  private diagnostics(targetId: string, event: string, d: LifecycleDiagnostics | undefined): void {
    const io = this.io;
    const message = d?.message ? oneLine(d.message, 400) : 'no message';
    io.startGroup(`Diagnostics: ${oneLine(targetId, 100)} ${oneLine(event, 100)}${d?.errorCode ? ` (${oneLine(d.errorCode, 100)})` : ''}`);
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
    const tail = (d?.logTail ?? '').trimEnd().split('\n').slice(-LOG_TAIL_LINES_IN_ANNOTATION).join('\n');
    const script = d?.scriptName ? ` in ${d.scriptName}` : '';
    // core.error escapes the message, so the log tail cannot break out of the annotation.
    io.error(`${targetId} ${event} failed${script}: ${message}${tail ? `\n\nLog tail:\n${tail}` : ''}`, `Deploy failed on ${targetId}: ${event}`);
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
