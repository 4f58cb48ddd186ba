/**
 * The local cloud: everything the push and deploy actions talk to, on loopback, carrying out the
 * reference cluster side of infra/ for real.
 *
 * - S3: s3rver in a child process (s3-server.ts; credentials S3RVER/S3RVER only).
 * - CodeDeploy (codedeploy.ts): applications, groups, revisions, and deployments that the local agent
 *   carries out on N local instances (directories), running the bundle's hooks with Debian's AWS CLI
 *   against the local S3, the way EC2 instances use S3.
 * - Step Functions (step-functions.ts): runs infra/state-machine.asl.json, with the template's
 *   DefinitionSubstitutions filled in; its `aws-sdk:codedeploy:*` tasks call the local CodeDeploy and
 *   its `aws-sdk:lambda:*` tasks a local Lambda registry (lambda.ts), in-process.
 *
 * `createStack` does what infra/template.yaml does in AWS (bucket, application, group, state machine,
 * proxy code); `awsEnv` is the environment that points the actions' AWS SDK at all of it.
 *
 * Who calls is known: each principal of the template signs with its own access key (LOCAL_CREDENTIALS:
 * the workflow, the instances, the state machine; the operator who sets the stack up uses s3rver's
 * S3RVER), and `accessLog()` lists every AWS call the cloud saw as (principal, IAM action, resource),
 * which test/integration/least-privilege.test.ts checks against the template's policies.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { zipFiles } from '../src/core/content/deterministic-zip.js';
import { AwsServiceError, authorizationsOf, type IamRequest, type RecordedCall } from './aws-json-server.js';
import { startS3Server, S3RVER_CREDENTIALS, type S3Server } from './s3-server.js';
import { StatesError, substitute, splitResource, type Json, type TaskHandler } from './asl-interpreter.js';
import {
  AUTO_ROLLBACK_OFF,
  AUTO_ROLLBACK_ON,
  startLocalCodeDeploy,
  type LocalCodeDeploy,
  type LocalDeploymentGroup,
} from './codedeploy.js';
import { LambdaError, LocalLambda } from './lambda.js';
import { startLocalStepFunctions, type LocalStepFunctions } from './step-functions.js';

export const REPO_ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

/** The callers the template gives a role (the proxies call no AWS service here), and the operator. */
export type Principal = 'workflow' | 'instance' | 'state-machine' | 'operator';

/** Each role's own key pair, so the local cloud can tell callers apart (s3rver is told to accept them). */
export const LOCAL_CREDENTIALS = {
  /** The GitHub workflow's role (WorkflowPolicy): the push and deploy actions. */
  workflow: { accessKeyId: 'AKIDLOCALWORKFLOW', secretAccessKey: 'local-workflow-secret' },
  /** The instance profile (InstanceRole): the CodeDeploy agent and the hooks. */
  instance: { accessKeyId: 'AKIDLOCALINSTANCE', secretAccessKey: 'local-instance-secret' },
  /** The state machine's role (StateMachineRole), also used for what Lambda does with the caller's permissions. */
  'state-machine': { accessKeyId: 'AKIDLOCALSTATES', secretAccessKey: 'local-states-secret' },
  /** Whoever stands the stack up (docs/infra.md steps 1–2) and the tests' own checks. */
  operator: S3RVER_CREDENTIALS,
} as const satisfies Record<Principal, { accessKeyId: string; secretAccessKey: string }>;

const principalOf = (accessKeyId: string | undefined): string =>
  (Object.entries(LOCAL_CREDENTIALS).find(([, c]) => c.accessKeyId === accessKeyId)?.[0] as Principal | undefined) ??
  `unknown key ${String(accessKeyId)}`;

/** One IAM check the local cloud saw: who, which action on which resource, and the request's condition keys. */
export interface CloudAccess extends IamRequest {
  principal: string;
  /** The API call it came from (`s3 PUT /bucket/key`, `codedeploy GetDeployment`, …). */
  call: string;
}

export interface LocalCloudOptions {
  /** Directory for instances and agents; default a new temporary directory (removed by close()). */
  root?: string;
  /** Wait states and retry intervals of the state machine last `seconds × timeScale`. Default 0.1. */
  timeScale?: number;
}

export interface StackOptions {
  appName: string;
  group: string;
  bucket: string;
  /** The push action's prefix (default ions). */
  prefix?: string;
  instances: number;
  /** The hooks' environment on every instance (what /etc/ion/ion.env holds on EC2). */
  instanceEnv?: Record<string, string>;
  /**
   * The template's AutoRollback: redeploy the last good revision when a deployment fails. Default off
   * here (the template's default is on): a failed deploy is rolled back only where a test or the demo asks.
   */
  autoRollback?: boolean;
}

export interface LocalStack {
  appName: string;
  group: string;
  bucket: string;
  prefix: string;
  stateMachineArn: string;
  deploymentGroup: LocalDeploymentGroup;
}

export interface LocalCloud {
  root: string;
  s3: S3Server;
  codedeploy: LocalCodeDeploy;
  sfn: LocalStepFunctions;
  lambda: LocalLambda;
  createStack(options: StackOptions): Promise<LocalStack>;
  /** AWS_ENDPOINT_URL_* for S3, CodeDeploy and Step Functions, region and the workflow's credentials. */
  awsEnv(): Record<string, string>;
  /** Every IAM check of every AWS call so far, by principal. */
  accessLog(): CloudAccess[];
  close(): Promise<void>;
}

const lowerFirst = (k: string) => k[0]!.toLowerCase() + k.slice(1);
const upperFirst = (k: string) => k[0]!.toUpperCase() + k.slice(1);

/**
 * Step Functions' AWS SDK integrations name parameters and results in PascalCase (`DeploymentGroupName`,
 * `DeploymentInfo.Status`); the CodeDeploy API uses camelCase. CodeDeploy's shapes hold no free-form
 * maps, so renaming every key is exact (`ETag` ↔ `eTag`; deploymentOverview's keys are already capitalised).
 */
function renameKeys(value: unknown, rename: (k: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => renameKeys(v, rename));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [rename(k), renameKeys(v, rename)]));
}

/** What an `aws-sdk:*` task's failure looks like: `<Service>.<Exception>`, and a cause as the SDK words it. */
const sdkError = (service: string, code: string, message: string, status: number) =>
  new StatesError(`${service}.${code}`, `${message} (Service: ${service}, Status Code: ${status}, Request ID: ${randomUUID()})`);

export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const ownRoot = options.root === undefined;
  const root = options.root ?? mkdtempSync(join(tmpdir(), 'ion-local-cloud-'));
  const s3 = await startS3Server({ keys: Object.values(LOCAL_CREDENTIALS), recordAccess: true });
  // Lambda reads a function's code from S3 with the caller's (the state machine's) permissions.
  const lambda = new LocalLambda(() => s3.client(LOCAL_CREDENTIALS['state-machine']), REGION, ACCOUNT);
  /** The state machine's calls, made in-process (they never cross HTTP). */
  const stateMachineAccess: CloudAccess[] = [];
  let codedeploy: LocalCodeDeploy | undefined;
  let sfn: LocalStepFunctions | undefined;
  try {
    codedeploy = await startLocalCodeDeploy({
      root,
      s3: () => s3.client(LOCAL_CREDENTIALS.instance),
      s3Endpoint: s3.endpoint,
      region: REGION,
      account: ACCOUNT,
    });
    const cd = codedeploy;
    const integrations: TaskHandler = async ({ resource, params }) => {
      const { resourceType, resource: action } = splitResource(resource);
      if (resourceType === 'aws-sdk:codedeploy') {
        const operation = upperFirst(action);
        const handler = Object.hasOwn(cd.handlers, operation) ? cd.handlers[operation] : undefined;
        // What the SDK integration would fail with for an action CodeDeploy does not have.
        if (!handler)
          throw sdkError(
            'CodeDeploy',
            'UnknownOperationException',
            `codedeploy:${action} is not an operation of the local CodeDeploy (local-cloud/codedeploy.ts)`,
            400,
          );
        const input = renameKeys(params, lowerFirst);
        for (const check of authorizationsOf(cd.authorize[operation]!, input))
          stateMachineAccess.push({ principal: 'state-machine', call: `codedeploy ${operation}`, ...check });
        try {
          return renameKeys(await handler(input, { operation, input, at: Date.now() }), upperFirst) as Json;
        } catch (err) {
          if (err instanceof AwsServiceError) throw sdkError('CodeDeploy', err.code, err.message, err.status);
          throw err;
        }
      }
      if (resourceType === 'aws-sdk:lambda') {
        for (const check of lambdaAuthorizations(action, params as Record<string, unknown>))
          stateMachineAccess.push({ principal: 'state-machine', call: `lambda ${action}`, ...check });
        try {
          return (await lambda.call(action, params as Record<string, unknown>)) as Json;
        } catch (err) {
          if (err instanceof LambdaError)
            throw sdkError('Lambda', err.code, err.message, err.code === 'ResourceNotFoundException' ? 404 : 400);
          throw err;
        }
      }
      throw new Error(`${resource}: the local cloud integrates aws-sdk:codedeploy and aws-sdk:lambda only`);
    };
    sfn = await startLocalStepFunctions({ region: REGION, account: ACCOUNT, timeScale: options.timeScale ?? 0.1, integrations });
  } catch (err) {
    await Promise.all([s3.close(), codedeploy?.close()]);
    throw err;
  }

  const cloud: LocalCloud = {
    root,
    s3,
    codedeploy,
    sfn,
    lambda,
    async createStack(o) {
      const prefix = (o.prefix ?? 'ions').replace(/^\/+|\/+$/g, '');
      await s3.createBucket(o.bucket);
      cloud.codedeploy.createApplication(o.appName);
      // The hooks sign with the instance profile's credentials (the agent's own downloads too, see above).
      const instanceCredentials = {
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.instance.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.instance.secretAccessKey,
      };
      const deploymentGroup = cloud.codedeploy.createDeploymentGroup(o.appName, o.group, {
        instances: o.instances,
        env: { ...instanceCredentials, ...o.instanceEnv },
        autoRollback: o.autoRollback ? AUTO_ROLLBACK_ON : AUTO_ROLLBACK_OFF,
      });
      // docs/infra.md step 2: the proxy code the state machine creates the Lambda proxies from.
      const proxyKey = `${prefix}/lambda-proxy/index.zip`;
      const client = s3.client();
      await client.send(new PutObjectCommand({ Bucket: o.bucket, Key: proxyKey, Body: await zipProxy() }));
      client.destroy();
      const definition = substitute(readFileSync(join(REPO_ROOT, 'infra', 'state-machine.asl.json'), 'utf8'), {
        AppName: o.appName,
        GroupName: o.group,
        ProxyRoleArn: `arn:aws:iam::${ACCOUNT}:role/ion-${o.appName}-${o.group}-proxy`,
        ProxyRuntime: 'nodejs22.x',
        ProxyCodeBucket: o.bucket,
        ProxyCodeKey: proxyKey,
        // Where the proxies would forward to; nothing listens there locally (proxies are not invoked).
        AppEndpoint: 'http://127.0.0.1:8182',
        // No VPC.
        ProxySubnetIds: '',
        ProxySecurityGroupIds: '',
      });
      const machine = cloud.sfn.createStateMachine({ name: `ion-${o.appName}-${o.group}`, definition });
      return { appName: o.appName, group: o.group, bucket: o.bucket, prefix, stateMachineArn: machine.stateMachineArn, deploymentGroup };
    },
    awsEnv() {
      return {
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        AWS_ENDPOINT_URL_CODEDEPLOY: cloud.codedeploy.url,
        AWS_ENDPOINT_URL_SFN: cloud.sfn.url,
        AWS_REGION: REGION,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.workflow.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.workflow.secretAccessKey,
        // Keep the developer's own AWS configuration and the instance metadata service out of it.
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
        AWS_CONFIG_FILE: '/nonexistent',
        AWS_EC2_METADATA_DISABLED: 'true',
      };
    },
    accessLog() {
      const fromS3 = s3
        .accessLog()
        .flatMap((r) => r.authorizations.map((a) => ({ principal: principalOf(r.accessKeyId), call: `s3 ${r.method} ${r.url}`, ...a })));
      const fromJson = (service: string, calls: RecordedCall[]) =>
        calls.flatMap((c) =>
          (c.authorizations ?? [{ action: `${service}:${c.operation}`, resource: 'unknown: not recorded' }]).map((a) => ({
            principal: principalOf(c.accessKeyId),
            call: `${service} ${c.operation}`,
            ...a,
          })),
        );
      return [...fromS3, ...fromJson('codedeploy', cloud.codedeploy.calls), ...fromJson('states', cloud.sfn.calls), ...stateMachineAccess];
    },
    async close() {
      // Let running executions and deployments notice, then stop the servers.
      for (const e of cloud.sfn.executions.values()) e.abort.abort();
      for (const d of cloud.codedeploy.deployments.values()) d.stopRequested = true;
      await Promise.all([...cloud.codedeploy.deployments.values()].map((d) => d.done));
      await Promise.all([s3.close(), cloud.codedeploy.close(), cloud.sfn.close()]);
      if (ownRoot) rmSync(root, { recursive: true, force: true });
    },
  };
  return cloud;
}

/**
 * What IAM checks for the state machine's `aws-sdk:lambda:<action>` call (Service Authorization
 * Reference, "AWS Lambda"): the action on the function; passing a role (`Role`) also needs
 * iam:PassRole on it, to Lambda; tags given at creation also need lambda:TagResource.
 */
function lambdaAuthorizations(action: string, params: Record<string, unknown>): IamRequest[] {
  const functionArn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${String(params.FunctionName)}`;
  const checks: IamRequest[] = [{ action: `lambda:${upperFirst(action)}`, resource: functionArn }];
  if (typeof params.Role === 'string')
    checks.push({ action: 'iam:PassRole', resource: params.Role, context: { 'iam:PassedToService': 'lambda.amazonaws.com' } });
  if (action === 'createFunction' && params.Tags && Object.keys(params.Tags).length > 0)
    checks.push({ action: 'lambda:TagResource', resource: functionArn });
  return checks;
}

/** infra/lambda-proxy/index.mjs zipped as docs/infra.md step 2 does (`zip -X index.zip index.mjs`). */
function zipProxy(): Promise<Buffer> {
  return zipFiles([{ name: 'index.mjs', data: readFileSync(join(REPO_ROOT, 'infra', 'lambda-proxy', 'index.mjs')) }]);
}
