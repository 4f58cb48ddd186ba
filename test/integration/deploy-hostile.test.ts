/**
 * The log stays the runner's, whatever AWS says: hostile strings (test/support/runner-commands.ts) as
 * state names, execution names, lambda names, instance ids, lifecycle event names, hook diagnostics and
 * log tails, deployment error messages, execution errors and causes, and a saved ARN for the post step.
 * The built actions' stdout is read with a port of the runner's command parser: the only commands in it
 * are the ones deploy means (its groups and its own annotations), and the step's own failure
 * annotation is there.
 */
import { runAction } from '../../local-cloud/run-action.js';
import { APP, GROUP, HOOKS, LAMBDAS, REV, STATE_MACHINE_ARN, startDeployWorld, type DeployWorld } from '../support/deploy-scenarios.js';
import { HOSTILE_STRINGS, runnerCommands } from '../support/runner-commands.js';

let world: DeployWorld;

beforeAll(async () => {
  world = await startDeployWorld({ scale: 50 });
  // The bundle's lambdas are outside text too (they come from the pushed manifest).
  await world.putBundle(APP, REV, [...LAMBDAS, { ...LAMBDAS[1]!, name: '##[add-mask]hello' }]);
});

afterAll(async () => {
  await world?.close();
});

beforeEach(() => world.reset());

const hostile = (i: number): string => HOSTILE_STRINGS[i % HOSTILE_STRINGS.length]!;
/** Every hostile string as a hook name (short hooks, so the deploy stays quick). */
const HOSTILE_HOOKS = HOSTILE_STRINGS.map((name) => ({ name, ms: 400 }));
const HOSTILE_INSTANCES = ['i-0aaaaaaaaaaaaaaa1##[stop-commands]hush', 'i-0bbbbbbbbbbbbbbb2\r::error::forged by CR', '::add-mask::i-0c'];
const STATES = [
  'EnsureLambdas',
  'CreateDeployment',
  'WaitForDeployment',
  'GetDeploymentStatus',
  'DeploymentDone?',
  'Done',
  'DeploymentFailed',
];
const hostileState = (name: string): string => `${name}${hostile(STATES.indexOf(name) + 2)}`;

const names = (stdout: string) => runnerCommands(stdout).map((c) => c.name);

test('a deploy whose every name is hostile: SUCCEEDED, and not one workflow command in the log', async () => {
  // Another execution, with a hostile name, deploying to the group first: it is named while we wait.
  const blocking = world.sfn.addExecution({
    stateMachineArn: STATE_MACHINE_ARN,
    name: '##[stop-commands]hush',
    input: { version: 1, appName: APP, group: GROUP, rev: 'older', bundle: { bucket: 'b', key: 'k' }, lambdas: [], github: null },
    startMs: world.clock.now() - 1000,
    events: [{ offsetMs: 0, type: 'ExecutionStarted', details: { input: '{}' } }],
  });
  world.scenario = { instanceIds: HOSTILE_INSTANCES, batchSize: 3, hooks: HOSTILE_HOOKS, stateName: hostileState };
  let seen = '';
  let ended = false;
  const r = await runAction('deploy', world.inputs(), {
    env: world.env(),
    onStdout: (chunk) => {
      seen += chunk;
      // It ends once the action has said it waits for it (no race with the machine's speed).
      if (ended || !seen.includes('is already deploying to')) return;
      ended = true;
      blocking.events.push({
        offsetMs: world.clock.now() - blocking.startMs + 5000,
        type: 'ExecutionSucceeded',
        details: { output: '{}' },
      });
    },
  });
  expect(r.exitCode).toBe(0);
  expect(r.outputs.status).toBe('SUCCEEDED');
  expect(r.stdout).toContain('is already deploying to');
  expect(r.stdout).toContain('Execution SUCCEEDED');
  expect(runnerCommands(r.stdout)).toEqual([]);
  // Shown, as text: a hook's name and an instance id.
  expect(r.stdout).toContain('res##\u200B[add-mask]hello');
  expect(r.stdout).toContain('i-0bbbbbbbbbbbbbbb2\\r::error::forged by CR');
});

test("a failed hook with hostile diagnostics and a hostile deployment error: only deploy's own groups and annotations, its failure last", async () => {
  const all = HOSTILE_STRINGS.join('\n');
  world.scenario = {
    instanceIds: HOSTILE_INSTANCES,
    batchSize: 1,
    hooks: HOOKS.filter((h) => !h.skipped).map((h) => ({ ...h, ms: 500 })),
    stateName: hostileState,
    errorMessage: HOSTILE_STRINGS.join(' | '),
    failure: {
      instanceIndex: 1,
      event: 'ValidateService',
      diagnostics: { errorCode: hostile(2), scriptName: hostile(5), message: all, logTail: `${all}\n${HOSTILE_STRINGS.join('\r')}` },
    },
  };
  const r = await runAction('deploy', world.inputs(), { env: world.env() });
  expect(r.exitCode).toBe(1);
  expect(r.outputs.status).toBe('FAILED');
  const commands = runnerCommands(r.stdout);
  expect(commands.map((c) => c.name)).toEqual(['group', 'endgroup', 'error', 'group', 'endgroup', 'error']);
  expect(commands[0]!.data).toMatch(/^Diagnostics: /);
  expect(commands[2]!.properties.title).toMatch(/^Deploy failed on /);
  expect(commands[3]!.data).toBe('Cause of FAILED');
  expect(commands[5]!.data).toMatch(/^Execution \S+ FAILED: DeploymentFailed: HEALTH_CONSTRAINTS: /);
  // The log tail is there, line by line, as text.
  expect(r.stdout).toContain('\u200B::stop-commands::hush');
});

test("the state machine fails with a hostile error and cause: the step's own failure annotation appears", async () => {
  world.scenario = { failBeforeDeployment: { error: '##[stop-commands]hush', cause: HOSTILE_STRINGS.join('\r') }, stateName: hostileState };
  const r = await runAction('deploy', world.inputs(), { env: world.env() });
  expect(r.exitCode).toBe(1);
  expect(r.outputs.status).toBe('FAILED');
  const commands = runnerCommands(r.stdout);
  // The cause is not JSON and spans lines: shown whole in its group, then the step's failure.
  expect(commands.map((c) => c.name)).toEqual(['group', 'endgroup', 'error']);
  expect(commands[2]!.data).toMatch(/^Execution \S+ FAILED: ##\u200B\[stop-commands\]hush: /);
});

test('following an execution by a hostile ARN, and the post step given one: nothing but their own failure', async () => {
  const arn = `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:no-such##[stop-commands]hush`;
  const followed = await runAction('deploy', { 'execution-arn': arn }, { env: world.env() });
  expect(followed.exitCode).toBe(1);
  expect(names(followed.stdout)).toEqual(['error']);

  const post = await runAction(
    'deploy-cleanup',
    {},
    { env: { ...world.env(), 'STATE_execution-arn': `${arn}\r::error::forged`, STATE_region: 'us-east-1' } },
  );
  expect(post.exitCode).toBe(0);
  expect(runnerCommands(post.stdout)).toEqual([]);
  expect(post.stdout).toContain('is gone: nothing to stop.');
});
