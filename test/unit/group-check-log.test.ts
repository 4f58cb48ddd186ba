/**
 * The group check in the log and the job summary (src/deploy/group-check-log.ts,
 * group-check-summary.ts, through DeployLog): what it says, and that no outside text in it —
 * revision names, deployment ids, commits, library names and versions, reasons — can become a
 * workflow command or markdown structure.
 */
import { describe, expect, it, test } from '@jest/globals';
import type { DeployEvent } from '../../src/core/deploy/deploy-events.js';
import type { GroupCheck } from '../../src/core/deploy/running-revision.js';
import type { RevisionDiff } from '../../src/core/revision/revision-diff.js';
import type { ActionsIO } from '../../src/deploy/actions-io.js';
import { DeployLog } from '../../src/deploy/deploy-log.js';
import { groupCheckSection, renderSkippedSummary } from '../../src/deploy/group-check-summary.js';
import { inertLines } from '../../src/github/inert-text.js';
import { HOSTILE_STRINGS, runnerCommands } from '../support/runner-commands.js';

const OLD = 'a'.repeat(40);
const NEW = 'b'.repeat(40);
const AT = new Date('2026-01-02T03:04:05.000Z');

function recordingIO() {
  const out: string[] = [];
  const io: ActionsIO = {
    info: (l) => out.push(l),
    untrusted: (t) => out.push(`<untrusted>${t}</untrusted>`),
    error: (m) => out.push(`<error>${m}</error>`),
    warning: (m, title) => out.push(`<warning title="${title}">${m}</warning>`),
    startGroup: (t) => out.push(`<group ${t}>`),
    endGroup: () => out.push('</group>'),
  };
  return { io, out };
}

const diff = (n: number): RevisionDiff => ({
  same: false,
  libraries: {
    added: [{ name: 'cheshire/cheshire', version: '5.11.0' }],
    removed: [{ name: 'org.clojure/data.json', version: '2.4.0' }],
    changed: Array.from({ length: n }, (_, i) => ({ name: `lib${i}/lib${i}`, from: '1.0', to: '2.0' })),
  },
  projectPaths: { added: [], removed: [], changed: ['src'] },
  lambdas: { added: ['echo'], removed: [], changed: [] },
});

const render = (events: DeployEvent[]) => {
  const { io, out } = recordingIO();
  const log = new DeployLog(io, 'us-east-1');
  for (const e of events) log.handle(e);
  return out;
};

test('what the group runs, a re-run, and rev: previous, one line each', () => {
  const running = { rev: NEW, bucket: 'b', key: 'k', deploymentId: 'd-RUN', completedAt: AT, rollback: true };
  expect(
    render([
      { kind: 'previous-resolved', group: 'prod', rev: OLD, deploymentId: 'd-OLD', completedAt: AT, rollback: false, currentRev: NEW },
      { kind: 'group-running', group: 'prod', running },
      { kind: 'group-running', group: 'prod', running: null },
      { kind: 'already-deployed', group: 'prod', rev: NEW, deploymentId: 'd-RUN', redeploy: false },
      { kind: 'already-deployed', group: 'prod', rev: NEW, deploymentId: 'd-RUN', redeploy: true },
    ]),
  ).toEqual([
    `rev: previous → ${OLD}: what prod ran before its current ${NEW} (deployment d-OLD, 2026-01-02T03:04:05.000Z)`,
    `Deployment group prod runs ${NEW} (deployment d-RUN, 2026-01-02T03:04:05.000Z, an automatic rollback)`,
    'Deployment group prod has no successful deployment yet',
    `${NEW} is already what prod runs (deployment d-RUN): nothing to do, status SKIPPED. Set redeploy: true to deploy it again.`,
    `${NEW} is already what prod runs (deployment d-RUN): deploying it again (redeploy: true)`,
  ]);
});

test('the order: newer and unordered are lines; unknown and an allowed older are warnings that say what to do', () => {
  const base = { kind: 'deploy-order', group: 'prod', rev: OLD, runningRev: NEW, allowOlder: false } as const;
  const out = render([
    { ...base, rev: NEW, runningRev: OLD, order: { verdict: 'newer', runningCommit: OLD, requestedCommit: NEW, source: 'git' } },
    { ...base, order: { verdict: 'unordered', why: 'the requested hotfix is unreproducible' } },
    { ...base, order: { verdict: 'unknown', runningCommit: NEW, requestedCommit: OLD, why: 'git: shallow; GitHub: HTTP 403' } },
    { ...base, allowOlder: true, order: { verdict: 'older', runningCommit: NEW, requestedCommit: OLD, source: 'GitHub' } },
  ]);
  expect(out[0]).toBe(`Order: ${NEW} is newer than the running ${OLD}: it contains commit aaaaaaaaaaaa (git)`);
  expect(out[1]).toBe('Order not checked: the requested hotfix is unreproducible');
  expect(out[2]).toMatch(
    /^<warning title="Deploy order not checked">Could not tell whether .*: git: shallow; GitHub: HTTP 403\. Deploying anyway\..*fetch-depth: 0.*contents: read/,
  );
  expect(out[3]).toMatch(
    /^<warning title="Deploying an older revision">Deploying a{40} \(commit aaaaaaaaaaaa\) over the newer b{40} \(commit bbbbbbbbbbbb\) \(GitHub\)/,
  );
});

test('the diff: one short line, at most five library lines, the rest counted', () => {
  const out = render([{ kind: 'revision-diff', runningRev: NEW, diff: diff(6) }]);
  expect(out[0]).toBe(`Changes against the running ${NEW}: 6 libraries changed, 1 added, 1 removed; src changed; lambdas +echo`);
  expect(out.slice(1)).toEqual([
    '  ~ lib0/lib0 1.0 → 2.0',
    '  ~ lib1/lib1 1.0 → 2.0',
    '  ~ lib2/lib2 1.0 → 2.0',
    '  ~ lib3/lib3 1.0 → 2.0',
    '  ~ lib4/lib4 1.0 → 2.0',
    '  …and 3 more library changes in the job summary',
  ]);
  expect(render([{ kind: 'revision-diff-unavailable', runningRev: NEW, why: 'AccessDenied (HTTP 403)' }])).toEqual([
    `<warning title="What this revision changes is unknown">No diff against the running ${NEW}: AccessDenied (HTTP 403). The deploy goes on.</warning>`,
  ]);
});

test('the summary: the order, what ran before, and the table; SKIPPED says nothing started and how to redeploy', () => {
  const check: GroupCheck = {
    running: { rev: NEW, bucket: 'b', key: 'k', deploymentId: 'd-RUN', completedAt: AT, rollback: false },
    skipped: false,
    previous: { rev: NEW, bucket: 'b', key: 'k', deploymentId: 'd-RUN', completedAt: AT, rollback: false },
    order: { verdict: 'older', runningCommit: NEW, requestedCommit: OLD, source: 'git' },
    diff: diff(1),
  };
  const md = groupCheckSection(check, 'prod').join('\n');
  expect(md).toContain('`rev: previous` resolved to `bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb`');
  expect(md).toContain('**Order** (git): ⚠️ **Older** than the running `bbbbbbb`');
  expect(md).toContain('### What changes against `bbbbbbb`');
  expect(md).toContain('| library changed | lib0/lib0 | 1.0 | 2.0 |');
  expect(md).toContain('| lambda added | echo | — | added |');
  expect(groupCheckSection({ running: null, skipped: false }, 'prod')).toEqual([
    '`prod` had no successful deployment before this one: everything is new.',
    '',
  ]);
  expect(renderSkippedSummary({ ...check, skipped: true }, { appName: 'shop', group: 'prod', rev: NEW })).toBe(
    '## ⏭ Deploy `shop` `bbbbbbb` to `prod`: SKIPPED\n\n`prod` already runs `bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb` (deployment `d-RUN` on 2026-01-02T03:04:05Z): nothing was started. Set `redeploy: true` to deploy it again.\n',
  );
});

describe('every group-check event, every hostile string (read with a port of the runner parser)', () => {
  function stdoutIO() {
    let out = '';
    const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
    const write = (line: string) => {
      out += `${line}\n`;
    };
    const io: ActionsIO = {
      info: write,
      untrusted: (t) => inertLines(t).forEach(write),
      error: (m, title) => write(`::error${title ? ` title=${escapeProperty(title)}` : ''}::${escapeData(m)}`),
      warning: (m, title) => write(`::warning${title ? ` title=${escapeProperty(title)}` : ''}::${escapeData(m)}`),
      startGroup: (t) => write(`::group::${t}`),
      endGroup: () => write('::endgroup::'),
    };
    return { io, stdout: () => out };
  }

  it.each(HOSTILE_STRINGS)('%j as every piece of outside text: only the warnings the check means', (s) => {
    const { io, stdout } = stdoutIO();
    const log = new DeployLog(io, 'us-east-1');
    const running = { rev: s, bucket: s, key: s, deploymentId: s, completedAt: AT, rollback: true };
    const hostileDiff: RevisionDiff = {
      same: false,
      libraries: { added: [{ name: s, version: s }], removed: [{ name: s, version: s }], changed: [{ name: s, from: s, to: s }] },
      projectPaths: { added: [s], removed: [s], changed: [s] },
      lambdas: { added: [s], removed: [s], changed: [s] },
    };
    const order = { runningCommit: s, requestedCommit: s, source: s, why: s };
    const base = { kind: 'deploy-order', group: s, rev: s, runningRev: s, allowOlder: false } as const;
    const events: DeployEvent[] = [
      { kind: 'previous-resolved', group: s, rev: s, deploymentId: s, completedAt: AT, rollback: true, currentRev: s },
      { kind: 'group-running', group: s, running },
      { kind: 'already-deployed', group: s, rev: s, deploymentId: s, redeploy: false },
      { ...base, order: { ...order, verdict: 'newer' } },
      { ...base, order: { ...order, verdict: 'same-commit' } },
      { ...base, order: { ...order, verdict: 'diverged' } },
      { ...base, order: { ...order, verdict: 'older' } },
      { ...base, order: { ...order, verdict: 'unordered' } },
      { ...base, order: { ...order, verdict: 'unknown' } },
      { ...base, allowOlder: true, order: { ...order, verdict: 'older' } },
      { kind: 'revision-diff', runningRev: s, diff: hostileDiff },
      { kind: 'revision-diff-unavailable', runningRev: s, why: s },
    ];
    for (const e of events) log.handle(e);
    const commands = runnerCommands(stdout());
    expect(commands.map((c) => c.name)).toEqual(['warning', 'warning', 'warning']);

    // The summary: no outside text opens HTML, a link, a table cell or a heading.
    const check: GroupCheck = { running, skipped: false, previous: running, order: { ...order, verdict: 'unknown' }, diff: hostileDiff };
    for (const md of [groupCheckSection(check, s).join('\n'), renderSkippedSummary(check, { appName: s, group: s, rev: s })]) {
      expect(md).not.toMatch(/<(?!br)/);
      for (const line of md.split('\n').filter((l) => l.startsWith('|'))) expect(line.split(/(?<!\\)\|/).length).toBe(6);
      expect(
        md
          .split('\n')
          .filter((l) => /^#/.test(l))
          .every((l) => /^### What changes|^## ⏭ Deploy/.test(l)),
      ).toBe(true);
    }
  });
});
