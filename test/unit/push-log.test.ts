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

/** Everything @actions/core writes to stdout while `fn` runs. */
function captureStdout(fn: () => void): string {
  let out = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return out;
}

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
    process.exitCode = 0; // core.setFailed sets it; this test process is not failing.
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
