import type { GroupCheck } from '../core/deploy/running-revision.js';
import { revisionDiffTable } from '../github/revision-diff-markdown.js';
import { code, escapeCell } from '../github/markdown.js';

/** A 40/64-hex commit shortened for reading; anything else (a uname) as it is. */
const shortRev = (rev: string): string => (/^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(rev) ? rev.slice(0, 7) : rev);
const when = (d: Date | undefined): string => (d ? ` on ${d.toISOString().replace(/\.\d+Z$/, 'Z')}` : '');

/**
 * The job summary's part about what the group ran: `rev: previous`, the order check, and what the
 * revision changes (a table). Every name and reason is outside text: escaped or in inline code.
 */
export function groupCheckSection(check: GroupCheck, group: string): string[] {
  const out: string[] = [];
  if (check.previous) {
    const p = check.previous;
    out.push(
      `\`rev: previous\` resolved to ${code(p.rev)}: what ${code(group)} ran before its current revision (deployment ${code(p.deploymentId)}${when(p.completedAt)}${p.rollback ? ', a rollback' : ''}).`,
      '',
    );
  }
  const o = check.order;
  if (o && check.running) {
    const running = code(shortRev(check.running.rev));
    const line: Record<typeof o.verdict, string> = {
      newer: `Newer than the running ${running}.`,
      'same-commit': `The same commit as the running ${running}.`,
      diverged: `Diverged from the running ${running}: neither commit contains the other.`,
      older: `⚠️ **Older** than the running ${running}: deployed over it on purpose (\`allow-older\` or \`rev: previous\`).`,
      unordered: `Order not checked: ${escapeCell(o.why ?? '')}.`,
      unknown: `⚠️ Could not tell whether it is older than the running ${running}: ${escapeCell(o.why ?? '')}.`,
    };
    out.push(`**Order**${o.source ? ` (${escapeCell(o.source)})` : ''}: ${line[o.verdict]}`, '');
  }
  if (check.running && (check.diff || check.diffProblem)) {
    out.push(
      `### What changes against ${code(shortRev(check.running.rev))}`,
      '',
      `What ${code(group)} ran before this deploy: ${code(check.running.rev)} (deployment ${code(check.running.deploymentId)}${when(check.running.completedAt)}).`,
      '',
    );
    out.push(check.diff ? revisionDiffTable(check.diff) : `> [!WARNING]\n> No diff: ${escapeCell(check.diffProblem ?? '')}.`, '');
  } else if (!check.running) {
    out.push(`${code(group)} had no successful deployment before this one: everything is new.`, '');
  }
  return out;
}

/** The summary of a SKIPPED deploy: the group already runs the revision, nothing was started. */
export function renderSkippedSummary(check: GroupCheck, ctx: { appName: string; group: string; rev: string }): string {
  const running = check.running;
  return [
    `## ⏭ Deploy ${code(ctx.appName)} ${code(shortRev(ctx.rev))} to ${code(ctx.group)}: SKIPPED`,
    '',
    `${code(ctx.group)} already runs ${code(ctx.rev)}${running ? ` (deployment ${code(running.deploymentId)}${when(running.completedAt)})` : ''}: nothing was started. Set \`redeploy: true\` to deploy it again.`,
    '',
  ].join('\n');
}
