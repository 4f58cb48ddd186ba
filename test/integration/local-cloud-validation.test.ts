/**
 * The local Lambda is reached only through the state machine's `aws-sdk:lambda:*` Tasks (as in
 * AWS, where the deploy's state machine, not the workflow, calls Lambda), so its requests are checked
 * where Step Functions checks them: the Task's Parameters against the operation's input in the
 * Lambda model, in the local cloud's own wiring (local-cloud/index.ts → asl-interpreter.ts). Here a
 * state machine with one planted mistake of each kind runs on the local cloud, started with a real
 * SDK client; and the answers the local Lambda and CodeDeploy give the Tasks fit the output shapes.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { LOCAL_CREDENTIALS, type LocalCloud, type LocalStack, startLocalCloud } from '../../local-cloud/index.js';
import { sdkService, shapeValidator } from '../../local-cloud/sdk-models.js';

let cloud: LocalCloud;
let stack: LocalStack;
let client: SFNClient;
let machines = 0;

beforeAll(async () => {
  cloud = await startLocalCloud({ timeScale: 0.01 });
  stack = await cloud.createStack({ appName: 'validation', group: 'checks', bucket: 'ion-validation', instances: 0 });
  client = new SFNClient({ region: 'us-east-1', endpoint: cloud.sfn.url, credentials: LOCAL_CREDENTIALS.workflow, maxAttempts: 1 });
});

afterAll(async () => {
  client?.destroy();
  await cloud?.close();
});

/** Runs Task states one after another (`[resource, Parameters]`) on the local cloud; the execution's end and history. */
async function runTasks(tasks: [string, Record<string, unknown>][]) {
  machines += 1;
  const states = Object.fromEntries(
    tasks.map(([resource, parameters], i) => [
      `Task${i + 1}`,
      {
        Type: 'Task',
        Resource: `arn:aws:states:::aws-sdk:${resource}`,
        Parameters: parameters,
        ResultPath: `$.results.Task${i + 1}`,
        ...(i + 1 < tasks.length ? { Next: `Task${i + 2}` } : { End: true }),
      },
    ]),
  );
  const machine = cloud.sfn.createStateMachine({
    name: `validation-${machines}`,
    definition: JSON.stringify({ StartAt: 'Task1', States: states }),
  });
  const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn, input: '{}' }));
  await cloud.sfn.executions.get(executionArn!)!.done;
  const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
  const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  return { execution, events: events ?? [] };
}

const PROXY = () => ({
  Role: `arn:aws:iam::123456789012:role/ion-${stack.appName}-${stack.group}-proxy`,
  Runtime: 'nodejs22.x',
  Handler: 'index.handler',
  Code: { S3Bucket: stack.bucket, S3Key: `${stack.prefix}/lambda-proxy/index.zip` },
});

describe('a Task parameter AWS would refuse fails the execution on the local cloud, before the local Lambda or CodeDeploy sees it', () => {
  test.each([
    [
      'a member the model lacks',
      'lambda:getFunction',
      { FunctionName: 'checks_a', Qualifer: '1' },
      'The field "Qualifer" is not supported by Step Functions',
    ],
    [
      'a missing required member',
      'lambda:createFunction',
      { FunctionName: 'checks_b', Role: 'arn:aws:iam::123456789012:role/r' },
      "The field 'Code' is required but was missing",
    ],
    [
      'a member of the wrong type',
      'lambda:putFunctionConcurrency',
      { FunctionName: 'checks_c', ReservedConcurrentExecutions: '5' },
      "The value for the field 'ReservedConcurrentExecutions' must be a number",
    ],
    [
      'a nested member in the API’s casing',
      'codedeploy:createDeployment',
      { ApplicationName: 'validation', Revision: { revisionType: 'S3' } },
      'The field "revisionType" is not supported by Step Functions',
    ],
    ['an action the service does not have', 'lambda:getFunctions', { FunctionName: 'checks_d' }, 'getFunctions is not an action of lambda'],
  ])('%s (%s): States.Runtime, no task scheduled', async (_kind, resource, parameters, reason) => {
    const before = cloud.lambda.functions.size;
    const { execution, events } = await runTasks([[resource, parameters]]);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(execution.cause).toContain('could not be used to start the Task');
    expect(execution.cause).toContain(reason);
    expect(events.map((e) => e.type)).not.toContain('TaskScheduled');
    expect(cloud.lambda.functions.size).toBe(before);
  });

  test('a value outside an enum: the local Lambda is not called, the task fails with Lambda.ValidationException', async () => {
    const { execution, events } = await runTasks([
      ['lambda:createFunction', { FunctionName: 'checks_e', ...PROXY(), Runtime: 'nodejs99.x' }],
    ]);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'Lambda.ValidationException' });
    expect(execution.cause).toContain(
      "Value 'nodejs99.x' at 'Runtime' failed to satisfy constraint: Member must satisfy enum value set: [",
    );
    expect(events.map((e) => e.type)).toContain('TaskFailed');
    expect(cloud.lambda.functions.has('checks_e')).toBe(false);
  });
});

describe('what the local Lambda and CodeDeploy answer the Tasks fits the output shapes', () => {
  test('create, read, update and limit a function; read the application and group', async () => {
    const tasks: [string, Record<string, unknown>][] = [
      ['lambda:createFunction', { FunctionName: 'checks_ok', ...PROXY(), Timeout: 30, MemorySize: 256, Tags: { 'ion:app': 'validation' } }],
      ['lambda:getFunction', { FunctionName: 'checks_ok' }],
      ['lambda:updateFunctionCode', { FunctionName: 'checks_ok', S3Bucket: stack.bucket, S3Key: `${stack.prefix}/lambda-proxy/index.zip` }],
      ['lambda:updateFunctionConfiguration', { FunctionName: 'checks_ok', Environment: { Variables: { ION_APP: 'validation' } } }],
      ['lambda:putFunctionConcurrency', { FunctionName: 'checks_ok', ReservedConcurrentExecutions: 2 }],
      ['lambda:deleteFunctionConcurrency', { FunctionName: 'checks_ok' }],
      ['codedeploy:getApplication', { ApplicationName: stack.appName }],
      ['codedeploy:getDeploymentGroup', { ApplicationName: stack.appName, DeploymentGroupName: stack.group }],
    ];
    const { execution } = await runTasks(tasks);
    expect(execution.status).toBe('SUCCEEDED');
    const results = (JSON.parse(execution.output!) as { results: Record<string, unknown> }).results;
    expect(Object.keys(results)).toHaveLength(tasks.length);
    expect(results.Task2).toMatchObject({ Configuration: { FunctionName: 'checks_ok', Runtime: 'nodejs22.x' } });
    const problems = tasks.flatMap(([resource], i) => {
      const [service, action] = resource.split(':') as [string, string];
      const output = sdkService(service).operation(action.charAt(0).toUpperCase() + action.slice(1))!.output;
      return shapeValidator(
        output,
        'pascal',
      )(results[`Task${i + 1}`])
        .filter((p) => p.kind !== 'missing-required')
        .map((p) => `${resource}: ${JSON.stringify(p)}`);
    });
    expect(problems).toEqual([]);
    expect(cloud.lambda.functions.get('checks_ok')?.ReservedConcurrentExecutions).toBeNull();
    expect(cloud.codedeploy.responseProblems).toEqual([]);
    expect(cloud.sfn.responseProblems).toEqual([]);
  });
});
