import type { ActionsIO } from '../../src/deploy/actions-io.js';
import { DeployLog } from '../../src/deploy/deploy-log.js';
import { renderDeploySummary, renderNotStartedSummary } from '../../src/deploy/job-summary.js';
import { escapeCell } from '../../src/github/markdown.js';
import type { DeployResult } from '../../src/core/deploy/deploy-flow.js';
import type { DeployEvent } from '../../src/core/deploy/deploy-events.js';
import { HOSTILE_STRINGS, runnerCommands } from '../support/runner-commands.js';
import { stdoutIO } from '../support/stdout-io.js';

/** Records what the reporter asks of the runner. */
function recordingIO() {
  const out: string[] = [];
  const io: ActionsIO = {
    info: (l) => out.push(l),
    untrusted: (t) => out.push(`<untrusted>${t}</untrusted>`),
    error: (m, title) => out.push(`<error title="${title}">${m}</error>`),
    warning: (m) => out.push(`<warning>${m}</warning>`),
    startGroup: (t) => out.push(`<group ${t}>`),
    endGroup: () => out.push('</group>'),
  };
  return { io, out };
}

const start = new Date('2025-01-01T00:00:00Z');
const at = (s: number) => new Date(start.getTime() + s * 1000);

test('lines are stamped with the time since the execution started; remote text stays on its line', () => {
  const { io, out } = recordingIO();
  const log = new DeployLog(io, 'us-east-1');
  log.handle({
    kind: 'following',
    executionArn: 'arn:aws:states:us-east-1:1:execution:m:n',
    name: 'n',
    status: 'RUNNING',
    startDate: start,
  });
  log.handle({ kind: 'state-entered', state: 'Deploy', visit: 1, at: at(65) });
  log.handle({
    kind: 'state-failure',
    state: 'Deploy',
    eventType: 'TaskFailed',
    at: at(70),
    error: 'Boom',
    cause: 'line one\n::set-output name=x::y',
  });
  expect(out.slice(-2)).toEqual(['[01:05] ▶ Deploy', '[01:10] ⚠ Deploy: TaskFailed Boom: line one ::set-output name=x::y']);
});

test('a failure the state machine handled reads as handled, without the warning sign; outside text stays inert', () => {
  const { io, out } = recordingIO();
  const log = new DeployLog(io, 'us-east-1');
  log.handle({
    kind: 'following',
    executionArn: 'arn:aws:states:us-east-1:1:execution:m:n',
    name: 'n',
    status: 'RUNNING',
    startDate: start,
  });
  const failure = { kind: 'state-failure', state: 'EnsureProxy', eventType: 'TaskFailed', at: at(3), cause: 'c' } as const;
  log.handle({ ...failure, error: 'Lambda.ResourceNotFoundException', handled: { next: 'CreateProxy' } });
  log.handle({ ...failure, error: 'States.Timeout', handled: {} });
  log.handle({ ...failure, error: 'Boom', handled: { next: '::error::x\nnext line' } });
  log.handle({ ...failure, error: 'Boom' });
  expect(out.slice(-4)).toEqual([
    '[00:03] ↪ EnsureProxy: Lambda.ResourceNotFoundException handled (Catch → CreateProxy)',
    '[00:03] ↪ EnsureProxy: States.Timeout handled (retried)',
    expect.stringMatching(/^\[00:03\] ↪ EnsureProxy: Boom handled \(Catch → [^\n]*\)$/),
    '[00:03] ⚠ EnsureProxy: TaskFailed Boom: c',
  ]);
  expect(out.slice(-2)[0]).not.toMatch(/^::/);
});

test('a failed lifecycle event: diagnostics group with the untrusted text, and an annotation while the budget lasts', () => {
  const { io, out } = recordingIO();
  const log = new DeployLog(io, 'us-east-1');
  const diagnostics = { errorCode: 'ScriptFailed', scriptName: 'hooks/v.sh', message: 'exit 1', logTail: 'a\n::error::fake' };
  for (let i = 0; i < 12; i++) {
    log.handle({
      kind: 'lifecycle-event',
      deploymentId: 'd-X',
      targetId: `i-${i}`,
      event: 'ValidateService',
      status: 'Failed',
      at: at(i),
      durationMs: 3000,
      diagnostics,
    });
  }
  expect(out.slice(0, 5)).toEqual([
    'i-0 ✖ ValidateService FAILED (3.0s): ScriptFailed'.replace(/^/, '  '),
    '<group Diagnostics: i-0 ValidateService (ScriptFailed)>',
    '<untrusted>error code: ScriptFailed\nscript:     hooks/v.sh\nmessage:    exit 1\nlog tail:\na\n::error::fake</untrusted>',
    '</group>',
    '<error title="Deploy failed on i-0: ValidateService">i-0 ValidateService failed in hooks/v.sh: exit 1\n\nLog tail:\na\n\u200B::error::fake</error>',
  ]);
  expect(out.filter((l) => l.startsWith('<error'))).toHaveLength(9);
  expect(log.failuresOnlyInLog).toBe(3);
});

test('the loop of a wait state: two visits shown, the third announced, the rest silent', () => {
  const { io, out } = recordingIO();
  const log = new DeployLog(io, undefined);
  for (let visit = 1; visit <= 5; visit++) {
    log.handle({ kind: 'state-entered', state: 'Wait', visit, at: at(visit * 10) });
    log.handle({ kind: 'state-exited', state: 'Wait', visit, at: at(visit * 10 + 10), durationMs: 10_000 });
  }
  expect(out).toEqual([
    '▶ Wait',
    '✔ Wait (10.0s)',
    '▶ Wait',
    '✔ Wait (10.0s)',
    '▶ Wait (visit 3; later visits are counted in the job summary, not shown)',
  ]);
});

test('summary text from AWS cannot break the markdown: cells escaped, log tails fenced longer than any backticks inside', () => {
  expect(escapeCell('a|b <script> `x`\nnext')).toBe('a\\|b &lt;script&gt; \\`x\\` next');
  const result: DeployResult = {
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:n',
    executionName: 'n',
    startDate: start,
    status: 'FAILED',
    timedOut: false,
    stopped: false,
    error: 'States.TaskFailed',
    cause: 'bad | thing',
    lambdas: [],
    deployments: [
      {
        deploymentId: 'd-X',
        snapshot: undefined,
        targets: new Map([
          [
            'i-1',
            {
              targetId: 'i-1',
              status: 'Failed',
              events: [
                {
                  name: 'ValidateService',
                  status: 'Failed',
                  startTime: at(1),
                  endTime: at(4),
                  diagnostics: { errorCode: 'ScriptFailed', message: 'm', logTail: 'x\n```\n# injected heading' },
                },
              ],
            },
          ],
        ]),
      } as never,
    ],
  };
  const md = renderDeploySummary(result, { region: 'us-east-1', timeoutMinutes: 30 });
  expect(md).toContain('States.TaskFailed: bad \\| thing');
  expect(md).toContain('````text\nx\n```\n# injected heading\n````');
  expect(md).toContain('| i-1 | ❌ Failed | ❌ 3.0s | 3.0s |');
});

describe('every event, every hostile string (read with a port of the runner parser)', () => {
  it.each(HOSTILE_STRINGS)("%j as every piece of outside text: only deploy's own groups and annotations", (s) => {
    const { io, stdout } = stdoutIO();
    const log = new DeployLog(io, 'us-east-1');
    const d = { errorCode: s, scriptName: s, message: s, logTail: `${s}\n${s}` };
    const overview = { Pending: 0, InProgress: 1, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 };
    const events: DeployEvent[] = [
      { kind: 'bundle-read', bucket: s, key: s, lambdas: [{ functionName: s } as never] },
      { kind: 'objects-verified', bucket: s, objects: 3 },
      { kind: 'revision-registered', appName: s, rev: s },
      { kind: 'group-found', appName: s, group: s },
      { kind: 'group-busy', executionArn: s, name: s, startDate: start, group: s },
      { kind: 'group-still-busy', executionArn: s, waitedMs: 1 },
      { kind: 'group-free', executionArn: s, status: s as never, waitedMs: 1 },
      { kind: 'following', executionArn: `arn:aws:states:us-east-1:1:execution:m:${s}`, name: s, status: s as never, startDate: start },
      { kind: 'state-entered', state: s, visit: 1, at: at(1) },
      { kind: 'state-entered', state: s, visit: 3, at: at(1) },
      { kind: 'state-failure', state: s, eventType: s, at: at(2), error: s, cause: s },
      { kind: 'state-failure', state: s, eventType: s, at: at(2), error: s, cause: s, handled: { next: s } },
      { kind: 'deployment-found', state: s, deploymentId: s, at: at(3) },
      { kind: 'deployment-progress', deploymentId: s, status: s as never, overview, at: at(3) },
      { kind: 'lifecycle-event', deploymentId: s, targetId: s, event: s, status: 'InProgress', at: at(4) },
      { kind: 'lifecycle-event', deploymentId: s, targetId: s, event: s, status: 'Failed', at: at(5), durationMs: 1, diagnostics: d },
      { kind: 'target-finished', deploymentId: s, targetId: s, status: s as never, at: at(6) },
      { kind: 'heartbeat', at: at(7), quietMs: 60_000 },
      { kind: 'deployment-finished', deploymentId: s, status: 'Failed', overview, at: at(8), errorInformation: { code: s, message: s } },
      { kind: 'transient-error', error: s, throttled: false, retryInMs: 5000, streak: 1 },
      { kind: 'stopped-following', executionArn: s, reason: 'unreachable', error: s, failingForMs: 600_000 },
      { kind: 'stopping', executionArn: s, deploymentIds: [s], reason: s },
      { kind: 'stop-failed', what: s, error: s },
      { kind: 'execution-finished', status: 'FAILED', at: at(9), error: s, cause: `${s}\n${s}` },
    ];
    for (const e of events) log.handle(e);
    const commands = runnerCommands(stdout());
    expect(commands.map((c) => c.name)).toEqual(['group', 'endgroup', 'error', 'warning', 'group', 'endgroup']);
    expect(commands[2]!.data).toMatch(/ failed in .*: /);
    expect(commands[3]!.data).toMatch(/^Could not stop /);
  });
});

test('summary paragraphs from outside text cannot become headings or lists; a stopped follow says so above what was seen', () => {
  expect(renderNotStartedSummary('# Not a heading\n- nor a list')).toBe('## ❌ Deploy not started\n\n\\# Not a heading - nor a list\n');
  const md = renderDeploySummary(
    {
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:n',
      executionName: 'n',
      startDate: start,
      status: 'RUNNING',
      timedOut: false,
      stopped: false,
      stoppedFollowing: { reason: 'unreachable', error: '- ServiceUnavailable <b>', failingForMs: 600_000 },
      lambdas: [],
      deployments: [],
    },
    { region: 'us-east-1', timeoutMinutes: 30 },
  );
  expect(md).toMatch(/^## ❌ Deploy `n`: still running when AWS stopped answering/);
  expect(md).toContain(
    '### Following stopped\n\nThe execution was still running when following stopped: AWS did not answer properly for too long (\\- ServiceUnavailable &lt;b&gt;).',
  );
});
