/**
 * infra/state-machine.asl.json: valid Amazon States Language (asl-validator), reads only what
 * ExecutionInput (src/core/deploy/contract.ts) carries, and, run by a small JSONPath interpreter
 * (local-cloud/asl-interpreter.ts, shared with the local Step Functions) against stubbed AWS SDK
 * calls, turns an ExecutionInput into exactly an ExecutionOutput, or into a failure whose Cause is
 * JSON that says what failed.
 *
 * The interpreter covers the subset of the States Language the definition uses (Pass, Task, Choice,
 * Wait, Map, Fail; Parameters/ItemSelector/ResultSelector, InputPath/ResultPath/OutputPath, Retry,
 * Catch, and the intrinsics States.Format, States.JsonToString, States.StringSplit), and raises
 * States.Runtime for a missing path as Step Functions does, so a typo in a path fails here.
 */
import { describe, expect, test } from '@jest/globals';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionInput, ExecutionOutput } from '../../src/core/deploy/contract.js';
import { EXECUTION_INPUT_VERSION } from '../../src/core/deploy/contract.js';
import { decodeCause } from '../../src/core/deploy/failure-cause.js';
import {
  execute,
  lookup,
  MISSING,
  StatesError,
  substitute,
  type Json,
  type Obj,
  type TaskHandler,
} from '../../local-cloud/asl-interpreter.js';

const require = createRequire(import.meta.url);
type AslValidator = (
  definition: unknown,
  options?: { checkPaths: boolean; checkArn: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = require('asl-validator') as AslValidator;

const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const ASL_TEXT = readFileSync(join(ROOT, 'infra', 'state-machine.asl.json'), 'utf8');

/** What infra/template.yaml's DefinitionSubstitutions put in, for a stack with proxies in a VPC. */
const SUBSTITUTIONS: Record<string, string> = {
  AppName: 'my-app',
  GroupName: 'prod',
  ProxyRoleArn: 'arn:aws:iam::123456789012:role/ion-proxy',
  ProxyRuntime: 'nodejs22.x',
  ProxyCodeBucket: 'ion-code',
  ProxyCodeKey: 'ions/lambda-proxy/index.zip',
  AppEndpoint: 'http://internal-app.example:8182',
  ProxySubnetIds: 'subnet-1,subnet-2',
  ProxySecurityGroupIds: 'sg-1',
};

const definition = (values: Record<string, string> = SUBSTITUTIONS) => JSON.parse(substitute(ASL_TEXT, values));

const SAMPLE_INPUT: ExecutionInput = {
  version: EXECUTION_INPUT_VERSION,
  appName: 'my-app',
  group: 'prod',
  rev: '0123456789abcdef0123456789abcdef01234567',
  bundle: { bucket: 'ion-code', key: 'ions/my-app/revisions/0123456789abcdef0123456789abcdef01234567.zip' },
  lambdas: [
    {
      name: 'hello',
      fn: 'my.app/hello',
      description: 'says hello',
      timeoutSecs: 60,
      concurrencyLimit: 20,
      integration: null,
      functionName: 'prod_hello',
    },
    {
      name: 'web',
      fn: 'my.app/web',
      description: '',
      timeoutSecs: 30,
      concurrencyLimit: null,
      integration: 'api-gateway/proxy',
      functionName: 'prod_web',
    },
  ],
  github: {
    repository: 'acme/my-app',
    runId: '1',
    runAttempt: '1',
    sha: '0123456789abcdef0123456789abcdef01234567',
    serverUrl: 'https://github.com',
    actor: 'octocat',
  },
};

type Any = any; // a stubbed SDK call's parameters

// ---------------------------------------------------------------------------------------------
// A stub AWS for the SDK integrations the definition calls.

const sdk = (service: string, action: string) => `arn:aws:states:::aws-sdk:${service}:${action}`;

interface FakeAws {
  handler: TaskHandler;
  functions: Map<string, Obj>;
}

function fakeAws(options: {
  statuses?: string[];
  finalInfo?: Obj;
  createError?: StatesError;
  existing?: string[];
  lambdaError?: StatesError;
  conflictsBeforeUpdate?: number;
}): FakeAws {
  const statuses = [...(options.statuses ?? ['Created', 'InProgress', 'Succeeded'])];
  const functions = new Map<string, Obj>((options.existing ?? []).map((f) => [f, { FunctionName: f }]));
  let conflicts = options.conflictsBeforeUpdate ?? 0;
  const handler: TaskHandler = ({ resource, params }): Json => {
    const p = params as Obj;
    switch (resource) {
      case sdk('codedeploy', 'createDeployment'):
        if (options.createError) throw options.createError;
        return { DeploymentId: 'd-ABCDEF123' };
      case sdk('codedeploy', 'getDeployment'): {
        expect(p.DeploymentId).toBe('d-ABCDEF123');
        const Status = statuses.length > 1 ? statuses.shift()! : statuses[0]!;
        return { DeploymentInfo: { DeploymentId: 'd-ABCDEF123', Status, ...(statuses.length === 1 ? options.finalInfo : {}) } };
      }
      case sdk('lambda', 'getFunction'):
        if (options.lambdaError) throw options.lambdaError;
        if (!functions.has(p.FunctionName as string)) throw new StatesError('Lambda.ResourceNotFoundException', 'Function not found');
        return { Configuration: functions.get(p.FunctionName as string)!, Code: { Location: 'https://presigned' } };
      case sdk('lambda', 'createFunction'):
        functions.set(p.FunctionName as string, p);
        return { FunctionName: p.FunctionName!, State: 'Pending' };
      case sdk('lambda', 'updateFunctionCode'):
        if (conflicts-- > 0) throw new StatesError('Lambda.ResourceConflictException', 'An update is in progress');
        return { FunctionName: p.FunctionName! };
      case sdk('lambda', 'updateFunctionConfiguration'):
        functions.set(p.FunctionName as string, { ...functions.get(p.FunctionName as string), ...p });
        return { FunctionName: p.FunctionName! };
      case sdk('lambda', 'putFunctionConcurrency'):
      case sdk('lambda', 'deleteFunctionConcurrency'):
        return {};
      default:
        throw new Error(`unexpected task ${resource}`);
    }
  };
  return { handler, functions };
}

const input = (overrides: Partial<ExecutionInput> = {}): Json => structuredClone({ ...SAMPLE_INPUT, ...overrides }) as unknown as Json;

// ---------------------------------------------------------------------------------------------

describe('infra/state-machine.asl.json', () => {
  test('is valid Amazon States Language, as written and after substitution', () => {
    for (const def of [JSON.parse(ASL_TEXT), definition()]) {
      const result = aslValidator(def, { checkPaths: true, checkArn: true });
      expect(result.errorsText('\n')).toBe('');
      expect(result.isValid).toBe(true);
    }
  });

  test('reads only fields ExecutionInput carries (paths checked against a typed sample)', () => {
    const machine = definition();
    // Every optional field present (the machine guards optional ones with IsPresent, tested below).
    const full: ExecutionInput = { ...SAMPLE_INPUT, bundle: { ...SAMPLE_INPUT.bundle, eTag: '"0123abcd"' } };
    // Fields the machine adds to its own state as it goes.
    const produced = new Set(['created', 'DeploymentId', 'deployment', 'error', 'failure', 'Lambdas']);
    const item = { lambda: SAMPLE_INPUT.lambdas[0], appName: 'my-app', group: 'prod' };
    const paths: { path: string; where: 'top' | 'item' }[] = [];
    const collect = (node: unknown, where: 'top' | 'item') => {
      if (Array.isArray(node)) for (const n of node) collect(n, where);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'ResultSelector') continue; // reads the SDK response, not the state
          const inner = key === 'ItemProcessor' ? 'item' : where;
          if (typeof value === 'string')
            for (const m of value.matchAll(/(?<!\$)\$(\.[A-Za-z][\w.]*)+/g)) paths.push({ path: m[0], where: inner });
          collect(value, inner);
        }
      }
    };
    collect(machine.States, 'top');
    expect(paths.length).toBeGreaterThan(20);
    for (const { path: p, where } of paths) {
      if (where === 'top') {
        const first = p.split('.')[1]!;
        if (produced.has(first)) continue;
        expect([p, lookup(p, full as unknown as Json, null) !== MISSING]).toEqual([p, true]);
      } else {
        expect([p, lookup(p, item as unknown as Json, null) !== MISSING]).toEqual([p, true]);
      }
    }
  });

  test('deploys, polls until Succeeded, ensures every proxy and outputs exactly { DeploymentId, Lambdas }', async () => {
    const aws = fakeAws({ existing: ['prod_web'], conflictsBeforeUpdate: 1 });
    const run = await execute(definition(), input(), aws.handler);
    expect(run.status).toBe('SUCCEEDED');
    const expected: ExecutionOutput = { DeploymentId: 'd-ABCDEF123', Lambdas: ['prod_hello', 'prod_web'] };
    expect(run.output).toEqual(expected);
    expect(run.waits).toBe(3);

    // The deploy action follows the deployment from the first state output carrying DeploymentId.
    const first = run.exits.find((e) => e.output && typeof e.output === 'object' && 'DeploymentId' in (e.output as Obj));
    expect(first?.state).toBe('DeploymentCreated');
    expect((first!.output as Obj).DeploymentId).toBe('d-ABCDEF123');

    const create = run.calls.find((c) => c.resource === sdk('codedeploy', 'createDeployment'))!;
    expect(create.params).toEqual({
      ApplicationName: 'my-app',
      DeploymentGroupName: 'prod',
      Description: `ion-actions deploy of my-app rev ${SAMPLE_INPUT.rev}`,
      Revision: { RevisionType: 'S3', S3Location: { Bucket: 'ion-code', Key: SAMPLE_INPUT.bundle.key, BundleType: 'zip' } },
    });

    // prod_hello did not exist: created with the proxy role, code, environment and VPC.
    const created = aws.functions.get('prod_hello')!;
    expect(created).toMatchObject({
      Role: SUBSTITUTIONS.ProxyRoleArn,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Code: { S3Bucket: 'ion-code', S3Key: 'ions/lambda-proxy/index.zip' },
      Description: 'says hello',
      Timeout: 60,
      VpcConfig: { SubnetIds: ['subnet-1', 'subnet-2'], SecurityGroupIds: ['sg-1'] },
      Tags: { 'ion:app': 'my-app', 'ion:group': 'prod' },
    });
    const env = (created.Environment as Obj).Variables as Obj;
    expect(env).toMatchObject({ ION_ENDPOINT: SUBSTITUTIONS.AppEndpoint, ION_APP: 'my-app', ION_GROUP: 'prod' });
    expect(JSON.parse(env.ION_LAMBDA_JSON as string)).toEqual(SAMPLE_INPUT.lambdas[0]);

    // prod_web existed: code refreshed (after one ResourceConflict retry) and configuration updated.
    const forWeb = run.calls.filter((c) => (c.params as Obj).FunctionName === 'prod_web').map((c) => c.resource.split(':').pop());
    expect(forWeb).toEqual([
      'getFunction',
      'updateFunctionCode',
      'updateFunctionCode',
      'updateFunctionConfiguration',
      'deleteFunctionConcurrency',
    ]);
    const put = run.calls.find((c) => c.resource === sdk('lambda', 'putFunctionConcurrency'))!;
    expect(put.params).toEqual({ FunctionName: 'prod_hello', ReservedConcurrentExecutions: 20 });
  });

  test('a bundle eTag in the input pins the deployment to that object', async () => {
    const aws = fakeAws({});
    const pinned = input({ bundle: { ...SAMPLE_INPUT.bundle, eTag: '"0123abcd"' } });
    const run = await execute(definition(), pinned, aws.handler);
    expect(run.status).toBe('SUCCEEDED');
    const create = run.calls.find((c) => c.resource === sdk('codedeploy', 'createDeployment'))!;
    expect((create.params as Any).Revision.S3Location).toEqual({
      Bucket: 'ion-code',
      Key: SAMPLE_INPUT.bundle.key,
      BundleType: 'zip',
      ETag: '"0123abcd"',
    });
  });

  test('a stack without a VPC gives the proxies empty subnet and security group lists (no VPC)', async () => {
    const aws = fakeAws({});
    const run = await execute(definition({ ...SUBSTITUTIONS, ProxySubnetIds: '', ProxySecurityGroupIds: '' }), input(), aws.handler);
    expect(run.status).toBe('SUCCEEDED');
    expect(aws.functions.get('prod_hello')!.VpcConfig).toEqual({ SubnetIds: [], SecurityGroupIds: [] });
  });

  test('no :lambdas: outputs an empty list', async () => {
    const run = await execute(definition(), input({ lambdas: [] }), fakeAws({}).handler);
    expect(run.output).toEqual({ DeploymentId: 'd-ABCDEF123', Lambdas: [] });
  });

  test('a failed deployment fails the execution with its error information as a JSON Cause', async () => {
    const info = {
      ErrorInformation: {
        Code: 'HEALTH_CONSTRAINTS',
        Message: 'The overall deployment failed because too many individual instances failed deployment',
      },
    };
    const run = await execute(definition(), input(), fakeAws({ statuses: ['InProgress', 'Failed'], finalInfo: info }).handler);
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('Ion.DeploymentFailed');
    expect(JSON.parse(run.cause!)).toEqual({
      Message: `CodeDeploy deployment d-ABCDEF123 Failed: ${info.ErrorInformation.Message}`,
      DeploymentId: 'd-ABCDEF123',
      Status: 'Failed',
      ...info,
    });
    // The deploy action's reading of the cause (src/core/deploy/failure-cause.ts) finds that sentence.
    expect(decodeCause(run.cause).summary).toBe(`CodeDeploy deployment d-ABCDEF123 Failed: ${info.ErrorInformation.Message}`);
    expect(run.calls.some((c) => c.resource.includes(':lambda:'))).toBe(false);
  });

  test('a stopped deployment without error information still says what happened', async () => {
    const run = await execute(definition(), input(), fakeAws({ statuses: ['Stopped'] }).handler);
    expect(run.error).toBe('Ion.DeploymentFailed');
    expect(JSON.parse(run.cause!)).toMatchObject({
      DeploymentId: 'd-ABCDEF123',
      Status: 'Stopped',
      ErrorInformation: { Code: 'NO_ERROR_INFORMATION' },
    });
    expect(decodeCause(run.cause).summary).toMatch(/^CodeDeploy deployment d-ABCDEF123 Stopped without error information/);
  });

  test('CodeDeploy refusing the deployment fails with its error in a JSON Cause', async () => {
    const refusal = new StatesError('CodeDeploy.DeploymentGroupDoesNotExistException', 'No Deployment Group found for name: prod');
    const run = await execute(definition(), input(), fakeAws({ createError: refusal }).handler);
    expect(run.error).toBe('Ion.CreateDeploymentFailed');
    expect(JSON.parse(run.cause!)).toEqual({ Error: refusal.error, Cause: refusal.cause });
    expect(decodeCause(run.cause).summary).toBe(`${refusal.error}: ${refusal.cause}`);
  });

  test('a proxy that cannot be ensured fails after the deployment, naming the deployment', async () => {
    const denied = new StatesError('Lambda.AccessDeniedException', 'not authorized to perform: lambda:GetFunction');
    const run = await execute(definition(), input(), fakeAws({ lambdaError: denied }).handler);
    expect(run.error).toBe('Ion.LambdaProxiesFailed');
    expect(JSON.parse(run.cause!)).toEqual({ DeploymentId: 'd-ABCDEF123', Error: denied.error, Cause: denied.cause });
    expect(decodeCause(run.cause).summary).toBe(`${denied.error}: ${denied.cause}`);
  });

  test('refuses another input version and another group with a line that says so', async () => {
    const v2 = await execute(definition(), { ...(input() as Obj), version: 2 }, fakeAws({}).handler);
    expect(v2.error).toBe('Ion.UnsupportedInput');
    const other = await execute(definition(), input({ group: 'staging' }), fakeAws({}).handler);
    expect(other.error).toBe('Ion.WrongGroup');
    expect(decodeCause(other.cause).summary).toContain('deploys application my-app to group prod only');
    expect(decodeCause(v2.cause).summary).toContain('ExecutionInput version 1 only');
    expect([...v2.calls, ...other.calls]).toEqual([]);
  });
});
