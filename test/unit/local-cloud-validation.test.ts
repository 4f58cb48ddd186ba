/**
 * The local cloud refuses what real AWS refuses: every request to the local CodeDeploy and Step
 * Functions (local-cloud/aws-json-server.ts) and every `aws-sdk:*` Task parameter of a state machine
 * (local-cloud/asl-interpreter.ts: the local Lambda and CodeDeploy behind it) is checked against the
 * operation's input in the SDK's model (local-cloud/sdk-models.ts) before a fake sees it.
 *
 * One planted mistake of each kind per service: an operation the model lacks, a missing required
 * member, a value outside an enum, a member of the wrong JSON type, a member the model lacks (top
 * level and nested). Requests the SDK can build go through a real SDK client; the rest (the SDK never
 * sends an unknown member or a wrong type) are the SDK's own signed request with the body, or the
 * X-Amz-Target header, replaced just before signing.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CodeDeployClient,
  CreateDeploymentCommand,
  GetApplicationCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { execute, type Json, type Obj, type TaskCall } from '../../local-cloud/asl-interpreter.js';
import { startAwsJsonServer } from '../../local-cloud/aws-json-server.js';
import type { LocalCodeDeploy } from '../../local-cloud/codedeploy.js';
import { endedDeployment, startApiOnlyCodeDeploy } from '../support/local-codedeploy-fixture.js';
import { sdkService, shapeValidator } from '../../local-cloud/sdk-models.js';
import { type LocalStepFunctions, startLocalStepFunctions } from '../../local-cloud/step-functions.js';

const CREDENTIALS = { accessKeyId: 'AKIDVALIDATION', secretAccessKey: 'validation-secret' };
const DEPLOYMENT_ID = 'd-VALID0001';

interface Refusal {
  name: string;
  message: string;
  status?: number;
}

/** The error a request was answered with (fails the test when it succeeded). */
async function refusal(request: Promise<unknown>): Promise<Refusal> {
  try {
    await request;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('the request was accepted');
}

type AnyCommand = { middlewareStack: { add(mw: unknown, options: object): void } };

/**
 * Sends `command` through `client`, but with `body` as its JSON (and `target` as X-Amz-Target):
 * replaced in the build step, so the SDK still sets the length, signs the request and parses the answer.
 */
function sendRaw(client: { send(c: never): Promise<unknown> }, command: AnyCommand, body: unknown, target?: string): Promise<unknown> {
  command.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>) => async (args: { request: { body: unknown; headers: Record<string, string> } }) => {
      args.request.body = JSON.stringify(body);
      if (target) args.request.headers['x-amz-target'] = target;
      return next(args);
    },
    { step: 'build', priority: 'high', name: 'plantRequest' },
  );
  return client.send(command as never);
}

describe('the local CodeDeploy refuses what CodeDeploy refuses', () => {
  let cd: LocalCodeDeploy;
  let close: () => Promise<void>;
  let client: CodeDeployClient;
  beforeAll(async () => {
    ({ cd, close } = await startApiOnlyCodeDeploy('validation'));
    cd.createDeploymentGroup('my-app', 'prod', { instances: 0 });
    cd.deployments.set(DEPLOYMENT_ID, endedDeployment(DEPLOYMENT_ID, 'prod'));
    client = new CodeDeployClient({ region: 'us-east-1', endpoint: cd.url, credentials: CREDENTIALS, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await close();
  });

  test('an operation CodeDeploy does not have: UnknownOperationException', async () => {
    const r = await refusal(
      sendRaw(client, new GetDeploymentCommand({ deploymentId: DEPLOYMENT_ID }), {}, 'CodeDeploy_20141006.GetDeploymnet'),
    );
    expect(r).toMatchObject({ name: 'UnknownOperationException', status: 400 });
    expect(r.message).toContain('GetDeploymnet is not an operation of CodeDeploy_20141006');
  });

  test('an operation CodeDeploy has that the local one does not implement: UnknownOperationException saying so', async () => {
    const missing = [...sdkService('codedeploy').operations.keys()].find((op) => !Object.hasOwn(cd.handlers, op))!;
    const r = await refusal(
      sendRaw(client, new GetDeploymentCommand({ deploymentId: DEPLOYMENT_ID }), {}, `CodeDeploy_20141006.${missing}`),
    );
    expect(r).toMatchObject({ name: 'UnknownOperationException', status: 400 });
    expect(r.message).toContain('does not implement');
  });

  test('a missing required member (real SDK client): ValidationException naming it', async () => {
    const r = await refusal(client.send(new GetDeploymentCommand({} as never)));
    expect(r).toEqual({
      name: 'ValidationException',
      status: 400,
      message: "1 validation error detected: Value null at 'deploymentId' failed to satisfy constraint: Member must not be null",
    });
  });

  test('values outside the model’s enums, nested too (real SDK client): every one in one ValidationException', async () => {
    const r = await refusal(
      client.send(
        new CreateDeploymentCommand({
          applicationName: 'my-app',
          deploymentGroupName: 'prod',
          revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'k', bundleType: 'rar' as never } },
          fileExistsBehavior: 'CLOBBER' as never,
        }),
      ),
    );
    expect(r.name).toBe('ValidationException');
    expect(r.message).toMatch(/^2 validation errors detected: /);
    expect(r.message).toContain(
      "Value 'rar' at 'revision.s3Location.bundleType' failed to satisfy constraint: Member must satisfy enum value set: [JSON, tar, tgz, YAML, zip]",
    );
    expect(r.message).toContain("Value 'CLOBBER' at 'fileExistsBehavior'");
    expect(cd.deployments.size).toBe(1);
  });

  test('a member the model lacks, top level or nested: ValidationException naming its path', async () => {
    const top = await refusal(
      sendRaw(client, new GetDeploymentCommand({ deploymentId: DEPLOYMENT_ID }), { deploymentId: DEPLOYMENT_ID, deploymentID: 'x' }),
    );
    expect(top.name).toBe('ValidationException');
    expect(top.message).toContain("Member 'deploymentID' is not a member of GetDeploymentInput");
    const nested = await refusal(
      sendRaw(client, new CreateDeploymentCommand({ applicationName: 'my-app' }), {
        applicationName: 'my-app',
        deploymentGroupName: 'prod',
        revision: { revisionType: 'S3', s3Location: { Bucket: 'b', key: 'k', bundleType: 'zip' } },
      }),
    );
    expect(nested.name).toBe('ValidationException');
    expect(nested.message).toContain("Member 'revision.s3Location.Bucket' is not a member of S3Location");
    expect(cd.deployments.size).toBe(1);
  });

  test('a member of the wrong JSON type: SerializationException naming its path', async () => {
    const cases: [unknown, string][] = [
      [{ applicationName: 'my-app', description: 42 }, "NUMBER_VALUE cannot be converted to String at 'description'"],
      [{ applicationName: 'my-app', revision: ['S3'] }, "Start of list found where not expected at 'revision'"],
      [
        { applicationName: 'my-app', ignoreApplicationStopFailures: 'yes' },
        "STRING_VALUE cannot be converted to Boolean at 'ignoreApplicationStopFailures'",
      ],
      [
        { applicationName: 'my-app', targetInstances: { tagFilters: { Key: 'k' } } },
        "Start of structure or map found where not expected at 'targetInstances.tagFilters'",
      ],
    ];
    for (const [body, message] of cases) {
      const r = await refusal(sendRaw(client, new CreateDeploymentCommand({ applicationName: 'my-app' }), body));
      expect(r).toMatchObject({ name: 'SerializationException', status: 400 });
      expect(r.message).toContain(message);
    }
  });

  test('refused requests never reach the fake', async () => {
    const before = cd.calls.length;
    await refusal(client.send(new GetDeploymentCommand({} as never)));
    await refusal(sendRaw(client, new GetDeploymentCommand({ deploymentId: DEPLOYMENT_ID }), { deploymentId: 7 }));
    expect(cd.calls.length).toBe(before);
  });

  test('every operation it answers is checked against the model (no hand list): a stray member is refused by each', async () => {
    const operations = Object.keys(cd.handlers);
    expect(operations.length).toBeGreaterThan(5);
    for (const op of operations) {
      const r = await refusal(
        sendRaw(client, new GetApplicationCommand({ applicationName: 'my-app' }), { strayMember: 1 }, `CodeDeploy_20141006.${op}`),
      );
      expect([op, r.name, r.message]).toEqual([
        op,
        'ValidationException',
        expect.stringContaining("Member 'strayMember' is not a member of"),
      ]);
    }
  });

  test('requests AWS accepts are answered, and the answers fit the output shapes', async () => {
    await client.send(new GetApplicationCommand({ applicationName: 'my-app' }));
    await client.send(new GetDeploymentGroupCommand({ applicationName: 'my-app', deploymentGroupName: 'prod' }));
    const d = await client.send(new GetDeploymentCommand({ deploymentId: DEPLOYMENT_ID }));
    expect(d.deploymentInfo?.status).toBe('Succeeded');
    await client.send(new ListDeploymentTargetsCommand({ deploymentId: DEPLOYMENT_ID }));
    expect(cd.responseProblems).toEqual([]);
  });
});

describe('the local Step Functions refuses what Step Functions refuses', () => {
  let sfn: LocalStepFunctions;
  let client: SFNClient;
  let stateMachineArn: string;
  beforeAll(async () => {
    sfn = await startLocalStepFunctions({ integrations: async () => ({}), timeScale: 0.01 });
    stateMachineArn = sfn.createStateMachine({
      name: 'validation',
      definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } }),
    }).stateMachineArn;
    client = new SFNClient({ region: 'us-east-1', endpoint: sfn.url, credentials: CREDENTIALS, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await sfn.close();
  });

  test('an operation Step Functions does not have: UnknownOperationException', async () => {
    const r = await refusal(
      sendRaw(client, new StartExecutionCommand({ stateMachineArn }), { stateMachineArn }, 'AWSStepFunctions.StartExecutions'),
    );
    expect(r).toMatchObject({ name: 'UnknownOperationException', status: 400 });
  });

  test('a missing required member (real SDK client): ValidationException naming it', async () => {
    const r = await refusal(client.send(new StartExecutionCommand({} as never)));
    expect(r.name).toBe('ValidationException');
    expect(r.message).toBe(
      "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null",
    );
  });

  test('a value outside an enum (real SDK client): ValidationException listing the values', async () => {
    const r = await refusal(client.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'DONE' as never })));
    expect(r.name).toBe('ValidationException');
    expect(r.message).toContain("Value 'DONE' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [");
    expect(r.message).toContain('SUCCEEDED');
  });

  test('a member the model lacks: ValidationException naming it; the execution is not started', async () => {
    const r = await refusal(
      sendRaw(client, new StartExecutionCommand({ stateMachineArn }), { stateMachineArn, name: 'typo', Input: '{}' }),
    );
    expect(r.name).toBe('ValidationException');
    expect(r.message).toContain("Member 'Input' is not a member of StartExecutionInput");
    expect([...sfn.executions.values()].map((e) => e.name)).not.toContain('typo');
  });

  test('input as a JSON object instead of a string: SerializationException', async () => {
    const r = await refusal(
      sendRaw(client, new StartExecutionCommand({ stateMachineArn }), { stateMachineArn, name: 'object-input', input: { a: 1 } }),
    );
    expect(r).toMatchObject({ name: 'SerializationException', status: 400 });
    expect(r.message).toContain("Start of structure or map found where not expected at 'input'");
  });

  test('requests AWS accepts are answered, and the answers fit the output shapes', async () => {
    await client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'fine', input: '{"a":1}' }));
    await sfn.executions.get(executionArn!)!.done;
    expect((await client.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('SUCCEEDED');
    await client.send(new GetExecutionHistoryCommand({ executionArn }));
    await client.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED' }));
    expect(sfn.responseProblems).toEqual([]);
  });
});

describe('answers are checked against the output shape', () => {
  test('a fake answering a member the model lacks, or a status AWS never sends, is reported', async () => {
    const server = await startAwsJsonServer({
      targetPrefix: 'CodeDeploy_20141006',
      protocol: '1.1',
      handlers: { GetDeployment: () => ({ deploymentInfo: { deploymentId: 'd-1', status: 'Done', statusText: 'finished' } }) },
    });
    const client = new CodeDeployClient({ region: 'us-east-1', endpoint: server.url, credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      await client.send(new GetDeploymentCommand({ deploymentId: 'd-1' }));
      expect(server.model.id).toBe('codedeploy');
      expect(server.responseProblems).toEqual([
        expect.stringContaining("GetDeployment: Value 'Done' at 'deploymentInfo.status' failed to satisfy constraint"),
        'GetDeployment: deploymentInfo.statusText is not a member of DeploymentInfo',
      ]);
    } finally {
      client.destroy();
      await server.close();
    }
  });
});

describe('aws-sdk Task parameters of a state machine are checked against the model (the local Lambda and CodeDeploy behind them)', () => {
  /** One Task state calling `resource` with `parameters`, optionally with a Catch on States.ALL. */
  const machine = (resource: string, parameters: Obj, catchAll = false): Obj => ({
    StartAt: 'Call',
    States: {
      Call: {
        Type: 'Task',
        Resource: `arn:aws:states:::aws-sdk:${resource}`,
        Parameters: parameters,
        End: true,
        ...(catchAll ? { Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }] } : {}),
      },
      ...(catchAll ? { Caught: { Type: 'Pass', End: true } } : {}),
    },
  });
  const run = async (definition: Obj, input: Json = { name: 'prod_hello' }) => {
    const calls: TaskCall[] = [];
    const result = await execute(definition, input, async (call) => {
      calls.push(call);
      return {};
    });
    return { ...result, calls };
  };

  test.each([
    ['lambda:getFunction', { 'FunctionName.$': '$.name', Qualifer: '1' }, 'The field "Qualifer" is not supported by Step Functions'],
    [
      'lambda:createFunction',
      { 'FunctionName.$': '$.name', Role: 'arn:aws:iam::123456789012:role/r' },
      "The field 'Code' is required but was missing",
    ],
    [
      'lambda:updateFunctionConfiguration',
      { 'FunctionName.$': '$.name', Timeout: '60' },
      "The value for the field 'Timeout' must be a number, not a string",
    ],
    [
      'lambda:updateFunctionConfiguration',
      { 'FunctionName.$': '$.name', Environment: { Variables: { A: 'x' }, variables: {} } },
      'The field "variables" is not supported by Step Functions',
    ],
    ['codedeploy:getDeployment', { DeploymentID: 'd-1' }, 'The field "DeploymentID" is not supported by Step Functions'],
    ['codedeploy:getDeployment', {}, "The field 'DeploymentId' is required but was missing"],
    [
      'codedeploy:createDeployment',
      { ApplicationName: 'a', Revision: { RevisionType: 'S3', S3Location: 'b/k.zip' } },
      "The value for the field 'Revision.S3Location' must be a JSON object, not a string",
    ],
  ])('%s with %j: States.Runtime before the call, which States.ALL does not catch', async (resource, parameters, reason) => {
    const r = await run(machine(resource, parameters as Obj, true));
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.Runtime', calls: [] });
    expect(r.cause).toContain("An error occurred while executing the state 'Call'. The Parameters '");
    expect(r.cause).toContain(reason);
  });

  test('a value outside an enum reaches the service, which refuses it: <Service>.ValidationException, seen by Catch', async () => {
    const parameters = {
      'FunctionName.$': '$.name',
      Role: 'arn:aws:iam::123456789012:role/r',
      Runtime: 'nodejs99.x',
      Code: { S3Bucket: 'b', S3Key: 'k' },
    };
    const failed = await run(machine('lambda:createFunction', parameters));
    expect(failed).toMatchObject({ status: 'FAILED', error: 'Lambda.ValidationException', calls: [] });
    expect(failed.cause).toContain("Value 'nodejs99.x' at 'Runtime' failed to satisfy constraint: Member must satisfy enum value set: [");
    const caught = await run(machine('lambda:createFunction', parameters, true));
    expect(caught.status).toBe('SUCCEEDED');
    expect(caught.exits.map((e) => e.state)).toEqual(['Call', 'Caught']);
  });

  test('parameters that fit the model reach the task handler', async () => {
    const r = await run(machine('codedeploy:getDeployment', { DeploymentId: 'd-1' }));
    expect(r.status).toBe('SUCCEEDED');
    expect(r.calls).toEqual([{ resource: 'arn:aws:states:::aws-sdk:codedeploy:getDeployment', params: { DeploymentId: 'd-1' } }]);
  });
});

describe('the validator is the model’s', () => {
  test('built once per shape: the same function for the same operation', () => {
    const input = sdkService('codedeploy').operation('GetDeployment')!.input;
    expect(shapeValidator(input)).toBe(shapeValidator(sdkService('codedeploy').operation('GetDeployment')!.input));
  });

  test('map keys that the model makes an enum are checked; free-form map keys are data', () => {
    const targets = shapeValidator(sdkService('codedeploy').operation('ListDeploymentTargets')!.input);
    expect(targets({ deploymentId: 'd-1', targetFilters: { TargetStatus: ['Failed'] } })).toEqual([]);
    expect(targets({ deploymentId: 'd-1', targetFilters: { Status: ['Failed'] } })).toEqual([
      expect.objectContaining({ kind: 'not-in-enum', path: 'targetFilters.Status' }),
    ]);
    const tags = shapeValidator(sdkService('lambda').operation('TagResource')!.input, 'pascal');
    expect(tags({ Resource: 'arn', Tags: { 'ion:app': 'my-app', anything: 'goes' } })).toEqual([]);
  });

  test('list items are checked, at paths as AWS words them', () => {
    const create = shapeValidator(sdkService('lambda').operation('CreateFunction')!.input, 'pascal');
    const problems = create({ FunctionName: 'f', Role: 'r', Code: {}, Architectures: ['x86_64', 'arm'], Layers: [1] });
    expect(problems).toEqual([
      expect.objectContaining({ kind: 'not-in-enum', path: 'Architectures.2.member', value: 'arm' }),
      expect.objectContaining({ kind: 'wrong-type', path: 'Layers.1.member', expected: 'string', got: 'number' }),
    ]);
  });
});
