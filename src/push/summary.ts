import type { PushReport } from '../core/push/push-revision.js';
import { formatBytes } from '../core/format-bytes.js';
import type { ContentObject } from '../core/content/objects.js';
import { type ConflictGroup, conflictCount } from '../core/classpath/dependency-conflicts.js';
import { diffOneLine } from '../core/revision/revision-diff.js';
import { code, escapeCell } from '../github/markdown.js';
import { revisionDiffTable } from '../github/revision-diff-markdown.js';

/** The job summary must stay far below GitHub's 1 MiB per step. */
const MAX_ROWS = 100;

export interface SummaryContext {
  /** `owner/repo@ref` of this action, for the ready-to-paste deploy step. */
  actionRef: string;
}

const sum = (objects: readonly ContentObject[]) => objects.reduce((n, o) => n + o.size, 0);

/** Pure: the markdown job summary of a push. */
export function renderPushSummary(report: PushReport, ctx: SummaryContext): string {
  const lines: string[] = [];
  const title = report.dryRun ? 'Ion push (dry run)' : 'Ion push';
  lines.push(`## ${title}: \`${report.appName}\` revision \`${report.rev}\``, '');
  lines.push(
    report.reproducible
      ? `Reproducible: built from commit \`${report.commit}\` with a clean tree and no local dependencies.`
      : `**Unreproducible** (uname): the code differs from commit \`${report.commit ?? 'none'}\`; the revision name is the only handle on it.`,
    '',
  );
  const verb = report.dryRun ? 'Would upload' : 'Uploaded';
  lines.push('| | objects | bytes |', '|---|---:|---:|');
  lines.push(`| ${verb} | ${report.uploaded.length} | ${formatBytes(sum(report.uploaded))} |`);
  lines.push(`| Already in the bucket | ${report.reused.length} | ${formatBytes(sum(report.reused))} |`);
  lines.push(`| Classpath entries | ${report.entries.length} | ${formatBytes(report.entries.reduce((n, e) => n + e.size, 0))} |`, '');
  // A dry run may have no bucket: show the key alone rather than an `s3:///…` that points nowhere.
  const bundle = report.bucket ? code(`s3://${report.bucket}/${report.bundleKey}`) : `${code(report.bundleKey)} (no bucket given)`;
  lines.push(`Bundle: ${bundle}${report.dryRun ? ' (not written)' : report.bundleUploaded ? '' : ' (unchanged)'}`, '');

  if (report.uploaded.length) {
    const uploadedKeys = new Set(report.uploaded.map((o) => o.key));
    const rows = report.entries.filter((e) => uploadedKeys.has(e.key));
    lines.push(`<details><summary>${verb} ${report.uploaded.length} objects</summary>`, '');
    lines.push('| entry | kind | size | key |', '|---|---|---:|---|');
    for (const e of rows.slice(0, MAX_ROWS)) lines.push(`| ${escapeCell(e.origin)} | ${e.kind} | ${formatBytes(e.size)} | \`${e.key}\` |`);
    if (rows.length > MAX_ROWS) lines.push(`| … ${rows.length - MAX_ROWS} more | | | |`);
    lines.push('', '</details>', '');
  }

  if (report.manifest.lambdas.length) {
    lines.push(
      'Lambdas (proxies are named `<group>_<name>` when deployed): ' +
        report.manifest.lambdas.map((l) => `\`${l.name}\` → \`${l.fn}\``).join(', '),
      '',
    );
  }

  lines.push(...groupDiffSection(report));
  lines.push(...conflictSection(report.conflicts));

  if (report.skipped.length) {
    lines.push('**Skipped:**', ...report.skipped.map((s) => `- ${s}`), '');
  }

  if (report.groups?.length) {
    lines.push('### Deploy', '', 'Paste into a workflow to deploy this revision:', '');
    for (const group of report.groups) {
      lines.push(
        '```yaml',
        `- uses: ${ctx.actionRef.replace(/\/push@/, '/deploy@')}`,
        '  with:',
        `    group: ${group}`,
        `    rev: ${report.rev}`,
        `    app-name: ${report.appName}`,
        `    bucket: ${report.bucket || 'my-ion-code  # the bucket push uploads to'}`,
        `    state-machine-arn: \${{ vars.ION_DEPLOY_STATE_MACHINE_ARN }}`,
        '```',
        '',
      );
    }
  } else if (report.groups) {
    lines.push(`No deployment groups exist for \`${report.appName}\` yet; create one to deploy (see docs/infra.md).`, '');
  }
  return lines.join('\n');
}

/** Groups whose diff is shown in full; the others get one line each. */
const GROUPS_IN_FULL = 3;

/** What this revision changes on each group compared: a table for the first few, a line for the rest. */
function groupDiffSection(report: PushReport): string[] {
  if (report.groupDiffs.length === 0) return [];
  const lines = ['### What this revision changes', ''];
  report.groupDiffs.forEach((d, i) => {
    const group = code(d.group);
    if (d.state === 'none') lines.push(`- ${group}: no successful deployment yet, so everything is new there.`, '');
    else if (d.state === 'unreadable') lines.push(`- ${group}: cannot tell what it runs (${escapeCell(d.reason)}).`, '');
    else if (i >= GROUPS_IN_FULL || d.diff.same) {
      lines.push(
        `- ${group} runs ${code(d.rev)}: ${escapeCell(d.diff.same ? 'no change in libraries, project paths or lambdas' : diffOneLine(d.diff))}`,
        '',
      );
    } else {
      lines.push(`${group} runs ${code(d.rev)} (deployment ${code(d.deploymentId)}):`, '', revisionDiffTable(d.diff), '');
    }
  });
  const shortened = report.groupDiffs.slice(GROUPS_IN_FULL).filter((d) => d.state === 'running' && !d.diff.same).length;
  if (shortened > 0)
    lines.push(`${shortened} more group${shortened === 1 ? '' : 's'} shown in one line only; the log has the same lines.`, '');
  if (report.groupDiffsSkipped > 0) lines.push(`${report.groupDiffsSkipped} more groups not compared (push compares the first 20).`, '');
  return lines;
}

/** Conflict groups shown at most; the log has every one. */
const MAX_CONFLICT_ROWS = 50;
/** Names listed per row. */
const NAMES_PER_ROW = 5;

/** Every set of entries that provide the same namespaces or classes, and which one wins. */
function conflictSection(groups: readonly ConflictGroup[]): string[] {
  if (groups.length === 0) return [];
  const lines = [
    '### Dependency conflicts',
    '',
    `${conflictCount(groups) === 1 ? '1 namespace or class is' : `${conflictCount(groups)} namespaces and classes are`} provided by more than one classpath entry; the first entry on the classpath wins (the output \`dependency-conflicts\` lists them as JSON).`,
    '',
    '| Entries (classpath order) | Wins | Namespaces | Classes |',
    '|---|---|---|---|',
  ];
  const names = (list: readonly string[]) =>
    list.length === 0
      ? '—'
      : `${list.length}: ${list.slice(0, NAMES_PER_ROW).map(escapeCell).join(', ')}${list.length > NAMES_PER_ROW ? ', …' : ''}`;
  for (const g of groups.slice(0, MAX_CONFLICT_ROWS)) {
    lines.push(`| ${g.entries.map(escapeCell).join('<br>')} | ${escapeCell(g.winner)} | ${names(g.namespaces)} | ${names(g.classes)} |`);
  }
  if (groups.length > MAX_CONFLICT_ROWS) lines.push('', `…and ${groups.length - MAX_CONFLICT_ROWS} more sets of entries, in the log.`);
  lines.push('');
  return lines;
}
