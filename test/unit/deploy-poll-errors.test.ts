import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { classifyPollError } from '../../src/aws/poll-errors.js';

const sdkError = (name: string, status?: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), {
    name,
    ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }),
    ...extra,
  });
const nodeError = (code: string, message = `connect ${code}`) => Object.assign(new Error(message), { code });

test.each([
  ['ThrottlingException', sdkError('ThrottlingException', 400), 'throttled'],
  ['TooManyRequestsException', sdkError('TooManyRequestsException', 400), 'throttled'],
  ['HTTP 429', sdkError('Whatever', 429), 'throttled'],
  ['500', sdkError('InternalFailure', 500), 'transient'],
  ['503', sdkError('ServiceUnavailable', 503), 'transient'],
  ['507 (not in the SDK list)', sdkError('InsufficientStorage', 507), 'transient'],
  ['ECONNRESET', nodeError('ECONNRESET'), 'transient'],
  ['socket hang up', nodeError('ECONNRESET', 'socket hang up'), 'transient'],
  ['socket hang up without a code', new Error('socket hang up'), 'transient'],
  ['EHOSTUNREACH', nodeError('EHOSTUNREACH'), 'transient'],
  ['ENETUNREACH', nodeError('ENETUNREACH'), 'transient'],
  ['ECONNABORTED', nodeError('ECONNABORTED'), 'transient'],
  ['EPROTO', nodeError('EPROTO'), 'transient'],
  ['ECONNABORTED as a cause', Object.assign(new Error('request failed'), { cause: nodeError('ECONNABORTED') }), 'transient'],
  ['TimeoutError', sdkError('TimeoutError'), 'transient'],
  [
    'a garbled 200',
    sdkError('SyntaxError', 200, { message: 'Unexpected token < in JSON\n  Deserialization error: to see the raw response…' }),
    'transient',
  ],
  ['ExpiredToken', sdkError('ExpiredToken', 400), 'credentials-expired'],
  ['ExpiredTokenException', sdkError('ExpiredTokenException', 400), 'credentials-expired'],
  ['RequestExpired', sdkError('RequestExpired', 400), 'credentials-expired'],
  ['AccessDeniedException', sdkError('AccessDeniedException', 400), 'fatal'],
  ['ExecutionDoesNotExist', sdkError('ExecutionDoesNotExist', 400), 'fatal'],
  ['a bug of ours', new TypeError('x is undefined'), 'fatal'],
  ['a SyntaxError of ours (no response)', new SyntaxError('Unexpected token'), 'fatal'],
  ['not an error at all', 'a string', 'fatal'],
])('%s is %s', (_name, err, kind) => {
  expect(classifyPollError(err).kind).toBe(kind);
});

describe('answers the real SDK cannot parse', () => {
  let server: Server;
  let body = '';
  let client: SFNClient;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': body.startsWith('<') ? 'text/html' : 'application/x-amz-json-1.0' });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new SFNClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
  });

  afterAll(async () => {
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  test.each([
    ['a truncated 200', '{"events":[{"id":1,"timestamp":1.0,"ty'],
    ['an HTML 200', '<html><body>502 Bad Gateway</body></html>'],
  ])('%s: transient, described in one line', async (_name, answer) => {
    body = answer;
    const err = await client
      .send(new GetExecutionHistoryCommand({ executionArn: 'arn:aws:states:us-east-1:1:execution:m:n' }))
      .catch((e: unknown) => e);
    const failure = classifyPollError(err);
    expect(failure.kind).toBe('transient');
    expect(failure.description).toMatch(/^an answer that is not valid JSON \(HTTP 200\): [^\n]+$/);
  });
});
