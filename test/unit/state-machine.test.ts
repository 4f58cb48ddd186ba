/**
 * infra/state-machine.asl.json: valid Amazon States Language (asl-validator), reads only what
 * ExecutionInput (src/core/deploy/contract.ts) carries, and, run by a small JSONPath interpreter
 * below against stubbed AWS SDK calls, turns an ExecutionInput into exactly an ExecutionOutput, or
 * into a failure whose Cause is JSON that says what failed.
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

/** CloudFormation's DefinitionSubstitutions: plain `${Name}` replacement in the definition text. */
function substitute(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => {
    if (!(name in values)) throw new Error(`no substitution for ${whole}`);
    return values[name]!;
  });
}

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

// ---------------------------------------------------------------------------------------------
// A small States Language (JSONPath) interpreter.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };
type Any = any; // a stubbed SDK call's parameters

class StatesError extends Error {
  constructor(
    readonly error: string,
    override readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
  }
}

const MISSING = Symbol('missing');

function lookup(path: string, data: Json, context: Json): Json | typeof MISSING {
  let current: Json;
  let rest: string;
  if (path.startsWith('$$')) [current, rest] = [context, path.slice(2)];
  else if (path.startsWith('$')) [current, rest] = [data, path.slice(1)];
  else throw new Error(`not a path: ${path}`);
  const steps = rest.match(/\.[^.[]+|\[\d+\]/g) ?? [];
  if (steps.join('') !== rest) throw new Error(`path syntax this interpreter does not know: ${path}`);
  for (const step of steps) {
    if (step.startsWith('[')) {
      const i = Number(step.slice(1, -1));
      if (!Array.isArray(current) || i >= current.length) return MISSING;
      current = current[i]!;
    } else {
      const key = step.slice(1);
      if (current === null || typeof current !== 'object' || Array.isArray(current) || !(key in current)) return MISSING;
      current = (current as Obj)[key]!;
    }
  }
  return current;
}

function path(p: string, data: Json, context: Json): Json {
  const value = lookup(p, data, context);
  if (value === MISSING) throw new StatesError('States.Runtime', `The JSONPath '${p}' could not be found in the input`);
  return value;
}

/** Evaluates a `.$` value: a path or an intrinsic function call. */
function evaluate(expr: string, data: Json, context: Json): Json {
  if (!expr.startsWith('States.')) return path(expr, data, context);
  let i = 0;
  const ws = () => {
    while (expr[i] === ' ') i++;
  };
  const parseArg = (): Json => {
    ws();
    if (expr[i] === "'") {
      let s = '';
      i++;
      while (expr[i] !== "'") {
        if (i >= expr.length) throw new Error(`unterminated string in ${expr}`);
        if (expr[i] === '\\') i++;
        s += expr[i++];
      }
      i++;
      return s;
    }
    if (expr.startsWith('States.', i)) return parseCall();
    const m = /^[^,)]+/.exec(expr.slice(i))!;
    i += m[0].length;
    const token = m[0].trim();
    if (token.startsWith('$')) return path(token, data, context);
    if (token === 'null') return null;
    return JSON.parse(token) as Json;
  };
  const parseCall = (): Json => {
    const m = /^States\.[A-Za-z]+/.exec(expr.slice(i))!;
    i += m[0].length;
    if (expr[i++] !== '(') throw new Error(`expected ( in ${expr}`);
    const args: Json[] = [];
    ws();
    while (expr[i] !== ')') {
      args.push(parseArg());
      ws();
      if (expr[i] === ',') i++;
    }
    i++;
    return intrinsic(m[0], args);
  };
  const value = parseCall();
  if (i !== expr.length) throw new Error(`trailing text in ${expr}`);
  return value;
}

function intrinsic(name: string, args: Json[]): Json {
  switch (name) {
    case 'States.Format': {
      const [template, ...values] = args as [string, ...Json[]];
      let n = 0;
      return template.replace(/\{\}/g, () => {
        const v = values[n++];
        return typeof v === 'string' ? v : JSON.stringify(v);
      });
    }
    case 'States.JsonToString':
      return JSON.stringify(args[0]);
    case 'States.StringSplit': {
      // Step Functions drops empty parts, so '' splits to [] (what a stack without a VPC relies on).
      const [s, delimiters] = args as [string, string];
      return s.split(new RegExp(`[${delimiters.replace(/[\\\]^-]/g, '\\$&')}]`)).filter((part) => part !== '');
    }
    default:
      throw new Error(`intrinsic this interpreter does not know: ${name}`);
  }
}

/** Parameters, ItemSelector and ResultSelector templates. */
function payload(template: Json, data: Json, context: Json): Json {
  if (Array.isArray(template)) return template.map((t) => payload(t, data, context));
  if (template === null || typeof template !== 'object') return template;
  const out: Obj = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) out[key.slice(0, -2)] = evaluate(value as string, data, context);
    else out[key] = payload(value, data, context);
  }
  return out;
}

function applyResultPath(input: Json, resultPath: string | null | undefined, result: Json): Json {
  if (resultPath === null) return input;
  if (resultPath === undefined || resultPath === '$') return result;
  const keys = resultPath.replace(/^\$\./, '').split('.');
  const copy = structuredClone(input) as Obj;
  let target = copy;
  for (const key of keys.slice(0, -1)) {
    if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
    target = target[key] as Obj;
  }
  target[keys.at(-1)!] = result;
  return copy;
}

type Rule = Record<string, any>;
function matches(rule: Rule, data: Json, context: Json): boolean {
  if (rule.And) return (rule.And as Rule[]).every((r) => matches(r, data, context));
  if (rule.Or) return (rule.Or as Rule[]).some((r) => matches(r, data, context));
  if (rule.Not) return !matches(rule.Not as Rule, data, context);
  const found = lookup(rule.Variable as string, data, context);
  if ('IsPresent' in rule) return (found !== MISSING) === rule.IsPresent;
  if (found === MISSING) throw new StatesError('States.Runtime', `Invalid path '${rule.Variable}': no such field`);
  if ('IsNull' in rule) return (found === null) === rule.IsNull;
  if ('StringEquals' in rule) return found === rule.StringEquals;
  if ('NumericEquals' in rule) return found === rule.NumericEquals;
  throw new Error(`choice rule this interpreter does not know: ${JSON.stringify(rule)}`);
}

type TaskCall = { resource: string; params: Json };
type TaskHandler = (call: TaskCall) => Json | Promise<Json>;

interface Run {
  status: 'SUCCEEDED' | 'FAILED';
  output?: Json;
  error?: string;
  cause?: string;
  /** Every state left, with its output, in order (Map iterations included). */
  exits: { state: string; output: Json }[];
  calls: TaskCall[];
  waits: number;
}

const errorMatches = (names: string[], error: string) =>
  names.includes(error) || names.includes('States.ALL') || (names.includes('States.TaskFailed') && !error.startsWith('States.'));

async function runStates(machine: Obj, input: Json, tasks: TaskHandler, run: Run, context: Json): Promise<Json> {
  const states = machine.States as Record<string, Obj>;
  let name = machine.StartAt as string;
  let data = input;
  for (let transitions = 0; ; transitions++) {
    if (transitions > 500) throw new Error('more than 500 transitions: an endless poll loop?');
    const state = states[name];
    if (!state) throw new Error(`no state ${name}`);
    const effective = state.InputPath === undefined ? data : state.InputPath === null ? {} : path(state.InputPath as string, data, context);
    let next = state.Next as string | undefined;
    let output: Json;
    try {
      switch (state.Type) {
        case 'Pass': {
          const result = state.Parameters !== undefined ? payload(state.Parameters, effective, context) : (state.Result ?? effective);
          output = applyResultPath(data, state.ResultPath as string | null | undefined, result);
          break;
        }
        case 'Task': {
          const params = payload(state.Parameters ?? {}, effective, context);
          let result: Json;
          const attempts = new Map<Obj, number>();
          for (;;) {
            try {
              const call = { resource: state.Resource as string, params };
              run.calls.push(call);
              result = await tasks(call);
              break;
            } catch (e) {
              if (!(e instanceof StatesError)) throw e;
              const retrier = ((state.Retry ?? []) as Obj[]).find((r) => errorMatches(r.ErrorEquals as string[], e.error));
              if (!retrier) throw e;
              const n = (attempts.get(retrier) ?? 0) + 1;
              if (n > ((retrier.MaxAttempts as number | undefined) ?? 3)) throw e;
              attempts.set(retrier, n);
            }
          }
          const selected = state.ResultSelector ? payload(state.ResultSelector, result, context) : result;
          output = applyResultPath(data, state.ResultPath as string | null | undefined, selected);
          break;
        }
        case 'Choice': {
          const choice = ((state.Choices ?? []) as Rule[]).find((rule) => matches(rule, effective, context));
          next = (choice?.Next ?? state.Default) as string | undefined;
          if (!next) throw new StatesError('States.NoChoiceMatched', name);
          output = data;
          break;
        }
        case 'Wait':
          run.waits++;
          output = data;
          break;
        case 'Map': {
          const items = path((state.ItemsPath as string | undefined) ?? '$', effective, context);
          if (!Array.isArray(items)) throw new StatesError('States.Runtime', `${name}: ItemsPath is not an array`);
          const results: Json[] = [];
          for (const [index, value] of items.entries()) {
            const itemContext = { ...(context as Obj), Map: { Item: { Index: index, Value: value } } };
            const itemInput = state.ItemSelector ? payload(state.ItemSelector, effective, itemContext) : value;
            results.push(await runStates(state.ItemProcessor as Obj, itemInput, tasks, run, itemContext));
          }
          const selected = state.ResultSelector ? payload(state.ResultSelector, results, context) : results;
          output = applyResultPath(data, state.ResultPath as string | null | undefined, selected);
          break;
        }
        case 'Fail': {
          const error = (state.Error as string | undefined) ?? (evaluate(state.ErrorPath as string, effective, context) as string);
          const cause = (state.Cause as string | undefined) ?? (evaluate(state.CausePath as string, effective, context) as string);
          throw new StatesError(error, cause);
        }
        case 'Succeed':
          output = effective;
          break;
        default:
          throw new Error(`state type this interpreter does not know: ${String(state.Type)}`);
      }
    } catch (e) {
      if (!(e instanceof StatesError) || state.Type === 'Fail') throw e;
      const catcher = ((state.Catch ?? []) as Obj[]).find((c) => errorMatches(c.ErrorEquals as string[], e.error));
      if (!catcher) throw e;
      data = applyResultPath(data, catcher.ResultPath as string | null | undefined, { Error: e.error, Cause: e.cause });
      run.exits.push({ state: name, output: data });
      name = catcher.Next as string;
      continue;
    }
    if (state.OutputPath !== undefined && state.Type !== 'Choice' && state.Type !== 'Wait') {
      output = state.OutputPath === null ? {} : path(state.OutputPath as string, output, context);
    }
    run.exits.push({ state: name, output });
    if (state.End === true || state.Type === 'Succeed') return output;
    if (!next) throw new Error(`state ${name} has neither Next nor End`);
    data = output;
    name = next;
  }
}

async function execute(machine: Obj, input: Json, tasks: TaskHandler): Promise<Run> {
  const run: Run = { status: 'SUCCEEDED', exits: [], calls: [], waits: 0 };
  try {
    run.output = await runStates(machine, input, tasks, run, { Execution: { Input: input } });
  } catch (e) {
    if (!(e instanceof StatesError)) throw e;
    Object.assign(run, { status: 'FAILED', error: e.error, cause: e.cause });
  }
  return run;
}

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
      if (Array.isArray(node)) node.forEach((n) => collect(n, where));
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'ResultSelector') continue; // reads the SDK response, not the state
          const inner = key === 'ItemProcessor' ? 'item' : where;
          if (typeof value === 'string') for (const m of value.matchAll(/(?<!\$)\$(\.[A-Za-z][\w.]*)+/g)) paths.push({ path: m[0], where: inner });
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
    const info = { ErrorInformation: { Code: 'HEALTH_CONSTRAINTS', Message: 'The overall deployment failed because too many individual instances failed deployment' } };
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
    expect(JSON.parse(run.cause!)).toMatchObject({ DeploymentId: 'd-ABCDEF123', Status: 'Stopped', ErrorInformation: { Code: 'NO_ERROR_INFORMATION' } });
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
