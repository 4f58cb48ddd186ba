import type { GroupCheckEvent } from '../core/deploy/running-revision.js';
import type { OrderVerdict } from '../core/deploy/deploy-order.js';
import { diffOneLine, type RevisionDiff } from '../core/revision/revision-diff.js';
import { inert, inertOneLine } from '../github/inert-text.js';
import type { ActionsIO } from './actions-io.js';

/** Library lines shown under the diff's one line; the rest are in the job summary. */
const DIFF_LINES = 5;

const t = (text: string | undefined, maxLength?: number): string => inert(text ?? '', maxLength);
const short = (commit: string | undefined): string => t(commit && /^[0-9a-f]{40,64}$/.test(commit) ? commit.slice(0, 12) : commit);

/**
 * The group check in the log (what the group runs, re-runs, order, the diff). Called by DeployLog,
 * the one place deploy events become text; every name, revision, commit and reason is outside text
 * (CodeDeploy, manifests, git) and goes through inert().
 */
export function logGroupCheck(e: GroupCheckEvent, io: ActionsIO): void {
  switch (e.kind) {
    case 'previous-resolved':
      io.info(
        `rev: previous → ${t(e.rev)}: what ${t(e.group)} ran before its current ${t(e.currentRev)} (deployment ${t(e.deploymentId)}${e.completedAt ? `, ${e.completedAt.toISOString()}` : ''}${e.rollback ? ', a rollback' : ''})`,
      );
      return;
    case 'group-running':
      if (!e.running) {
        io.info(`Deployment group ${t(e.group)} has no successful deployment yet`);
        return;
      }
      io.info(
        `Deployment group ${t(e.group)} runs ${t(e.running.rev)} (deployment ${t(e.running.deploymentId)}${e.running.completedAt ? `, ${e.running.completedAt.toISOString()}` : ''}${e.running.rollback ? ', an automatic rollback' : ''})`,
      );
      return;
    case 'already-deployed':
      io.info(
        e.redeploy
          ? `${t(e.rev)} is already what ${t(e.group)} runs (deployment ${t(e.deploymentId)}): deploying it again (redeploy: true)`
          : `${t(e.rev)} is already what ${t(e.group)} runs (deployment ${t(e.deploymentId)}): nothing to do, status SKIPPED. Set redeploy: true to deploy it again.`,
      );
      return;
    case 'deploy-order':
      logOrder(e, io);
      return;
    case 'revision-diff':
      logDiff(e.runningRev, e.diff, io);
      return;
    case 'revision-diff-unavailable':
      io.warning(
        `No diff against the running ${t(e.runningRev)}: ${inertOneLine(e.why, 300)}. The deploy goes on.`,
        'What this revision changes is unknown',
      );
      return;
  }
}

function logOrder(e: Extract<GroupCheckEvent, { kind: 'deploy-order' }>, io: ActionsIO): void {
  const o: OrderVerdict = e.order;
  const by = o.source ? ` (${t(o.source)})` : '';
  const pair = `${short(o.requestedCommit)} vs the running ${t(e.runningRev)} at ${short(o.runningCommit)}`;
  switch (o.verdict) {
    case 'newer':
      io.info(`Order: ${t(e.rev)} is newer than the running ${t(e.runningRev)}: it contains commit ${short(o.runningCommit)}${by}`);
      return;
    case 'same-commit':
      io.info(`Order: ${t(e.rev)} is the same commit as the running ${t(e.runningRev)}${by}`);
      return;
    case 'diverged':
      io.info(`Order: ${t(e.rev)} and the running ${t(e.runningRev)} have diverged (neither contains the other)${by}: ${pair}`);
      return;
    case 'older':
      if (e.allowOlder)
        io.warning(
          `Deploying ${t(e.rev)} (commit ${short(o.requestedCommit)}) over the newer ${t(e.runningRev)} (commit ${short(o.runningCommit)})${by}: a rollback, allowed (allow-older: true or rev: previous).`,
          'Deploying an older revision',
        );
      else io.info(`Order: ${t(e.rev)} is older than the running ${t(e.runningRev)}${by}: ${pair}`);
      return;
    case 'unordered':
      io.info(`Order not checked: ${inertOneLine(o.why ?? '', 300)}`);
      return;
    case 'unknown':
      io.warning(
        `Could not tell whether ${t(e.rev)} is older than the running ${t(e.runningRev)}: ${inertOneLine(o.why ?? 'no answer', 400)}. Deploying anyway. To have it checked, check out the history (actions/checkout with fetch-depth: 0) or let github-token read the repository (permissions: contents: read).`,
        'Deploy order not checked',
      );
      return;
  }
}

function logDiff(runningRev: string, diff: RevisionDiff, io: ActionsIO): void {
  io.info(`Changes against the running ${t(runningRev)}: ${inertOneLine(diffOneLine(diff), 400)}`);
  const l = diff.libraries;
  const lines = [
    ...l.changed.map((c) => `  ~ ${t(c.name)} ${t(c.from)} → ${t(c.to)}${c.from === c.to ? ' (other bytes)' : ''}`),
    ...l.added.map((a) => `  + ${t(a.name)} ${t(a.version)}`),
    ...l.removed.map((r) => `  - ${t(r.name)} ${t(r.version)}`),
  ];
  for (const line of lines.slice(0, DIFF_LINES)) io.info(line);
  if (lines.length > DIFF_LINES) io.info(`  …and ${lines.length - DIFF_LINES} more library changes in the job summary`);
}
