/**
 * Following survives the network: the built deploy action talks to the local Step Functions and
 * CodeDeploy servers through a proxy that answers chosen requests with a network fault (truncated or
 * HTML `200`s, resets, stalls, 5xx, throttling; test/support/aws-fault-proxy.ts). Faults start mid-deploy,
 * on both services at once. Each run must end with the right status and show every change exactly
 * once: the same state and instance lines as a run without faults.
 *
 * CI tries one fault of each kind once (FAULT_KINDS: truncated `200`, stall then reset, 503, throttling)
 * and HTML `200`s in the failing deploy; bench/deploy-faults.ts tries all seven faults many times (the
 * figures in docs/guarantees.md). DEPLOY_FAULT_RUNS=<n> repeats each case here n times.
 */
import { FAULT_KINDS, changeLines, deployWithFaults as deployWith } from '../support/deploy-faults.js';
import { runnerCommands } from '../support/runner-commands.js';
import { HOUR_LONG_VALIDATION, startDeployWorld, type DeployWorld } from '../support/deploy-scenarios.js';
import { runAction } from '../../local-cloud/run-action.js';
import type { NetworkFault } from '../support/aws-fault-proxy.js';

const RUNS = Number(process.env.DEPLOY_FAULT_RUNS ?? 1);

let world: DeployWorld;

beforeAll(async () => {
  world = await startDeployWorld({ scale: 50 });
});

afterAll(async () => {
  await world?.close();
});

beforeEach(() => world.reset());

const deployWithFaults = (fault: NetworkFault | undefined, polls: number) => deployWith(world, fault, polls);

let baseline: string[];

test('without faults (the reference run)', async () => {
  world.scenario = { instances: 3, batchSize: 1 };
  const r = await deployWithFaults(undefined, 0);
  expect(r.exitCode).toBe(0);
  baseline = changeLines(r.stdout);
  expect(baseline.filter((l) => / succeeded \(/.test(l))).toHaveLength(3);
});

const cases = FAULT_KINDS.flatMap((fault) => Array.from({ length: RUNS }, (_, run) => [fault, run + 1] as const));

test.each(cases)('%s on both services mid-deploy (run %i): SUCCEEDED, every change shown once, nothing lost', async (fault) => {
  world.scenario = { instances: 3, batchSize: 1 };
  const before = { sfn: world.faults.sfn.faulted, codedeploy: world.faults.codedeploy.faulted };
  const r = await deployWithFaults(fault, 2);
  expect(world.faults.sfn.faulted).toBeGreaterThan(before.sfn);
  expect(world.faults.codedeploy.faulted).toBeGreaterThan(before.codedeploy);
  expect(r.exitCode).toBe(0);
  expect(r.outputs.status).toBe('SUCCEEDED');
  expect(changeLines(r.stdout)).toEqual(baseline);
  expect(r.stdout).toMatch(/AWS (is throttling|did not answer properly) \(/);
  expect(r.stdout).toMatch(/AWS answers again \(after \d+ failed polls?\)/);
  expect(runnerCommands(r.stdout).filter((c) => c.name === 'error' || c.name === 'warning')).toEqual([]);
});

test('a failing deploy under garbled answers still ends FAILED, with its own failure annotation', async () => {
  const diagnostics = {
    errorCode: 'ScriptFailed',
    scriptName: 'hooks/validate-service.sh',
    message: 'exit 1',
    logTail: 'health check failed',
  };
  world.scenario = { instances: 3, batchSize: 1, failure: { instanceIndex: 1, event: 'ValidateService', diagnostics } };
  const r = await deployWithFaults('html', 2);
  expect(r.exitCode).toBe(1);
  expect(r.outputs.status).toBe('FAILED');
  const lines = changeLines(r.stdout);
  expect(lines.filter((l) => l.includes('✖ ValidateService FAILED'))).toHaveLength(1);
  expect(lines.filter((l) => /^ {2}i-\w+ skipped/.test(l))).toHaveLength(1);
  const errors = runnerCommands(r.stdout).filter((c) => c.name === 'error');
  expect(errors.map((c) => c.data)).toEqual([
    expect.stringContaining('ValidateService failed'),
    expect.stringMatching(/^Execution \S+ FAILED: DeploymentFailed/),
  ]);
});

describe('when AWS stops answering for good', () => {
  /**
   * Ten minutes of failed polls are what this test is about, so its world's clock runs 150× real time
   * (4 s real for them, not 12). Every margin below is in scripted time and holds however slow a poll is.
   */
  let fast: DeployWorld;

  beforeAll(async () => {
    fast = await startDeployWorld({ scale: 150 });
  });

  afterAll(async () => {
    await fast?.close();
  });

  test('following gives up after the stated time: status, execution-arn, summary; the post step can still stop it', async () => {
    const world = fast;
    // An hour scripted (ValidateService): still running when following gives up (10 minutes after the faults
    // start) and when the post step comes, even if its start-up takes many seconds real (minutes scripted here).
    world.scenario = { instances: 1, hooks: HOUR_LONG_VALIDATION };
    const r = await deployWith(world, 'status-503', 100_000);
    expect(r.exitCode).toBe(1);
    const arn = r.outputs['execution-arn']!;
    expect(arn).toMatch(/^arn:aws:states:/);
    expect(r.outputs.status).toBe('RUNNING');
    expect(r.stdout).toMatch(/Stopped following \S+: AWS did not answer properly for 1\dm \d\ds \(last: ServiceUnavailable \(HTTP 503\)/);
    const errors = runnerCommands(r.stdout).filter((c) => c.name === 'error');
    expect(errors).toHaveLength(1);
    // 10 minutes of scripted time, plus at most one backoff and one poll's SDK retries (in real time: 150× that here).
    expect(errors[0]!.data).toMatch(
      /^Lost touch with AWS while following execution \S+: every poll failed for 1\dm \d\ds \(last: ServiceUnavailable \(HTTP 503\): .*\)\. It was still running(, in [^.]+)?\. /,
    );
    expect(errors[0]!.data).toContain("This job's post step stops it if it is still running (stop-on-cancel)");
    expect(r.summary).toContain('still running when AWS stopped answering');
    expect(r.summary).toContain('### Following stopped');
    expect(r.summary).toContain('### Timeline');

    // The saved state is left for the post step, which stops the execution once AWS answers again.
    const saved = world.savedState();
    expect(saved['execution-arn']).toBe(arn);
    expect(saved['stop-reason']).toMatch(/lost touch with AWS/);
    world.faults.sfn.clear();
    world.faults.codedeploy.clear();
    const stateEnv = Object.fromEntries(Object.entries(saved).map(([k, v]) => [`STATE_${k}`, v]));
    const post = await runAction('deploy-cleanup', world.inputs(), { env: { ...world.env(), ...stateEnv } });
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toContain(`Stopping execution ${arn}`);
    expect(post.stdout).toContain('the deploy step lost touch with AWS while following it (stop-on-cancel)');
    expect(world.sfn.statusOf(arn)).toBe('ABORTED');
  });
});
