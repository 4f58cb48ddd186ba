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
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { zipFiles } from '../src/core/content/deterministic-zip.js';
import { AwsServiceError } from './aws-json-server.js';
import { startS3Server, S3RVER_CREDENTIALS, type S3Server } from './s3-server.js';
import { StatesError, substitute, splitResource, type Json, type TaskHandler } from './asl-interpreter.js';
import { startLocalCodeDeploy, type LocalCodeDeploy, type LocalDeploymentGroup } from './codedeploy.js';
import { LambdaError, LocalLambda } from './lambda.js';
import { startLocalStepFunctions, type LocalStepFunctions } from './step-functions.js';

export const REPO_ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

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
  /** AWS_ENDPOINT_URL_* for S3, CodeDeploy and Step Functions, region and the local credentials. */
  awsEnv(): Record<string, string>;
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
  const s3 = await startS3Server();
  const lambda = new LocalLambda(s3.client, REGION, ACCOUNT);
  let codedeploy: LocalCodeDeploy | undefined;
  let sfn: LocalStepFunctions | undefined;
  try {
    codedeploy = await startLocalCodeDeploy({ root, s3: s3.client, s3Endpoint: s3.endpoint });
    const cd = codedeploy;
    const integrations: TaskHandler = async ({ resource, params }) => {
      const { resourceType, resource: action } = splitResource(resource);
      if (resourceType === 'aws-sdk:codedeploy') {
        const operation = upperFirst(action);
        const handler = cd.handlers[operation];
        if (!handler) throw new Error(`codedeploy:${action} is not implemented by the local CodeDeploy (local-cloud/codedeploy.ts)`);
        const input = renameKeys(params, lowerFirst);
        try {
          return renameKeys(await handler(input, { operation, input, at: Date.now() }), upperFirst) as Json;
        } catch (err) {
          if (err instanceof AwsServiceError) throw sdkError('CodeDeploy', err.code, err.message, err.status);
          throw err;
        }
      }
      if (resourceType === 'aws-sdk:lambda') {
        try {
          return (await lambda.call(action, params as Record<string, unknown>)) as Json;
        } catch (err) {
          if (err instanceof LambdaError) throw sdkError('Lambda', err.code, err.message, err.code === 'ResourceNotFoundException' ? 404 : 400);
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
      const deploymentGroup = cloud.codedeploy.createDeploymentGroup(o.appName, o.group, { instances: o.instances, env: o.instanceEnv });
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
        AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
        // Keep the developer's own AWS configuration and the instance metadata service out of it.
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
        AWS_CONFIG_FILE: '/nonexistent',
        AWS_EC2_METADATA_DISABLED: 'true',
      };
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

/** infra/lambda-proxy/index.mjs zipped as docs/infra.md step 2 does (`zip -X index.zip index.mjs`). */
function zipProxy(): Promise<Buffer> {
  return zipFiles([{ name: 'index.mjs', data: readFileSync(join(REPO_ROOT, 'infra', 'lambda-proxy', 'index.mjs')) }]);
}
