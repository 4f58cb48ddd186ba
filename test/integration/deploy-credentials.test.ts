/**
 * Credentials that expire mid-deploy: the built deploy action warns at start when the wait can outlive
 * the session, and when AWS says the token expired while following it ends with the execution-arn
 * output and how to keep following from a later job (which then follows it to its end).
 */
import { AwsServiceError } from '../../local-cloud/aws-json-server.js';
import { runAction } from '../../local-cloud/run-action.js';
import { startDeployWorld, type DeployWorld } from '../support/deploy-scenarios.js';
import { runnerCommands } from '../support/runner-commands.js';

let world: DeployWorld;

beforeAll(async () => {
  world = await startDeployWorld({ scale: 50 });
});

afterAll(async () => {
  await world?.close();
});

beforeEach(() => world.reset());

const warnings = (stdout: string) => runnerCommands(stdout).filter((c) => c.name === 'warning');

test('a session whose expiry comes before timeout-minutes: a warning at start saying to set role-duration-seconds', async () => {
  world.scenario = { instances: 1 };
  // Real time: the credentials' expiry is a real date, whatever the test clock does.
  const expiration = new Date(Date.now() + 20 * 60_000).toISOString();
  const r = await runAction('deploy', world.inputs({ 'timeout-minutes': '30' }), {
    env: world.env({ AWS_SESSION_TOKEN: 'session', AWS_CREDENTIAL_EXPIRATION: expiration }),
  });
  expect(r.exitCode).toBe(0);
  const [warning] = warnings(r.stdout);
  expect(warning?.properties.title).toBe('AWS credentials may expire mid-deploy');
  expect(warning?.data).toMatch(
    /^The AWS credentials expire in \d+m \d\ds \(.*\), before timeout-minutes \(30m 00s\) could pass: .* set configure-aws-credentials' role-duration-seconds to at least 2100 /,
  );
});

test('a session of unknown length (configure-aws-credentials exports none) and a wait over an hour: a warning; within the hour, none', async () => {
  world.scenario = { instances: 1 };
  const long = await runAction('deploy', world.inputs({ 'timeout-minutes': '90' }), { env: world.env({ AWS_SESSION_TOKEN: 'session' }) });
  expect(long.exitCode).toBe(0);
  expect(warnings(long.stdout).map((w) => w.data)).toEqual([
    expect.stringMatching(
      /^The AWS credentials are a session \(AWS_SESSION_TOKEN\) whose expiry the action cannot see; .*role-duration-seconds to at least 5700 /,
    ),
  ]);

  const short = await runAction('deploy', world.inputs({ 'timeout-minutes': '30' }), { env: world.env({ AWS_SESSION_TOKEN: 'session' }) });
  expect(short.exitCode).toBe(0);
  expect(warnings(short.stdout)).toEqual([]);
  // Long-lived keys: nothing to warn about.
  const keys = await runAction('deploy', world.inputs({ 'timeout-minutes': '600' }), { env: world.env() });
  expect(warnings(keys.stdout)).toEqual([]);
});

test('ExpiredTokenException while following: a clear message, execution-arn, how to follow on; a later job follows it to the end', async () => {
  world.scenario = { instances: 3, batchSize: 1 };
  let injected = false;
  let seen = '';
  const r = await runAction('deploy', world.inputs(), {
    env: world.env({ AWS_SESSION_TOKEN: 'session' }),
    onStdout: (chunk) => {
      seen += chunk;
      if (injected || !seen.includes('✔ BeforeInstall')) return;
      injected = true;
      world.sfn.injectFault({
        operation: 'GetExecutionHistory',
        count: 1,
        error: new AwsServiceError('ExpiredTokenException', 'The security token included in the request is expired', 400),
      });
    },
  });
  expect(injected).toBe(true);
  expect(r.exitCode).toBe(1);
  const arn = r.outputs['execution-arn']!;
  expect(arn).toMatch(/^arn:aws:states:us-east-1:123456789012:execution:ion-deploy:/);
  expect(r.outputs.status).toBe('RUNNING');
  expect(r.stdout).toContain(
    `Stopped following ${arn}: the AWS credentials expired (ExpiredTokenException (HTTP 400): The security token included in the request is expired)`,
  );
  const errors = runnerCommands(r.stdout).filter((c) => c.name === 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]!.data).toMatch(
    /^The AWS credentials expired while following execution \S+ \(ExpiredTokenException \(HTTP 400\): The security token included in the request is expired\); it was still running.*goes on unwatched/,
  );
  expect(errors[0]!.data).toContain(`the deploy action with execution-arn: ${arn} (this step's execution-arn output)`);
  expect(r.summary).toContain('still running when the AWS credentials expired');
  // Expired credentials cannot stop it either, and the message says to follow it later: nothing for the post step.
  expect(world.savedState()['execution-arn']).toBe('');
  expect(world.sfn.statusOf(arn)).toBe('RUNNING');

  const later = await runAction('deploy', { 'execution-arn': arn }, { env: world.env() });
  expect(later.exitCode).toBe(0);
  expect(later.outputs).toMatchObject({ 'execution-arn': arn, status: 'SUCCEEDED' });
});
