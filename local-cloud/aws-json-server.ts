import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Operation, type SdkService, type ShapeProblem, sdkService, sdkServiceForTarget, shapeValidator } from './sdk-models.js';

/**
 * A local HTTP server speaking the AWS JSON protocol (awsJson1.0 / 1.1): requests are POSTs with an
 * `X-Amz-Target: <prefix>.<Operation>` header and a JSON body; errors are JSON bodies with `__type`.
 * Real SDK v3 clients talk to it over HTTP, so signing, retries, paging and error parsing are exercised.
 *
 * Every request is checked against the service's model (the SDK v3 client's, sdk-models.ts) before
 * a handler sees it, and answered as AWS's JSON services answer (see `requestError`): an operation
 * the model lacks, a member of the wrong JSON type, a missing required member, a value outside a
 * model enum, or a member the model does not have. So a caller that real AWS would refuse is refused
 * here too, and a handler can trust its input's shape. Responses are checked against the output
 * shape too (`responseProblems`): a member the model lacks is a bug in the fake.
 */
export type Handler = (input: any, call: RecordedCall) => unknown | Promise<unknown>;

export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** One IAM check a call needs: the action, the resource ARN it touches, and condition keys the service sets. */
export interface IamRequest {
  action: string;
  resource: string;
  context?: Record<string, string>;
}

/** What IAM checks for one operation, given its input (as the Service Authorization Reference lists it). */
export type Authorizer = (input: any) => IamRequest[];

export interface RecordedCall {
  operation: string;
  input: any;
  at: number;
  /** The access key id the request was signed with (who called). */
  accessKeyId?: string;
  /** What IAM would have checked (servers given `authorize`); a resource that cannot be known says why. */
  authorizations?: IamRequest[];
}

/** The access key id in a SigV4 `Authorization` header (`Credential=<id>/<date>/…`). */
export const accessKeyIdOf = (authorization: string): string | undefined => /Credential=([^/,\s]+)\//.exec(authorization)?.[1];

export interface AwsJsonServerOptions {
  /** e.g. `CodeDeploy_20141006` or `AWSStepFunctions`. */
  targetPrefix: string;
  /**
   * The SDK client (`codedeploy`, `sfn`) whose model requests are checked against; by default the
   * installed `@aws-sdk/client-*` whose clients send this target prefix.
   */
  model?: string;
  protocol: '1.0' | '1.1';
  handlers: Record<string, Handler>;
  /** Per operation, what IAM checks; recorded with each call (the least-privilege test reads it). */
  authorize?: Record<string, Authorizer>;
}

export interface AwsJsonServer {
  url: string;
  calls: RecordedCall[];
  /** The model requests and responses are checked against. */
  model: SdkService;
  /** Responses a handler gave that do not fit the operation's output shape (`GetDeployment: deploymentInfo.foo …`): bugs in the fake. */
  responseProblems: string[];
  /** The next `count` calls (optionally only of `operation`) fail with this error instead of being handled. */
  injectFault(fault: { operation?: string; count: number; error: AwsServiceError }): void;
  close(): Promise<void>;
}

export async function startAwsJsonServer(options: AwsJsonServerOptions): Promise<AwsJsonServer> {
  const model = modelOf(options);
  const calls: RecordedCall[] = [];
  const responseProblems: string[] = [];
  const faults: { operation?: string; count: number; error: AwsServiceError }[] = [];
  const contentType = `application/x-amz-json-${options.protocol}`;

  const sendError = (res: ServerResponse, err: AwsServiceError) => {
    res.writeHead(err.status, { 'content-type': contentType, 'x-amzn-errortype': err.code });
    res.end(JSON.stringify({ __type: err.code, message: err.message }));
  };

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    const [prefix, operation] = target.split('.');
    if (req.method !== 'POST' || prefix !== options.targetPrefix || !operation) {
      return sendError(res, new AwsServiceError('UnknownOperationException', `unexpected target ${target}`));
    }
    if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
      return sendError(res, new AwsServiceError('MissingAuthenticationTokenException', 'request is not signed', 403));
    }
    let input: any;
    try {
      input = body.length ? JSON.parse(body) : {};
    } catch {
      return sendError(res, new AwsServiceError('SerializationException', 'body is not JSON'));
    }
    const modelled = model.operation(operation);
    // What AWS answers an operation it does not have (awsJson protocols): 400 UnknownOperationException.
    if (!modelled)
      return sendError(
        res,
        new AwsServiceError('UnknownOperationException', `${operation} is not an operation of ${options.targetPrefix}`),
      );
    // Own properties only: `toString` or `constructor` is no operation either.
    const handler = Object.hasOwn(options.handlers, operation) ? options.handlers[operation] : undefined;
    // An operation of the service that this local one does not implement: answered as AWS answers an unknown one.
    if (!handler)
      return sendError(
        res,
        new AwsServiceError(
          'UnknownOperationException',
          `${operation} is an operation of ${options.targetPrefix} that this local service does not implement`,
        ),
      );
    // Checked after the lookup (an operation this local service lacks is answered as one AWS lacks) and
    // before the call is recorded: a refused request reaches neither the fake nor the access log.
    const refusal = requestError(modelled, input);
    if (refusal) return sendError(res, refusal);
    const call: RecordedCall = { operation, input, at: Date.now(), accessKeyId: accessKeyIdOf(String(req.headers.authorization)) };
    const authorize = options.authorize?.[operation];
    if (authorize) call.authorizations = authorizationsOf(authorize, input);
    calls.push(call);
    const faultIndex = faults.findIndex((f) => f.count > 0 && (!f.operation || f.operation === operation));
    if (faultIndex >= 0) {
      const fault = faults[faultIndex]!;
      fault.count -= 1;
      return sendError(res, fault.error);
    }
    try {
      const output = (await handler(input, call)) ?? {};
      for (const p of responseOverModel(modelled, output)) responseProblems.push(`${operation}: ${p}`);
      res.writeHead(200, { 'content-type': contentType });
      res.end(JSON.stringify(output));
    } catch (err) {
      if (err instanceof AwsServiceError) return sendError(res, err);
      sendError(res, new AwsServiceError('InternalFailure', String(err), 500));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    model,
    responseProblems,
    injectFault: (fault) => faults.push({ ...fault }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function modelOf(options: AwsJsonServerOptions): SdkService {
  if (options.model) return sdkService(options.model);
  const found = sdkServiceForTarget(options.targetPrefix);
  if (!found)
    throw new Error(
      `no installed @aws-sdk/client-* sends X-Amz-Target ${options.targetPrefix}: install the service's SDK v3 client, or name it in the server's model option`,
    );
  return found;
}

/**
 * What AWS's JSON services (CodeDeploy, Step Functions) answer a request that does not fit the
 * operation's input, or undefined when it fits. They share one request framework (error types
 * `com.amazon.coral.service#SerializationException`, `com.amazon.coral.validate#ValidationException`);
 * the wording below is that framework's, as DynamoDB shows it (and its emulator dynalite reproduces).
 * They read the body first, then validate it:
 * - a member of the wrong JSON type fails reading: `SerializationException` with the reader's words
 *   (`STRING_VALUE cannot be converted to …`), the first one only; the path is added here;
 * - then every missing required member and every value outside an enum, in one
 *   `ValidationException`: `2 validation errors detected: Value null at 'deploymentId' failed to
 *   satisfy constraint: Member must not be null; …`.
 * Deliberately stricter than AWS: those services ignore a member their model lacks, and a request
 * with a misspelt member succeeds there without doing what was meant; here it is a
 * ValidationException naming the member, so the mistake shows in a test instead.
 * Where a service has its own error for a case (CodeDeploy's `DeploymentIdRequiredException`,
 * `InvalidDeploymentIdException`) the model does not say which case raises it, so the generic
 * error is answered; the fakes raise the specific ones where they check values themselves.
 */
export function requestError(operation: Operation, input: unknown): AwsServiceError | undefined {
  const problems = shapeValidator(operation.input)(input);
  if (problems.length === 0) return undefined;
  const typeError = problems.find((p) => p.kind === 'wrong-type');
  if (typeError?.kind === 'wrong-type') return new AwsServiceError('SerializationException', serializationMessage(typeError));
  const messages = problems.map(validationMessage);
  return new AwsServiceError(
    'ValidationException',
    `${messages.length} validation error${messages.length === 1 ? '' : 's'} detected: ${messages.join('; ')}`,
  );
}

const READER_TYPE: Record<string, string> = {
  string: 'String',
  blob: 'ByteBuffer',
  number: 'Number',
  boolean: 'Boolean',
  timestamp: 'Date',
};

function serializationMessage(p: Extract<ShapeProblem, { kind: 'wrong-type' }>): string {
  const where = `at '${p.path || '(the body)'}'`;
  if (p.got === 'object') return `Start of structure or map found where not expected ${where} (${p.expected} expected)`;
  if (p.got === 'list') return `Start of list found where not expected ${where} (${p.expected} expected)`;
  const token =
    p.got === 'boolean'
      ? p.value
        ? 'TRUE_VALUE'
        : 'FALSE_VALUE'
      : p.got === 'number'
        ? Number.isInteger(p.value)
          ? 'NUMBER_VALUE'
          : 'DECIMAL_VALUE'
        : 'STRING_VALUE';
  return `${token} cannot be converted to ${READER_TYPE[p.expected] ?? p.expected} ${where}`;
}

function validationMessage(p: ShapeProblem): string {
  switch (p.kind) {
    case 'missing-required':
      return `Value null at '${p.path}' failed to satisfy constraint: Member must not be null`;
    case 'not-in-enum':
      return `Value '${p.value}' at '${p.path}' failed to satisfy constraint: Member must satisfy enum value set: [${p.allowed.join(', ')}]`;
    case 'unknown-member':
      return `Member '${p.path}' is not a member of ${p.structure} (AWS would ignore it; the local cloud refuses it, so a misspelt member is caught)`;
    case 'wrong-type':
      return serializationMessage(p);
  }
}

/**
 * A response checked against the output shape: members the model lacks, wrong JSON types, values
 * outside an enum (a status AWS never sends). Missing members are fine: AWS omits what it has not.
 */
function responseOverModel(operation: Operation, output: unknown): string[] {
  return shapeValidator(operation.output)(output)
    .filter((p) => p.kind !== 'missing-required')
    .map((p) =>
      p.kind === 'unknown-member'
        ? `${p.path} is not a member of ${p.structure}`
        : p.kind === 'wrong-type'
          ? `${p.path} is ${p.got}, the model says ${p.expected}`
          : validationMessage(p),
    );
}

/** The checks for one call; when the resource cannot be told (an unknown id), one entry saying so, which no policy grants. */
export function authorizationsOf(authorize: Authorizer, input: unknown): IamRequest[] {
  try {
    return authorize(input);
  } catch (err) {
    return [{ action: 'unknown', resource: `unknown: ${(err as Error).message}` }];
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
