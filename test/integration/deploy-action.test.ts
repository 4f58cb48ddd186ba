/**
 * The built deploy action (dist/deploy/index.js, run like the runner runs it) against local servers
 * speaking the Step Functions and CodeDeploy JSON protocols, a real S3 (s3rver) holding the bundle, and
 * a fake GitHub API. Executions replay scripted histories on a clock shared with the action and running
 * 50× real time, so a two-minute deploy takes about three seconds. Run `npm run build` first.
 *
 * Assertions are on what the user sees: log lines, annotations, outputs, job summary, exit code.
 */
import type { ExecutionInput } from '../../src/core/deploy/contract.js';
import { AwsServiceError } from '../../local-cloud/aws-json-server.js';
import {
  APP,
  BUCKET,
  effectiveCommands,
  GROUP,
  HOSTILE_LOG_TAIL,
  HOUR_LONG_VALIDATION,
  instanceIds,
  LAMBDAS,
  REV,
  STATE_MACHINE_ARN,
  startDeployWorld,
  streamLines,
  type DeployWorld,
} from '../support/deploy-scenarios.js';
import { runAction } from '../../local-cloud/run-action.js';

let world: DeployWorld;

beforeAll(async () => {
  world = await startDeployWorld({ scale: 50 });
});

afterAll(async () => {
  await world?.close();
});

beforeEach(() => world.reset());

const count = (lines: string[], pattern: RegExp) => lines.filter((l) => pattern.test(l)).length;
const operations = (calls: { operation: string }[]) => calls.map((c) => c.operation);

test('success on three instances, rolling one at a time: every state and lifecycle event once, in order, and the outputs', async () => {
  world.scenario = { instances: 3, batchSize: 1 };
  const env = world.env();
  const r = await runAction('deploy', world.inputs(), { env });
  expect(r.stderr).not.toMatch(/Error:|TypeError/);
  expect(r.exitCode).toBe(0);

  const executionArn = r.outputs['execution-arn']!;
  expect(executionArn).toBe(`arn:aws:states:us-east-1:123456789012:execution:ion-deploy:${GROUP}-1a2b3c4-${env.GITHUB_RUN_ID}-1`);
  expect(r.outputs.status).toBe('SUCCEEDED');
  expect(r.outputs['deployment-id']).toBe(world.deploymentIds.at(-1));
  expect(JSON.parse(r.outputs.lambdas!)).toEqual([`${GROUP}_get-items`, `${GROUP}_checkout`]);

  // The documented input reached the state machine.
  const input = JSON.parse(world.sfn.executions.get(executionArn)!.input) as ExecutionInput;
  expect(input).toMatchObject({
    version: 1,
    appName: APP,
    group: GROUP,
    rev: REV,
    bundle: { bucket: BUCKET, key: `ions/${APP}/revisions/${REV}.zip` },
    github: {
      repository: 'acme/shop',
      runId: env.GITHUB_RUN_ID,
      runAttempt: '1',
      sha: REV,
      serverUrl: 'https://github.com',
      actor: 'octocat',
    },
  });
  expect(input.lambdas.map((l) => l.functionName)).toEqual([`${GROUP}_get-items`, `${GROUP}_checkout`]);
  expect(input.lambdas[0]).toMatchObject(LAMBDAS[0]!);

  const lines = streamLines(r.stdout);
  for (const state of ['EnsureLambdas', 'CreateDeployment', 'Done']) {
    expect(count(lines, new RegExp(`^▶ ${state.replace('?', '\\?')}$`))).toBe(1);
    expect(count(lines, new RegExp(`^✔ ${state} \\(`))).toBe(1);
  }
  // The state machine's wait loop is shown twice, then only counted.
  expect(count(lines, /^▶ WaitForDeployment/)).toBe(3);
  expect(lines).toContain(
    `  CodeDeploy deployment ${r.outputs['deployment-id']} https://us-east-1.console.aws.amazon.com/codesuite/codedeploy/deployments/${r.outputs['deployment-id']}?region=us-east-1`,
  );

  const [first, second, third] = instanceIds(3);
  for (const id of [first, second, third]) {
    expect(count(lines, new RegExp(`^  ${id} ✔ ValidateService \\(\\d`))).toBe(1);
    expect(count(lines, new RegExp(`^  ${id} succeeded \\(`))).toBe(1);
  }
  // Rolling: each instance finishes before the next one's first hook is reported.
  const firstLine = (id: string) => lines.findIndex((l) => l.startsWith(`  ${id} `));
  const doneLine = (id: string) => lines.indexOf(lines.find((l) => l.startsWith(`  ${id} succeeded`))!);
  expect(doneLine(first!)).toBeLessThan(firstLine(second!));
  expect(doneLine(second!)).toBeLessThan(firstLine(third!));
  // Each change once: no line about an instance repeats.
  const instanceLines = lines.filter((l) => /^ {2}i-/.test(l));
  expect(new Set(instanceLines).size).toBe(instanceLines.length);
  expect(lines.at(-1)).toMatch(/^Execution SUCCEEDED after 2m \d\ds$/);
  expect(lines).toContain(`  ${r.outputs['deployment-id']} Succeeded: 3/3 succeeded`);

  expect(effectiveCommands(r.stdout).filter((c) => c.startsWith('::error') || c.startsWith('::warning'))).toEqual([]);

  // Summary: outcome, links, timeline, instances × lifecycle events, lambdas.
  expect(r.summary).toContain(`## ✅ Deploy \`${APP}\` \`1a2b3c4\` to \`${GROUP}\`: SUCCEEDED`);
  expect(r.summary).toContain('https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/');
  expect(r.summary).toMatch(/\| WaitForDeployment \| \+00:03 \| 2m \d\ds \| 1\d \| ✅ succeeded \|/);
  expect(r.summary).toContain(
    '| Instance | Status | ApplicationStop | DownloadBundle | BeforeInstall | Install | AfterInstall | ApplicationStart | ValidateService | Took |',
  );
  expect(r.summary).toMatch(new RegExp(`\\| ${first} \\| ✅ Succeeded \\| ✅ 1\\.5s \\|`));
  expect(r.summary).toContain(
    'Skipped on every instance: BeforeBlockTraffic, BlockTraffic, AfterBlockTraffic, BeforeAllowTraffic, AllowTraffic, AfterAllowTraffic.',
  );
  expect(r.summary).toContain(`- \`${GROUP}_checkout\``);

  // History is read incrementally: newest first, stopping at what was already seen.
  const history = world.sfn.calls.filter((c) => c.operation === 'GetExecutionHistory');
  expect(history.every((c) => c.input.reverseOrder === true)).toBe(true);
  // The main step ended by itself: nothing left for the post step.
  expect(world.savedState()['execution-arn']).toBe('');
});

test('a ValidateService failure: diagnostics in a log group, the log tail printed inert, an annotation naming instance, event and message', async () => {
  world.scenario = {
    instances: 3,
    batchSize: 1,
    failure: {
      instanceIndex: 1,
      event: 'ValidateService',
      diagnostics: {
        errorCode: 'ScriptFailed',
        scriptName: 'hooks/validate-service.sh',
        message: 'Script at specified location: hooks/validate-service.sh run as user root failed with exit code 1',
        logTail: `${HOSTILE_LOG_TAIL}\n::set-output name=status::HIJACKED\n::error::this annotation must not exist\n::add-mask::1a2b3c4`,
      },
    },
  };
  const r = await runAction('deploy', world.inputs(), { env: world.env() });
  expect(r.exitCode).toBe(1);
  expect(r.outputs.status).toBe('FAILED');
  expect(r.outputs['deployment-id']).toBe(world.deploymentIds.at(-1));
  expect(r.outputs.lambdas).toBe('[]');

  const [first, failing, skipped] = instanceIds(3);
  const lines = streamLines(r.stdout);
  expect(count(lines, new RegExp(`^  ${first} succeeded`))).toBe(1);
  expect(lines).toContainEqual(
    expect.stringMatching(new RegExp(`^  ${failing} ✖ ValidateService FAILED \\(\\d+\\.\\ds\\): ScriptFailed$`)),
  );
  expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  ${failing} FAILED`)));
  expect(lines).toContain(`  ${skipped} skipped`);
  expect(lines).toContainEqual(
    expect.stringMatching(/^ {2}d-\w+ Failed: 1\/3 succeeded, 1 failed, 1 skipped: HEALTH_CONSTRAINTS The overall deployment failed/),
  );

  // The diagnostics group shows the log tail as it was, each line inert (a zero-width space before a leading `::`).
  const out = r.stdout;
  const group = out.slice(out.indexOf(`::group::Diagnostics: ${failing} ValidateService (ScriptFailed)`), out.indexOf('::endgroup::'));
  expect(group).toContain('script:     hooks/validate-service.sh');
  expect(group).toContain('\n\u200B::set-output name=status::HIJACKED\n');
  expect(group).toContain('[stdout]::set-output name=status::HIJACKED\n');

  // What the runner would act on: our annotations and failure, none of the log tail's commands.
  const commands = effectiveCommands(out);
  expect(commands.some((c) => c.includes('HIJACKED') && !c.startsWith('::error title='))).toBe(false);
  expect(commands.filter((c) => c.startsWith('::add-mask'))).toEqual([]);
  const errors = commands.filter((c) => c.startsWith('::error'));
  expect(errors).toHaveLength(2);
  expect(errors[0]).toMatch(
    new RegExp(
      `^::error title=Deploy failed on ${failing}%3A ValidateService::${failing} ValidateService failed in hooks/validate-service.sh: Script at specified location: hooks/validate-service.sh run as user root failed with exit code 1%0A%0ALog tail:%0A`,
    ),
  );
  expect(errors[0]).toContain('health check failed: connection refused');
  expect(errors[1]).toMatch(
    /^::error::Execution shop-compute-prod-1a2b3c4-\d+-1 FAILED: DeploymentFailed: HEALTH_CONSTRAINTS: The overall deployment failed/,
  );

  expect(r.summary).toContain('## ❌ Deploy');
  expect(r.summary).toContain(
    `**${failing} ValidateService** (ScriptFailed) in \`hooks/validate-service.sh\`: Script at specified location`,
  );
  expect(r.summary).toContain('```text\n[stdout]Starting ion app on port 8182');
  expect(r.summary).toMatch(new RegExp(`\\| ${skipped} \\| ⏭ Skipped \\|`));
  expect(r.summary).not.toContain('### Lambdas');
});

test('the state machine fails before any deployment: the error and the decoded JSON cause, no deployment', async () => {
  world.scenario = {
    failBeforeDeployment: {
      error: 'AccessDeniedException',
      cause: JSON.stringify({
        errorMessage:
          'User: arn:aws:sts::123456789012:assumed-role/ion-deploy is not authorized to perform: lambda:UpdateFunctionCode on shop-compute-prod_get-items',
        errorType: 'AccessDeniedException',
        stackTrace: ['at ensure (/var/task/index.js:12:9)'],
      }),
    },
  };
  const r = await runAction('deploy', world.inputs(), { env: world.env() });
  expect(r.exitCode).toBe(1);
  expect(r.outputs.status).toBe('FAILED');
  expect(r.outputs['deployment-id']).toBe('');
  const lines = streamLines(r.stdout);
  expect(lines).toContainEqual(
    expect.stringMatching(
      /^⚠ EnsureLambdas: TaskFailed AccessDeniedException: User: .* is not authorized to perform: lambda:UpdateFunctionCode/,
    ),
  );
  expect(lines.some((l) => l.includes('CodeDeploy deployment'))).toBe(false);
  expect(lines.at(-1)).toMatch(/^Execution FAILED after \d+\.\ds: AccessDeniedException: User: /);
  // The whole cause, pretty-printed, in its own group.
  expect(r.stdout).toContain('::group::Cause of FAILED');
  expect(r.stdout).toContain('"stackTrace": [');
  const errors = effectiveCommands(r.stdout).filter((c) => c.startsWith('::error'));
  expect(errors).toEqual([
    expect.stringMatching(
      /^::error::Execution .* FAILED: AccessDeniedException: User: .*lambda:UpdateFunctionCode on shop-compute-prod_get-items$/,
    ),
  ]);
  expect(r.summary).toContain('### Why it failed');
  expect(r.summary).toContain('| EnsureLambdas | +00:00 |');
  expect(operations(world.codedeploy.calls)).not.toContain('GetDeployment');
});

test('throttling bursts and 500s mid-stream: slows down, keeps going, misses nothing', async () => {
  world.scenario = { instances: 3, batchSize: 1 };
  let injected = false;
  let seen = '';
  const r = await runAction('deploy', world.inputs(), {
    env: world.env(),
    onStdout: (chunk) => {
      seen += chunk;
      if (injected || !seen.includes('✔ BeforeInstall')) return;
      injected = true;
      // More than the SDK's own retries (3 attempts), so the action's backoff has to take over.
      world.sfn.injectFault({
        operation: 'GetExecutionHistory',
        count: 4,
        error: new AwsServiceError('ThrottlingException', 'Rate exceeded', 400),
      });
      world.codedeploy.injectFault({
        operation: 'BatchGetDeploymentTargets',
        count: 4,
        error: new AwsServiceError('InternalFailure', 'We encountered an internal error', 500),
      });
      world.codedeploy.injectFault({
        operation: 'GetDeployment',
        count: 4,
        error: new AwsServiceError('ThrottlingException', 'Rate exceeded', 400),
      });
    },
  });
  expect(injected).toBe(true);
  expect(r.exitCode).toBe(0);
  expect(r.outputs.status).toBe('SUCCEEDED');
  expect(r.stdout).toMatch(
    /AWS (is throttling|did not answer properly) \((ThrottlingException|InternalFailure) \(HTTP (400|500)\): [^)]*\); slowing down, next try in \d/,
  );
  expect(r.stdout).toMatch(/AWS answers again \(after \d+ failed polls?\)/);
  const lines = streamLines(r.stdout);
  for (const id of instanceIds(3)) {
    expect(count(lines, new RegExp(`^  ${id} ✔ ValidateService`))).toBe(1);
    expect(count(lines, new RegExp(`^  ${id} succeeded`))).toBe(1);
  }
  expect(count(lines, /^✔ Done/)).toBe(1);
  expect(effectiveCommands(r.stdout).filter((c) => c.startsWith('::error'))).toEqual([]);
});

test('a deploy that outlives timeout-minutes: the step fails and stops the execution and its deployment', async () => {
  // Still running when the step stops it, however late after its deadline a busy machine lets it act.
  world.scenario = { instances: 3, batchSize: 1, hooks: HOUR_LONG_VALIDATION };
  const r = await runAction('deploy', world.inputs({ 'timeout-minutes': '1' }), { env: world.env() });
  expect(r.exitCode).toBe(1);
  expect(r.outputs.status).toBe('ABORTED');
  const arn = r.outputs['execution-arn']!;
  const deploymentId = world.deploymentIds.at(-1)!;
  expect(r.stdout).toContain('Gave up waiting after 1m 00s (timeout-minutes)');
  expect(r.stdout).toContain(
    `Stopping execution ${arn} and CodeDeploy deployment ${deploymentId}: the deploy action's timeout (1m 00s) passed`,
  );
  const stop = world.sfn.calls.find((c) => c.operation === 'StopExecution')!;
  expect(stop.input).toMatchObject({ executionArn: arn, error: 'IonActions.DeployCancelled' });
  expect(world.codedeploy.calls.find((c) => c.operation === 'StopDeployment')!.input).toEqual({ deploymentId, autoRollbackEnabled: true });
  expect(world.sfn.statusOf(arn)).toBe('ABORTED');
  expect(effectiveCommands(r.stdout).filter((c) => c.startsWith('::error'))).toEqual([
    `::error::The deploy did not finish within 1 minutes (timeout-minutes); stopped execution ${arn}.`,
  ]);
  expect(r.summary).toContain('stopped after 1 minutes (timeout)');
});

test('timeout with stop-on-cancel false: fails but leaves the deploy running', async () => {
  world.scenario = { instances: 3, batchSize: 1, hooks: HOUR_LONG_VALIDATION };
  const r = await runAction('deploy', world.inputs({ 'timeout-minutes': '0.5', 'stop-on-cancel': 'false' }), { env: world.env() });
  expect(r.exitCode).toBe(1);
  expect(r.outputs.status).toBe('RUNNING');
  expect(operations(world.sfn.calls)).not.toContain('StopExecution');
  expect(r.stdout).toContain(`is still running (stop-on-cancel is false): follow it with execution-arn`);
  expect(world.savedState()['execution-arn'] ?? '').toBe('');
});

test('another execution deploying to the same group: says so with its ARN and starts after it ends', async () => {
  world.scenario = { instances: 1 };
  const now = world.clock.now();
  const other = (name: string, group: string) =>
    world.sfn.addExecution({
      stateMachineArn: STATE_MACHINE_ARN,
      name,
      input: { version: 1, appName: APP, group, rev: 'older', bundle: { bucket: BUCKET, key: 'k' }, lambdas: [], github: null },
      startMs: now - 5_000,
      events: [{ offsetMs: 0, type: 'ExecutionStarted', details: { input: '{}' } }],
    });
  const blocking = other('someone-elses-deploy', GROUP);
  const unrelated = other('staging-deploy', 'shop-compute-staging');

  // The blocking deploy ends once the action has said it waits for it: no race with the machine's speed.
  let endedAt: number | undefined;
  let seen = '';
  const r = await runAction('deploy', world.inputs(), {
    env: world.env(),
    onStdout: (chunk) => {
      seen += chunk;
      if (endedAt !== undefined || !seen.includes('is already deploying to')) return;
      endedAt = world.clock.now() + 30_000;
      blocking.events.push({ offsetMs: endedAt - blocking.startMs, type: 'ExecutionSucceeded', details: { output: '{}' } });
    },
  });
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toContain(`Execution someone-elses-deploy is already deploying to ${GROUP} (started `);
  expect(r.stdout).toContain(`  ${blocking.executionArn}\n`);
  expect(r.stdout).toMatch(new RegExp(`${blocking.executionArn} ended \\(SUCCEEDED\\) after [\\dhm. ]+s of waiting`));
  expect(r.stdout).not.toContain(unrelated.executionArn);
  // Started only once the other one had ended (scripted time).
  const started = world.sfn.executions.get(r.outputs['execution-arn']!)!;
  expect(started.startMs).toBeGreaterThanOrEqual(endedAt!);
});

test('wait: false returns right after starting, with execution-arn; execution-arn then follows it to the end', async () => {
  world.scenario = { instances: 2 };
  const started = await runAction('deploy', world.inputs({ wait: 'false' }), { env: world.env() });
  expect(started.exitCode).toBe(0);
  expect(started.outputs.status).toBe('RUNNING');
  const arn = started.outputs['execution-arn']!;
  expect(operations(world.sfn.calls)).not.toContain('GetExecutionHistory');
  expect(started.stdout).toContain('Not waiting (wait: false). Follow it with execution-arn: ');
  expect(world.savedState()['execution-arn']).toBe('');

  world.sfn.calls.length = 0;
  const followed = await runAction('deploy', { 'execution-arn': arn }, { env: world.env() });
  expect(followed.exitCode).toBe(0);
  expect(operations(world.sfn.calls)).not.toContain('StartExecution');
  // RUNNING, unless the machine was so slow that the scripted deploy ended before the second step started.
  expect(followed.stdout).toMatch(new RegExp(`Following execution ${arn.split(':').pop()} \\((RUNNING|SUCCEEDED)\\)`));
  expect(followed.outputs).toMatchObject({ 'execution-arn': arn, status: 'SUCCEEDED', 'deployment-id': world.deploymentIds.at(-1) });
  expect(count(streamLines(followed.stdout), /^ {2}i-\w+ succeeded/)).toBe(2);
});

test('execution-arn of an execution that does not exist', async () => {
  const arn = `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:nope`;
  const r = await runAction('deploy', { 'execution-arn': arn }, { env: world.env() });
  expect(r.exitCode).toBe(1);
  expect(effectiveCommands(r.stdout)).toContain(
    `::error::Execution ${arn} does not exist: check \`execution-arn\` (and that the job's AWS region is the execution's).`,
  );
});

test('pre-flight: a revision never pushed, and a group that does not exist (listing those that do); nothing starts', async () => {
  const missing = await runAction('deploy', world.inputs({ rev: 'feature-x-1' }), { env: world.env() });
  expect(missing.exitCode).toBe(1);
  expect(effectiveCommands(missing.stdout)).toContainEqual(
    expect.stringMatching(
      /^::error::Revision feature-x-1 was never pushed for app shop \(no bundle at s3:\/\/ion-code-test\/ions\/shop\/revisions\/feature-x-1\.zip; .*\)\. Run the push action for this commit first/,
    ),
  );
  expect(missing.summary).toContain('## ❌ Deploy not started');

  const group = await runAction('deploy', world.inputs({ group: 'shop-compute-prd' }), { env: world.env() });
  expect(group.exitCode).toBe(1);
  expect(effectiveCommands(group.stdout)).toContain(
    '::error::Deployment group shop-compute-prd does not exist in CodeDeploy application shop; its groups are: shop-compute-staging, shop-compute-prod, shop-query-prod. Set `group` to one of them.',
  );
  expect(operations(world.sfn.calls)).not.toContain('StartExecution');
});

test('bad inputs fail before any AWS call, each saying what to set', async () => {
  const r = await runAction(
    'deploy',
    { group: GROUP, 'execution-arn': 'arn:x', wait: 'maybe', 'state-machine-arn': '' },
    { env: world.env() },
  );
  expect(r.exitCode).toBe(1);
  const errors = effectiveCommands(r.stdout).filter((c) => c.startsWith('::error'));
  // The wording of input problems belongs to src/deploy/inputs.ts; here: both reported, as errors, before any call.
  expect(errors).toContainEqual(expect.stringMatching(/^::error ?::group and execution-arn: set one of them/));
  expect(errors).toContainEqual(expect.stringMatching(/^::error ?::wait: "maybe" is not a boolean/));
  expect(world.sfn.calls).toHaveLength(0);
  expect(world.codedeploy.calls).toHaveLength(0);
});

test('github-deployment: a GitHub deployment for the commit and environment, in_progress then success, with the run log URL', async () => {
  world.scenario = { instances: 1 };
  const env = world.env();
  const r = await runAction('deploy', world.inputs({ 'github-deployment': 'true', 'github-token': 'ghs_test' }), { env });
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toContain('::add-mask::ghs_test');
  const [create, inProgress, success] = world.github.requests;
  expect(create).toMatchObject({ method: 'POST', path: '/repos/acme/shop/deployments', authorization: 'token ghs_test' });
  expect(create!.body).toMatchObject({ ref: REV, environment: GROUP, auto_merge: false, required_contexts: [] });
  const logUrl = `https://github.com/acme/shop/actions/runs/${env.GITHUB_RUN_ID}/attempts/1`;
  expect(inProgress!.body).toMatchObject({ state: 'in_progress', log_url: logUrl });
  expect(success!.body).toMatchObject({ state: 'success', log_url: logUrl });
  expect(world.github.requests).toHaveLength(3);
});
