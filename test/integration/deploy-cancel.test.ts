/**
 * Cancelling a workflow: the runner signals the main step (SIGINT, then SIGTERM) and then runs the
 * post step, giving it the main step's saved state as STATE_<name> variables. Here the built main
 * entry is killed mid-deploy, and the built post entry (dist/deploy-cleanup/index.js) is run with the
 * state the main step saved. Run `npm run build` first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { HOUR_LONG_VALIDATION, instanceIds, startDeployWorld, STATE_MACHINE_ARN, type DeployWorld } from '../support/deploy-scenarios.js';
import { join } from 'node:path';
import { DIST_DIR, runAction } from '../../local-cloud/run-action.js';

let world: DeployWorld;

beforeAll(async () => {
  world = await startDeployWorld({ scale: 50 });
});

afterAll(async () => {
  await world?.close();
});

beforeEach(() => world.reset());

/** Signals this test process's child running the given dist entry, the way the runner signals a step. */
function signalChild(entry: string, signal: NodeJS.Signals): boolean {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (ppid === process.pid && cmdline.includes(join(DIST_DIR, entry, 'index.js'))) {
        process.kill(Number(pid), signal);
        return true;
      }
    } catch {
      // The process ended while we looked.
    }
  }
  return false;
}

/** What the runner gives the post step: the saved state as STATE_<name>. */
const stateEnv = (saved: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(saved).map(([k, v]) => [`STATE_${k}`, v]));

test('cancelled mid-deploy: the main step says so, the post step stops the execution and its deployment', async () => {
  // Still running when the post step comes, however long the main step takes to end and the post step to start.
  world.scenario = { instances: 2, batchSize: 1, hooks: HOUR_LONG_VALIDATION };
  let signalled = false;
  let seen = '';
  const main = await runAction('deploy', world.inputs(), {
    env: world.env(),
    onStdout: (chunk) => {
      seen += chunk;
      if (!signalled && seen.includes('✔ ApplicationStart')) signalled = signalChild('deploy', 'SIGINT');
    },
  });
  expect(signalled).toBe(true);
  expect(main.exitCode).toBe(130);
  const arn = main.outputs['execution-arn']!;
  expect(main.stdout).toContain(`The workflow was cancelled: the post step stops execution ${arn} (stop-on-cancel).`);
  expect(world.sfn.statusOf(arn)).toBe('RUNNING');

  const saved = world.savedState();
  const deploymentId = world.deploymentIds.at(-1)!;
  expect(saved).toMatchObject({ 'execution-arn': arn, region: 'us-east-1', 'deployment-ids': JSON.stringify([deploymentId]) });

  world.sfn.calls.length = 0;
  const post = await runAction('deploy-cleanup', world.inputs(), { env: { ...world.env(), ...stateEnv(saved) } });
  expect(post.exitCode).toBe(0);
  expect(post.stdout).toContain(`Stopping execution ${arn} and CodeDeploy deployment ${deploymentId}: the workflow run was cancelled`);
  expect(post.stdout).toContain(`Stopped execution ${arn}.`);
  expect(world.sfn.calls.map((c) => c.operation)).toEqual(['DescribeExecution', 'StopExecution']);
  expect(world.sfn.calls[1]!.input).toMatchObject({
    executionArn: arn,
    error: 'IonActions.DeployCancelled',
    cause: 'Stopped by the deploy action: the workflow run was cancelled.',
  });
  expect(world.codedeploy.calls.find((c) => c.operation === 'StopDeployment')!.input).toEqual({ deploymentId, autoRollbackEnabled: true });
  expect(world.sfn.statusOf(arn)).toBe('ABORTED');
});

test("SIGTERM (the runner's second signal) leaves the same state for the post step", async () => {
  world.scenario = { instances: 1 };
  let signalled = false;
  let seen = '';
  const main = await runAction('deploy', world.inputs(), {
    env: world.env(),
    onStdout: (chunk) => {
      seen += chunk;
      if (!signalled && seen.includes(`${instanceIds(1)[0]} ✔`)) signalled = signalChild('deploy', 'SIGTERM');
    },
  });
  expect(signalled).toBe(true);
  expect(main.exitCode).toBe(143);
  expect(world.savedState()['execution-arn']).toBe(main.outputs['execution-arn']);
});

test('post step after a main step that ended by itself: nothing to stop, no AWS call', async () => {
  world.scenario = { instances: 1 };
  const main = await runAction('deploy', world.inputs(), { env: world.env() });
  expect(main.exitCode).toBe(0);
  const saved = world.savedState();
  expect(saved['execution-arn']).toBe('');
  world.sfn.calls.length = 0;
  const post = await runAction('deploy-cleanup', world.inputs(), { env: { ...world.env(), ...stateEnv(saved) } });
  expect(post.exitCode).toBe(0);
  expect(post.stdout).toContain('Nothing to stop: the deploy step ended by itself.');
  expect(world.sfn.calls).toHaveLength(0);
});

test('post step when the execution already ended: checks, does not stop', async () => {
  const done = world.sfn.addExecution({
    stateMachineArn: STATE_MACHINE_ARN,
    name: 'finished-before-cleanup',
    input: {},
    startMs: world.clock.now() - 60_000,
    events: [
      { offsetMs: 0, type: 'ExecutionStarted', details: { input: '{}' } },
      { offsetMs: 30_000, type: 'ExecutionSucceeded', details: { output: '{}' } },
    ],
  });
  const post = await runAction(
    'deploy-cleanup',
    {},
    { env: { ...world.env(), ...stateEnv({ 'execution-arn': done.executionArn, region: 'us-east-1' }) } },
  );
  expect(post.exitCode).toBe(0);
  expect(post.stdout).toContain(`Execution ${done.executionArn} is SUCCEEDED: nothing to stop.`);
  expect(world.sfn.calls.map((c) => c.operation)).toEqual(['DescribeExecution']);
});

test('cancelled with github-deployment: the post step marks the GitHub deployment failed', async () => {
  // Still running when the post step comes (see above).
  world.scenario = { instances: 2, hooks: HOUR_LONG_VALIDATION };
  let signalled = false;
  let seen = '';
  const inputs = world.inputs({ 'github-deployment': 'true', 'github-token': 'ghs_test' });
  const main = await runAction('deploy', inputs, {
    env: world.env(),
    onStdout: (chunk) => {
      seen += chunk;
      if (!signalled && seen.includes('▶ EnsureLambdas')) signalled = signalChild('deploy', 'SIGINT');
    },
  });
  expect(signalled).toBe(true);
  const saved = world.savedState();
  expect(saved['github-deployment-id']).toMatch(/^\d+$/);
  const post = await runAction('deploy-cleanup', inputs, { env: { ...world.env(), ...stateEnv(saved) } });
  expect(post.exitCode).toBe(0);
  const last = world.github.requests.at(-1)!;
  expect(last.path).toBe(`/repos/acme/shop/deployments/${saved['github-deployment-id']}/statuses`);
  expect(last.body).toMatchObject({ state: 'failure', description: 'Cancelled' });
  expect(world.sfn.statusOf(main.outputs['execution-arn']!)).toBe('ABORTED');
});
