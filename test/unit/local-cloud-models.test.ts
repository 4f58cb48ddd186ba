/**
 * The local cloud speaks the same API as AWS: every operation the local CodeDeploy, Step Functions
 * and Lambda answer is an operation of that service's model (the SDK v3 clients'; see
 * local-cloud/sdk-models.ts), and every input field a fake reads is a member of the
 * operation's input, spelt as on the wire (CodeDeploy and Step Functions: camelCase; Lambda, called
 * by the state machine: PascalCase). So a fake cannot accept a request that real AWS would reject
 * for a misspelt field, nor answer an operation AWS does not have.
 *
 * Reads are recorded by calling each handler with a Proxy as its input (CodeDeploy and Lambda);
 * the local Step Functions does not expose its handlers, so its source is read instead.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { LocalCodeDeploy } from '../../local-cloud/codedeploy.js';
import { endedDeployment, startApiOnlyCodeDeploy } from '../support/local-codedeploy-fixture.js';
import { LocalLambda } from '../../local-cloud/lambda.js';
import { ROOT } from '../support/spec/cfn-template.js';
import { checkRequest } from '../support/spec/iam-spec.js';
import { type Shape, sdkService, upperFirst } from '../../local-cloud/sdk-models.js';

/** An input that records every field read from it (nested objects too), answering from `values`. */
function recordingInput(values: Record<string, unknown>, reads: string[], prefix = ''): Record<string, unknown> {
  return new Proxy(values, {
    get(target, key) {
      if (typeof key !== 'string' || key === 'then' || key === 'toJSON') return Reflect.get(target, key);
      reads.push(`${prefix}${key}`);
      const v = target[key];
      return v && typeof v === 'object' && !Array.isArray(v) ? recordingInput(v as Record<string, unknown>, reads, `${prefix}${key}.`) : v;
    },
  });
}

/** Reads that are not members of the input shape (following nested structures). */
function notMembers(reads: string[], input: Shape): string[] {
  return [...new Set(reads)].filter((path) => {
    let shape: Shape | undefined = input;
    for (const name of path.split('.')) {
      if (!shape) return true;
      if (shape.kind === 'map' || shape.kind === 'document') return false;
      if (shape.kind === 'list') shape = shape.value();
      shape = shape.member(name);
      if (!shape) return true;
    }
    return false;
  });
}

const DEPLOYMENT_ID = 'd-SPEC00001';
const SAMPLE_INPUT = { applicationName: 'my-app', deploymentGroupName: 'prod', deploymentId: DEPLOYMENT_ID };

describe('local CodeDeploy follows the CodeDeploy model', () => {
  let cd: LocalCodeDeploy;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ cd, close } = await startApiOnlyCodeDeploy('models'));
    cd.createDeploymentGroup('my-app', 'prod', { instances: 0 });
    // A finished deployment, so operations on a deployment get past their lookup.
    cd.deployments.set(DEPLOYMENT_ID, endedDeployment(DEPLOYMENT_ID, 'prod'));
  });
  afterAll(async () => {
    await close();
  });

  test('every operation it answers is a CodeDeploy operation', () => {
    const model = sdkService('codedeploy');
    expect(Object.keys(cd.handlers).filter((op) => !model.operation(op))).toEqual([]);
    expect(Object.keys(cd.handlers).length).toBeGreaterThan(5);
  });

  test('every input field it reads is a member of that operation’s input', async () => {
    const model = sdkService('codedeploy');
    const problems: string[] = [];
    const allReads: string[] = [];
    for (const [op, handler] of Object.entries(cd.handlers)) {
      // Names of what exists, so handlers get past their lookups; CreateDeployment is left out:
      // it starts the local agent, and its reads are covered by the state machine tests' inputs.
      if (op === 'CreateDeployment') continue;
      const reads: string[] = [];
      const input = recordingInput({ ...SAMPLE_INPUT }, reads);
      try {
        await handler(input, { operation: op, input: {}, at: Date.now() } as never);
      } catch {
        // a missing deployment, say: the reads before it still count
      }
      allReads.push(...reads);
      for (const bad of notMembers(reads, model.operation(op)!.input))
        problems.push(`${op} reads ${bad}, which ${model.operation(op)!.input.name} does not have`);
    }
    expect(problems).toEqual([]);
    expect(allReads).toEqual(expect.arrayContaining(['applicationName', 'deploymentGroupName', 'deploymentId']));
  });

  test('what it authorizes is what IAM checks: real actions, on resources of the types they take ("*" where none)', async () => {
    const problems: string[] = [];
    for (const [op, authorize] of Object.entries(cd.authorize)) {
      let requests: { action: string; resource: string }[];
      try {
        requests = authorize({
          ...SAMPLE_INPUT,
          revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'k', bundleType: 'zip' } },
        });
      } catch (err) {
        problems.push(`${op}: authorize failed on a valid input: ${(err as Error).message}`);
        continue;
      }
      for (const r of requests) problems.push(...(await checkRequest(r.action, r.resource, op)));
    }
    expect(problems).toEqual([]);
  });

  test('a fake that read a misspelt field would be caught', () => {
    const model = sdkService('codedeploy');
    expect(
      notMembers(
        ['applicationName', 'revision.s3Location.bucket', 'revision.s3location.bucket', 'deploymentGroup'],
        model.operation('CreateDeployment')!.input,
      ),
    ).toEqual(['revision.s3location.bucket', 'deploymentGroup']);
  });
});

describe('local Lambda follows the Lambda model (PascalCase, as the state machine calls it)', () => {
  const source = readFileSync(join(ROOT, 'local-cloud', 'lambda.ts'), 'utf8');
  const actions = [...source.matchAll(/case '([a-zA-Z]+)':/g)].map((m) => m[1]!);

  test('every action it implements is a Lambda operation', () => {
    const model = sdkService('lambda');
    expect(actions.length).toBeGreaterThan(3);
    expect(actions.filter((a) => !model.operation(upperFirst(a)))).toEqual([]);
  });

  test('every parameter it reads is a member of that operation’s input', async () => {
    const model = sdkService('lambda');
    const lambda = new LocalLambda(() => ({ send: async () => ({}), destroy() {} }) as unknown as S3Client);
    const base = {
      FunctionName: 'prod_hello',
      Role: 'arn:aws:iam::123456789012:role/proxy',
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Code: { S3Bucket: 'b', S3Key: 'k' },
    };
    await lambda.call('createFunction', base);
    const problems: string[] = [];
    for (const action of actions) {
      const reads: string[] = [];
      const params = recordingInput(
        {
          ...base,
          FunctionName: action === 'createFunction' ? 'prod_other' : 'prod_hello',
          ReservedConcurrentExecutions: 1,
          S3Bucket: 'b',
          S3Key: 'k',
          Environment: { Variables: {} },
          VpcConfig: { SubnetIds: [], SecurityGroupIds: [] },
          Tags: {},
        },
        reads,
      );
      try {
        await lambda.call(action, params as never);
      } catch {
        // the reads before an error still count
      }
      for (const bad of notMembers(reads, model.operation(upperFirst(action))!.input))
        problems.push(`${action} reads ${bad}, which ${upperFirst(action)} does not have`);
    }
    expect(problems).toEqual([]);
  });
});

describe('local Step Functions follows the Step Functions model', () => {
  // Every local-cloud/step-functions*.ts file (one handler per operation or one module).
  const sources = readdirSync(join(ROOT, 'local-cloud'))
    .filter((f) => /^step-functions.*\.ts$/.test(f))
    .map((f) => readFileSync(join(ROOT, 'local-cloud', f), 'utf8'))
    .join('\n');

  test('every operation in its table is a Step Functions operation, and every input field it reads a member of one', () => {
    const model = sdkService('sfn');
    const table = sources.slice(sources.indexOf('OPERATIONS'));
    const operations = [...table.matchAll(/^\s+([A-Z][A-Za-z]+): \{ handle:/gm)].map((m) => m[1]!);
    expect(operations.length).toBeGreaterThan(3);
    expect(operations.filter((op) => !model.operation(op))).toEqual([]);
    const members = new Set(operations.flatMap((op) => [...model.operation(op)!.input.members().keys()]));
    const reads = new Set([...sources.matchAll(/\binput\??\.([a-zA-Z]+)/g)].map((m) => m[1]!));
    expect([...reads].filter((r) => !members.has(r))).toEqual([]);
  });

  test('what it authorizes is what IAM checks (actions on the state machine or on an execution)', async () => {
    const arns = {
      onMachine: 'arn:aws:states:us-east-1:123456789012:stateMachine:ion-my-app-prod',
      onExecution: 'arn:aws:states:us-east-1:123456789012:execution:ion-my-app-prod:run-1',
    };
    const requests = [...sources.matchAll(/\b(onMachine|onExecution)\('([A-Za-z]+)'\)/g)].map((m) => ({
      action: `states:${m[2]}`,
      resource: arns[m[1] as keyof typeof arns],
    }));
    expect(requests.length).toBeGreaterThan(3);
    const problems = (await Promise.all(requests.map((r) => checkRequest(r.action, r.resource, 'local Step Functions')))).flat();
    expect(problems).toEqual([]);
  });
});
