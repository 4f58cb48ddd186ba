import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server speaking the AWS JSON protocol (awsJson1.0 / 1.1): requests are POSTs with an
 * `X-Amz-Target: <prefix>.<Operation>` header and a JSON body; errors are JSON bodies with `__type`.
 * Real SDK v3 clients talk to it over HTTP, so signing, retries, paging and error parsing are exercised.
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
  protocol: '1.0' | '1.1';
  handlers: Record<string, Handler>;
  /** Per operation, what IAM checks; recorded with each call (the least-privilege test reads it). */
  authorize?: Record<string, Authorizer>;
}

export interface AwsJsonServer {
  url: string;
  calls: RecordedCall[];
  /** The next `count` calls (optionally only of `operation`) fail with this error instead of being handled. */
  injectFault(fault: { operation?: string; count: number; error: AwsServiceError }): void;
  close(): Promise<void>;
}

export async function startAwsJsonServer(options: AwsJsonServerOptions): Promise<AwsJsonServer> {
  const calls: RecordedCall[] = [];
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
    // Own properties only: `toString` or `constructor` is no operation either.
    const handler = Object.hasOwn(options.handlers, operation) ? options.handlers[operation] : undefined;
    // What AWS answers an operation it does not have (awsJson protocols): 400 UnknownOperationException.
    if (!handler)
      return sendError(
        res,
        new AwsServiceError(
          'UnknownOperationException',
          `${operation} is not an operation of ${options.targetPrefix} here (or not implemented by this local service)`,
        ),
      );
    try {
      const output = (await handler(input, call)) ?? {};
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
    injectFault: (fault) => faults.push({ ...fault }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
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
