/**
 * push prints outside text only through its one renderer (src/push/push-log.ts) and
 * reportProblems: fed hostile strings on every path, the runner (a port of its command parser)
 * finds only the commands push meant, and never more than 10 error annotations.
 */
import { jest } from '@jest/globals';
import type { PushEvent } from '../../src/core/push/push-events.js';
import type { PushReport } from '../../src/core/push/push-revision.js';
import { reportProblems } from '../../src/github/annotations.js';
import { PushLog, runnerPushIO, type PushIO } from '../../src/push/push-log.js';
import { HOSTILE_STRINGS, runnerCommands } from '../support/runner-commands.js';

/** Each write the runner IO (src/github/workflow-commands.ts) makes to stdout while `fn` runs. */
function captureWrites(fn: () => void): string[] {
  const writes: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(chunk.toString());
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return writes;
}

/** Everything the runner IO writes to stdout while `fn` runs. */
const captureStdout = (fn: () => void): string => captureWrites(fn).join('');

const eventsCarrying = (h: string): PushEvent[] => [
  { kind: 'phase-started', phase: 'classpath' },
  { kind: 'classpath-resolving', aliases: `:${h}`, projectDir: `/w/${h}` },
  { kind: 'classpath-entry', entryKind: 'project', origin: h },
  { kind: 'classpath-entry', entryKind: 'local', origin: `/x/${h}` },
  { kind: 'phase-ended', phase: 'classpath' },
  { kind: 'ion-config-validated', file: `/w/${h}/datomic/ion-config.edn`, errors: 0 },
  { kind: 'phase-started', phase: 'pack', entries: 2 },
  { kind: 'pack-note', message: h },
  { kind: 'phase-ended', phase: 'pack' },
  { kind: 'bundle-found', bucket: h, key: `ions/${h}/revisions/r.zip`, objects: 2, match: 'identical' },
  { kind: 'bundle-found', bucket: 'b', key: h, objects: 2, match: 'kept' },
  { kind: 'bundle-stored', bucket: 'b', key: `${h}#`, uploaded: true },
  { kind: 'object-index', bucket: h, key: `ions/${h}/revisions/object-index.json`, state: 'found', objects: 3 },
  { kind: 'object-index', bucket: 'b', key: h, state: 'none' },
  { kind: 'object-index', bucket: h, key: h, state: 'ignored', reason: h },
  { kind: 'object-index', bucket: h, key: `${h}#`, state: 'written', objects: 3 },
  { kind: 'revision-registered', appName: h, rev: h },
];

const report = (h: string): PushReport =>
  ({
    rev: h,
    appName: h,
    dryRun: false,
    skipped: [h, `S3 checks: ${h}`],
    warnings: [{ severity: 'warning', message: h, file: `/ws/${h}`, line: 1 }],
  }) as unknown as PushReport;

describe("push output stays the runner's", () => {
  test.each(HOSTILE_STRINGS.map((h) => [h]))('every event, the warnings, the notices and the closing error, carrying %j', (h) => {
    const stdout = captureStdout(() => {
      const log = new PushLog(runnerPushIO);
      for (const e of eventsCarrying(h)) log.handle(e);
      log.finished(report(h));
      log.failed(`${h}\nsecond line ${h}`, [{ severity: 'error', message: `${h}\n${h}`, file: `/ws/${h}.clj`, line: 2, column: 3 }]);
    });
    process.exitCode = 0; // setFailed sets it; this test process is not failing.
    const commands = runnerCommands(stdout).map((c) => c.name);
    expect(commands).toEqual(['group', 'endgroup', 'group', 'endgroup', 'warning', 'notice', 'notice', 'error', 'error']);
  });

  test('the file property keeps the exact path for GitHub (escaped, not altered)', () => {
    const stdout = captureStdout(() => reportProblems([{ severity: 'error', message: 'm', file: '/ws/a,b:c.clj', line: 1 }], '/ws'));
    expect(runnerCommands(stdout)[0]!.properties).toEqual({ file: 'a,b:c.clj', line: '1' });
  });
});

describe('never more than 10 error annotations in a step, counting the closing error', () => {
  test('25 problems: 9 annotated, the rest in the log only (inert), then the closing error is the tenth', () => {
    const problems = Array.from({ length: 25 }, (_, i) => ({
      severity: 'error' as const,
      message: `${HOSTILE_STRINGS[i % HOSTILE_STRINGS.length]} #${i}`,
      file: `/ws/f${i}.clj`,
    }));
    const stdout = captureStdout(() => new PushLog(runnerPushIO).failed('push found 25 problems', problems));
    process.exitCode = 0;
    const commands = runnerCommands(stdout);
    expect(commands.map((c) => c.name)).toEqual(Array(10).fill('error'));
    expect(commands.at(-1)!.data).toBe('push found 25 problems');
    expect(stdout).toContain('16 more errors are in the log above only');
    expect(stdout).toMatch(/^error: \S*f9\.clj: /m);
  });

  test('warnings keep all 10 of their own', () => {
    const io: PushIO = { ...runnerPushIO, fail: () => undefined };
    const stdout = captureStdout(() =>
      io.problems(Array.from({ length: 12 }, (_, i) => ({ severity: 'warning' as const, message: `w${i}` }))),
    );
    expect(runnerCommands(stdout).map((c) => c.name)).toEqual(Array(10).fill('warning'));
  });
});

describe('what the revision changes and dependency conflicts, in the log', () => {
  const diff = (h: string) => ({
    same: false,
    libraries: { added: [{ name: h, version: h }], removed: [], changed: [{ name: `${h}/x`, from: h, to: `${h}2` }] },
    projectPaths: { added: [], removed: [], changed: [h] },
    lambdas: { added: [h], removed: [], changed: [] },
  });
  const lines = (events: PushEvent[]) => {
    const out: string[] = [];
    const io: PushIO = {
      ...runnerPushIO,
      info: (l) => out.push(l),
      startGroup: (t) => out.push(`>> ${t}`),
      endGroup: () => out.push('<<'),
    };
    const log = new PushLog(io);
    for (const e of events) log.handle(e);
    return out;
  };

  test('one short line per group; every conflict in a collapsible group', () => {
    const out = lines([
      {
        kind: 'dependency-conflicts',
        groups: [{ entries: ['a 1', 'b 2'], at: [0, 1], winner: 'a 1', namespaces: ['x.y'], classes: ['x.Z'] }],
      },
      { kind: 'group-diff', diff: { group: 'prod', state: 'running', rev: 'r1', deploymentId: 'd', diff: diff('lib') } },
      { kind: 'group-diff', diff: { group: 'dev', state: 'none' } },
      { kind: 'group-diff', diff: { group: 'qa', state: 'unreadable', reason: 'AccessDenied' } },
      { kind: 'group-diffs-skipped', groups: 4 },
      { kind: 'dependency-conflicts', groups: [] },
    ]);
    expect(out).toEqual([
      '>> Dependency conflicts: 2 namespaces and classes provided by more than one classpath entry',
      'a 1, b 2: a 1 wins (first on the classpath)',
      '  namespace x.y',
      '  class x.Z',
      '<<',
      'Group prod runs r1: 1 library changed, 1 added; lib changed; lambdas +lib',
      'Group dev has no successful deployment yet: everything in this revision is new there.',
      'Group qa: cannot tell what it runs (AccessDenied); no diff.',
      '4 more deployment groups not compared (push compares the first 20).',
      'No dependency conflicts: no namespace or class is provided by more than one classpath entry.',
    ]);
  });

  test.each(HOSTILE_STRINGS.map((h) => [h]))('carrying %j, only the conflicts group is a command', (h) => {
    const stdout = captureStdout(() => {
      const log = new PushLog(runnerPushIO);
      log.handle({
        kind: 'dependency-conflicts',
        groups: [{ entries: [h, `${h}2`], at: [0, 1], winner: h, namespaces: [h], classes: [h] }],
      });
      log.handle({ kind: 'group-diff', diff: { group: h, state: 'running', rev: h, deploymentId: h, diff: diff(h) } });
      log.handle({ kind: 'group-diff', diff: { group: h, state: 'none' } });
      log.handle({ kind: 'group-diff', diff: { group: h, state: 'unreadable', reason: h } });
    });
    expect(runnerCommands(stdout).map((c) => c.name)).toEqual(['group', 'endgroup']);
  });
});

describe('the classpath lines', () => {
  const entries = (hs: string[]): PushEvent[] =>
    hs.map((h, i) => ({ kind: 'classpath-entry', entryKind: i % 2 ? 'maven' : 'project', origin: h }));

  test('go out in one write, the bytes of one write per line, before whatever comes next', () => {
    const writes = captureWrites(() => {
      const log = new PushLog(runnerPushIO);
      for (const e of entries(['src', 'org.clojure/clojure 1.12.0', `resources ${HOSTILE_STRINGS[0]}`])) log.handle(e);
      log.handle({ kind: 'phase-ended', phase: 'classpath' });
    });
    expect(writes).toHaveLength(2);
    const one: string[] = [];
    const io: PushIO = { ...runnerPushIO, info: (l) => one.push(`${l}\n`), endGroup: () => one.push('::endgroup::\n') };
    const log = new PushLog(io);
    for (const e of entries(['src', 'org.clojure/clojure 1.12.0', `resources ${HOSTILE_STRINGS[0]}`])) log.handle(e);
    log.handle({ kind: 'phase-ended', phase: 'classpath' });
    expect(writes.join('')).toBe(one.join(''));
    expect(runnerCommands(writes.join('')).map((c) => c.name)).toEqual(['endgroup']);
  });

  test('a log that ends right after them still prints them (the queued write, or the closing line)', async () => {
    const out: string[] = [];
    const io: PushIO = { ...runnerPushIO, info: (l) => out.push(l), fail: (m) => out.push(`FAIL ${m}`), problems: () => undefined };
    const log = new PushLog(io);
    for (const e of entries(['a', 'b'])) log.handle(e);
    await Promise.resolve();
    expect(out).toEqual(['project a\nmaven   b']);
    for (const e of entries(['c'])) log.handle(e);
    log.failed('stopped');
    expect(out).toEqual(['project a\nmaven   b', 'project c', 'FAIL stopped']);
  });
});
