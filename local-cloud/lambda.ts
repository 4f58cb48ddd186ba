/**
 * A local Lambda function registry: what the state machine's `aws-sdk:lambda:*` tasks do to the Lambda
 * proxies (get, create, update code and configuration, reserved concurrency), called in-process by the
 * local Step Functions. Nothing is invoked: the proxies are registered so the demo and the end-to-end
 * test can see what a deploy ensured. Errors carry Lambda's names (`ResourceNotFoundException`, …),
 * which the Step Functions integration turns into `Lambda.<name>`.
 */
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export interface LocalFunction {
  FunctionName: string;
  FunctionArn: string;
  Runtime: string;
  Role: string;
  Handler: string;
  Description: string;
  Timeout: number;
  MemorySize: number;
  Environment: { Variables: Record<string, string> };
  VpcConfig: { SubnetIds: string[]; SecurityGroupIds: string[] };
  Tags: Record<string, string>;
  Code: { S3Bucket: string; S3Key: string };
  ReservedConcurrentExecutions: number | null;
  LastModified: string;
  /** How many times the code was (re)loaded from S3. */
  codeUpdates: number;
}

export class LambdaError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Params = Record<string, any>;

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;

export class LocalLambda {
  readonly functions = new Map<string, LocalFunction>();

  constructor(
    private readonly s3: () => S3Client,
    private readonly region = 'us-east-1',
    private readonly account = '123456789012',
  ) {}

  /** The operation named like the SDK integration's action (`getFunction`, …), with Lambda's PascalCase parameters. */
  async call(action: string, p: Params): Promise<Record<string, unknown>> {
    switch (action) {
      case 'getFunction': {
        const f = this.get(p.FunctionName);
        return {
          Configuration: this.configuration(f),
          Code: { RepositoryType: 'S3', Location: `s3://${f.Code.S3Bucket}/${f.Code.S3Key}` },
          Tags: f.Tags,
        };
      }
      case 'createFunction': {
        const name = String(p.FunctionName ?? '');
        if (!FUNCTION_NAME.test(name))
          throw new LambdaError(
            'InvalidParameterValueException',
            `Function name ${name} is not 1-64 letters, digits, hyphens or underscores.`,
          );
        if (this.functions.has(name)) throw new LambdaError('ResourceConflictException', `Function already exist: ${name}`);
        if (!ROLE_ARN.test(String(p.Role ?? '')))
          throw new LambdaError(
            'InvalidParameterValueException',
            `The role defined for the function cannot be assumed by Lambda: ${String(p.Role)}`,
          );
        await this.checkCode(p.Code?.S3Bucket, p.Code?.S3Key);
        const f: LocalFunction = {
          FunctionName: name,
          FunctionArn: `arn:aws:lambda:${this.region}:${this.account}:function:${name}`,
          Runtime: String(p.Runtime),
          Role: String(p.Role),
          Handler: String(p.Handler),
          Description: String(p.Description ?? ''),
          Timeout: Number(p.Timeout ?? 3),
          MemorySize: Number(p.MemorySize ?? 128),
          Environment: { Variables: { ...(p.Environment?.Variables ?? {}) } },
          VpcConfig: { SubnetIds: [...(p.VpcConfig?.SubnetIds ?? [])], SecurityGroupIds: [...(p.VpcConfig?.SecurityGroupIds ?? [])] },
          Tags: { ...(p.Tags ?? {}) },
          Code: { S3Bucket: p.Code.S3Bucket, S3Key: p.Code.S3Key },
          ReservedConcurrentExecutions: null,
          LastModified: new Date().toISOString(),
          codeUpdates: 1,
        };
        this.functions.set(name, f);
        return { ...this.configuration(f), State: 'Pending' };
      }
      case 'updateFunctionCode': {
        const f = this.get(p.FunctionName);
        await this.checkCode(p.S3Bucket, p.S3Key);
        Object.assign(f, {
          Code: { S3Bucket: p.S3Bucket, S3Key: p.S3Key },
          LastModified: new Date().toISOString(),
          codeUpdates: f.codeUpdates + 1,
        });
        return this.configuration(f);
      }
      case 'updateFunctionConfiguration': {
        const f = this.get(p.FunctionName);
        for (const key of ['Role', 'Runtime', 'Handler', 'Description'] as const) if (p[key] !== undefined) f[key] = String(p[key]);
        if (p.Timeout !== undefined) f.Timeout = Number(p.Timeout);
        if (p.MemorySize !== undefined) f.MemorySize = Number(p.MemorySize);
        if (p.Environment?.Variables) f.Environment = { Variables: { ...p.Environment.Variables } };
        if (p.VpcConfig)
          f.VpcConfig = { SubnetIds: [...(p.VpcConfig.SubnetIds ?? [])], SecurityGroupIds: [...(p.VpcConfig.SecurityGroupIds ?? [])] };
        f.LastModified = new Date().toISOString();
        return this.configuration(f);
      }
      case 'putFunctionConcurrency': {
        const f = this.get(p.FunctionName);
        f.ReservedConcurrentExecutions = Number(p.ReservedConcurrentExecutions);
        return { ReservedConcurrentExecutions: f.ReservedConcurrentExecutions };
      }
      case 'deleteFunctionConcurrency':
        this.get(p.FunctionName).ReservedConcurrentExecutions = null;
        return {};
      default:
        throw new LambdaError('UnsupportedOperation', `lambda:${action} is not implemented by the local cloud (local-cloud/lambda.ts)`);
    }
  }

  private get(name: unknown): LocalFunction {
    const f = this.functions.get(String(name));
    if (!f)
      throw new LambdaError(
        'ResourceNotFoundException',
        `Function not found: arn:aws:lambda:${this.region}:${this.account}:function:${String(name)}`,
      );
    return f;
  }

  /** Lambda loads the code from S3 when the function is created or its code updated: a missing zip fails there. */
  private async checkCode(bucket: unknown, key: unknown): Promise<void> {
    const client = this.s3();
    try {
      await client.send(new HeadObjectCommand({ Bucket: String(bucket), Key: String(key) }));
    } catch {
      throw new LambdaError(
        'InvalidParameterValueException',
        `Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist. (s3://${String(bucket)}/${String(key)}: upload the proxy code there, docs/infra.md step 2)`,
      );
    } finally {
      client.destroy();
    }
  }

  private configuration(f: LocalFunction): Record<string, unknown> {
    const { Code: _code, Tags: _tags, ReservedConcurrentExecutions: _rc, codeUpdates: _n, ...config } = f;
    return { ...config, State: 'Active', LastUpdateStatus: 'Successful', PackageType: 'Zip' };
  }
}
