import { formatDuration, formatElapsed } from '../core/deploy/clock.js';
import { deploymentConsoleUrl, executionConsoleUrl } from '../core/deploy/console-links.js';
import type { DeployResult } from '../core/deploy/deploy-flow.js';
import type { DeploymentTracker, LifecycleRecord, TargetRecord } from '../core/deploy/deployment-tracker.js';
import { describeFailure } from '../core/deploy/failure-cause.js';
import { rolledBack, type RollbackOutcome } from '../core/deploy/follow-rollback.js';
import { describeOverview } from './deploy-log.js';
import { code, escapeCell, fenced } from '../github/markdown.js';
import { groupCheckSection } from './group-check-summary.js';

/** Rows per instances table: a 1 MiB summary limit holds thousands, but nobody reads them. */
const MAX_ROWS = 300;
const MAX_FAILURES_SHOWN = 10;

export interface SummaryContext {
  appName?: string;
  group?: string;
  rev?: string;
  region?: string;
  timeoutMinutes: number;
}

/** The job summary: outcome, links, timeline of states, instances × lifecycle events, lambdas. */
export function renderDeploySummary(r: DeployResult, ctx: SummaryContext): string {
  const out: string[] = [];
  const what = ctx.group
    ? `${code(ctx.appName ?? '')} ${code(ctx.rev ? shortRev(ctx.rev) : '')} to ${code(ctx.group)}`
    : code(r.executionName);
  out.push(`## ${statusIcon(r)} Deploy ${what}: ${headline(r, ctx)}${rollbackHeadline(r.rollback)}`, '');

  const links: string[] = [];
  const executionUrl = executionConsoleUrl(r.executionArn);
  links.push(`Execution ${executionUrl ? `[${escapeCell(r.executionName)}](${executionUrl})` : code(r.executionName)}`);
  for (const d of r.deployments) {
    const url = deploymentConsoleUrl(d.deploymentId, ctx.region);
    links.push(`Deployment ${url ? `[${escapeCell(d.deploymentId)}](${url})` : code(d.deploymentId)}`);
  }
  const end = r.timeline?.terminal?.at;
  if (end) links.push(`took ${formatDuration(end.getTime() - r.startDate.getTime())}`);
  out.push(links.join(' · '), '');
  // What the group ran before: `rev: previous`, the order check, and what this revision changes.
  if (r.groupCheck && ctx.group) out.push(...groupCheckSection(r.groupCheck, ctx.group));

  if (r.stoppedFollowing) {
    const why =
      r.stoppedFollowing.reason === 'credentials-expired' ? 'the AWS credentials expired' : 'AWS did not answer properly for too long';
    out.push(
      '### Following stopped',
      '',
      `The execution was still running when following stopped: ${why} (${paragraph(r.stoppedFollowing.error)}). What is below is what was seen until then; follow it to its end with the deploy action's \`execution-arn\` input.`,
      '',
    );
  }
  if (r.status !== 'SUCCEEDED' && (r.error || r.cause)) {
    out.push('### Why it failed', '', paragraph(describeFailure(r.error, r.cause)), '');
  }
  if (r.rollback) out.push(...rollbackSection(r.rollback, ctx));
  const failures = r.deployments.flatMap((d) => failedEvents(d));
  if (failures.length) {
    out.push('### Failed lifecycle events', '');
    for (const f of failures.slice(0, MAX_FAILURES_SHOWN)) {
      const d = f.event.diagnostics;
      out.push(
        `**${escapeCell(f.target.targetId)} ${escapeCell(f.event.name)}**${d?.errorCode ? ` (${escapeCell(d.errorCode)})` : ''}${d?.scriptName ? ` in ${code(d.scriptName)}` : ''}: ${escapeCell(d?.message ?? '')}`,
        '',
      );
      if (d?.logTail) out.push(fenced(d.logTail), '');
    }
    if (failures.length > MAX_FAILURES_SHOWN) out.push(`…and ${failures.length - MAX_FAILURES_SHOWN} more in the log.`, '');
  }

  const states = r.timeline ? [...r.timeline.states.values()].sort((a, b) => a.firstEnteredAt.getTime() - b.firstEnteredAt.getTime()) : [];
  if (states.length) {
    out.push('### Timeline', '', '| State | Started | Took | Visits | Result |', '|---|---|---|---|---|');
    for (const s of states) {
      const result =
        s.result === 'failed'
          ? `❌ failed${s.error ? ` (${escapeCell(s.error)})` : ''}`
          : s.result === 'succeeded'
            ? '✅ succeeded'
            : s.result === 'aborted'
              ? '⏹ aborted'
              : '⏳ running';
      out.push(
        `| ${escapeCell(s.name)} | +${formatElapsed(s.firstEnteredAt.getTime() - r.startDate.getTime())} | ${formatDuration(s.totalMs)} | ${s.visits} | ${result} |`,
      );
    }
    out.push('');
  }

  for (const d of r.deployments) out.push(...instancesTable(d));

  if (r.status === 'SUCCEEDED') {
    out.push('### Lambdas', '');
    out.push(r.lambdas.length ? r.lambdas.map((l) => `- ${code(l)}`).join('\n') : 'None.', '');
    if (r.outputProblem)
      out.push(
        `> [!WARNING]\n> The state machine's output does not follow the contract (docs/deploy-contract.md): ${escapeCell(r.outputProblem)}.`,
        '',
      );
  }
  return out.join('\n');
}

/** `, rolled back to abc1234` in the heading when CodeDeploy's rollback brought the group back. */
function rollbackHeadline(o: RollbackOutcome | undefined): string {
  if (!o || o.kind === 'none') return '';
  if (rolledBack(o)) return `, rolled back to ${o.rev ? code(shortRev(o.rev)) : 'the last good revision'}`;
  return o.kind === 'ended' ? ', and the rollback failed' : ', rollback still running';
}

/** What CodeDeploy's automatic rollback did, which revision the group runs now, and the rollback's instances. */
function rollbackSection(o: RollbackOutcome, ctx: SummaryContext): string[] {
  const out = ['### Rollback', ''];
  if (o.kind === 'none') {
    out.push(
      o.why === 'auto-rollback-off'
        ? `No automatic rollback: it is off for deployment ${code(o.failedDeploymentId)} (the group's AutoRollback). Instances it reached may run the failed revision; deploy a known good revision to be sure what the group runs.`
        : `CodeDeploy started no rollback of ${code(o.failedDeploymentId)}${o.message ? `: ${paragraph(o.message)}` : ' (there is none when the group never had a successful deployment)'}. Instances it reached may run the failed revision.`,
      '',
    );
    return out;
  }
  const url = deploymentConsoleUrl(o.rollbackDeploymentId, ctx.region);
  const link = url ? `[${escapeCell(o.rollbackDeploymentId)}](${url})` : code(o.rollbackDeploymentId);
  const group = o.group ? code(o.group) : 'The group';
  const rev = o.rev ? `revision ${code(o.rev)}` : 'its last successful revision';
  out.push(`CodeDeploy rolled back automatically after ${code(o.failedDeploymentId)} failed: rollback deployment ${link}.`, '');
  if (o.kind === 'unfinished') {
    out.push(
      `**Still running** when following stopped (${o.reason === 'deadline' ? 'timeout-minutes passed' : paragraph(o.error ?? o.reason ?? '')}): it goes on in CodeDeploy, not stopped; see it in the console. ${group} is going back to ${rev}.`,
      '',
    );
  } else if (o.status === 'Succeeded') {
    out.push(`✅ ${group} runs ${rev} again, **healthy**: the rollback succeeded on every instance.`, '');
  } else {
    out.push(
      `❌ **The rollback ${o.status === 'Stopped' ? 'was stopped' : 'failed'} too** (${escapeCell(o.status ?? '')}): ${group} may be half-deployed, some instances on ${rev}, others on the failed one. Fix the cause and deploy again, or deploy a known good revision${o.rev ? ` (${code(`rev: ${o.rev}`)})` : ''}.`,
      '',
    );
  }
  for (const f of failedEvents(o.tracker).slice(0, MAX_FAILURES_SHOWN)) {
    const d = f.event.diagnostics;
    out.push(`**${escapeCell(f.target.targetId)} ${escapeCell(f.event.name)}**: ${escapeCell(d?.message ?? '')}`, '');
    if (d?.logTail) out.push(fenced(d.logTail), '');
  }
  out.push(...instancesTable(o.tracker));
  return out;
}

/** A short summary for a deploy that never started (bad inputs, pre-flight). */
export function renderNotStartedSummary(message: string): string {
  return `## ❌ Deploy not started\n\n${paragraph(message)}\n`;
}

/**
 * Outside text as a paragraph of its own: escaped like a cell, and a leading `#`, `-`, `+`, `=` or
 * `1.` escaped too, so it cannot turn the paragraph into a heading or a list.
 */
function paragraph(text: string): string {
  return escapeCell(text).replace(/^([#+=-]|\d+[.)])/, '\\$1');
}

function headline(r: DeployResult, ctx: SummaryContext): string {
  if (r.stoppedFollowing)
    return r.stoppedFollowing.reason === 'credentials-expired'
      ? 'still running when the AWS credentials expired'
      : 'still running when AWS stopped answering';
  if (r.timedOut)
    return r.stopped
      ? `stopped after ${ctx.timeoutMinutes} minutes (timeout)`
      : `still running after ${ctx.timeoutMinutes} minutes (timeout)`;
  if (r.status === 'RUNNING') return 'started (not waiting)';
  return r.status;
}

const statusIcon = (r: DeployResult): string =>
  r.status === 'SUCCEEDED' ? '✅' : r.status === 'RUNNING' && !r.timedOut && !r.stoppedFollowing ? '🚀' : '❌';

function instancesTable(d: DeploymentTracker): string[] {
  const targets = [...d.targets.values()].sort((a, b) => firstStart(a) - firstStart(b) || a.targetId.localeCompare(b.targetId));
  const all: string[] = [];
  for (const t of targets) for (const e of t.events) if (!all.includes(e.name)) all.push(e.name);
  // Hooks no instance ran (traffic hooks without a load balancer) would only widen the table.
  const ran = (name: string) => targets.some((t) => t.events.some((e) => e.name === name && e.status !== 'Skipped'));
  const events = all.filter(ran);
  const skipped = all.filter((name) => !ran(name));
  const out = [`### Instances of ${escapeCell(d.deploymentId)}`, ''];
  if (d.snapshot) out.push(`${escapeCell(d.snapshot.status)}: ${describeOverview(d.snapshot.overview)}`, '');
  if (skipped.length && events.length) out.push(`Skipped on every instance: ${skipped.map(escapeCell).join(', ')}.`, '');
  if (!targets.length) return [...out, 'No instances reported.', ''];
  out.push(`| Instance | Status | ${events.map(escapeCell).join(' | ')} | Took |`, `|---|---|${events.map(() => '---|').join('')}---|`);
  for (const t of targets.slice(0, MAX_ROWS)) {
    const cells = events.map((name) => cell(t.events.find((e) => e.name === name)));
    const took = tookMs(t);
    out.push(
      `| ${escapeCell(t.targetId)} | ${targetIcon(t.status)} ${escapeCell(t.status)} | ${cells.join(' | ')} | ${took === undefined ? '' : formatDuration(took)} |`,
    );
  }
  if (targets.length > MAX_ROWS) out.push('', `…and ${targets.length - MAX_ROWS} more instances (see the log).`);
  out.push('');
  return out;
}

function cell(e: LifecycleRecord | undefined): string {
  if (!e) return '';
  const took = e.startTime && e.endTime ? ` ${formatDuration(e.endTime.getTime() - e.startTime.getTime())}` : '';
  switch (e.status) {
    case 'Succeeded':
      return `✅${took}`;
    case 'Failed':
      return `❌${took}`;
    case 'InProgress':
      return '⏳';
    case 'Skipped':
      return '⏭';
    case 'Pending':
      return '·';
    default:
      return '?';
  }
}

const targetIcon = (s: string): string =>
  s === 'Succeeded' ? '✅' : s === 'Failed' ? '❌' : s === 'Skipped' ? '⏭' : s === 'InProgress' ? '⏳' : '·';

const firstStart = (t: TargetRecord): number => Math.min(...t.events.map((e) => e.startTime?.getTime() ?? Infinity), Infinity);

function tookMs(t: TargetRecord): number | undefined {
  const start = firstStart(t);
  const end = Math.max(...t.events.map((e) => e.endTime?.getTime() ?? -Infinity));
  return Number.isFinite(start) && Number.isFinite(end) ? end - start : undefined;
}

function failedEvents(d: DeploymentTracker): { target: TargetRecord; event: LifecycleRecord }[] {
  return [...d.targets.values()].flatMap((target) =>
    target.events.filter((e) => e.status === 'Failed').map((event) => ({ target, event })),
  );
}

const shortRev = (rev: string): string => (/^[0-9a-f]{40}$/i.test(rev) ? rev.slice(0, 7) : rev);
