import type { RevisionDiff } from '../core/revision/revision-diff.js';
import { escapeCell } from './markdown.js';

/** Rows past this are counted, not listed: a summary has 1 MiB per step and a reader has less. */
const MAX_ROWS = 100;

const NONE = '—';

/** Change, name, running now, this revision. */
type Row = [string, string, string, string];
const row = (...cells: Row): Row => cells;

/**
 * What a revision changes, as a markdown table: one row per library, project path and lambda
 * added, removed or changed, with its running and new version. Every cell is escaped (names and
 * versions come from the manifests).
 */
export function revisionDiffTable(diff: RevisionDiff): string {
  if (diff.same) return '_No change in libraries, project paths or lambdas._';
  const { libraries: l, projectPaths: p, lambdas: f } = diff;
  const rows: Row[] = [
    ...l.changed.map(({ name, from, to }) => row('library changed', name, from, from === to ? `${to} (other bytes)` : to)),
    ...l.added.map(({ name, version }) => row('library added', name, NONE, version)),
    ...l.removed.map(({ name, version }) => row('library removed', name, version, NONE)),
    ...p.changed.map((path) => row('project path changed', path, 'old content', 'new content')),
    ...p.added.map((path) => row('project path added', path, NONE, 'added')),
    ...p.removed.map((path) => row('project path removed', path, 'present', NONE)),
    ...f.changed.map((name) => row('lambda changed', name, 'old settings', 'new settings')),
    ...f.added.map((name) => row('lambda added', name, NONE, 'added')),
    ...f.removed.map((name) => row('lambda removed', name, 'present', NONE)),
  ];
  const lines = ['| Change | Name | Running now | This revision |', '|---|---|---|---|'];
  for (const [change, name, from, to] of rows.slice(0, MAX_ROWS)) {
    lines.push(`| ${change} | ${escapeCell(name) || NONE} | ${escapeCell(from) || NONE} | ${escapeCell(to) || NONE} |`);
  }
  if (rows.length > MAX_ROWS) lines.push('', `…and ${rows.length - MAX_ROWS} more changes.`);
  return lines.join('\n');
}
