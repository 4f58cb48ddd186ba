/**
 * infra/lambda-proxy/index.mjs against a local HTTP server standing in for the application on the
 * cluster: what it sends (the wire protocol in docs/infra.md) and how it maps the answers back.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { makeHandler, type ApiGatewayProxyResult, type LambdaContext } from '../../infra/lambda-proxy/index.mjs';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

let server: Server;
let endpoint: string;
let received: Received[] = [];
let respond: (req: Received, res: ServerResponse) => void = (_req, res) => res.end('unset');

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) };
      received.push(r);
      respond(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

/** A loopback port nothing listens on (fetch refuses well-known ports such as 1 outright). */
async function closedPort(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const context: LambdaContext = {
  awsRequestId: 'req-1',
  functionName: 'prod_hello',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:prod_hello',
  getRemainingTimeInMillis: () => 5000,
};

const envFor = (lambda: object, overrides: Record<string, string | undefined> = {}) => ({
  ION_ENDPOINT: endpoint,
  ION_APP: 'my-app',
  ION_GROUP: 'prod',
  ION_LAMBDA_JSON: JSON.stringify(lambda),
  ...overrides,
});
const plain = { name: 'hello', fn: 'my.app/hello', integration: null, functionName: 'prod_hello' };
const web = { name: 'web', fn: 'my.app/web', integration: 'api-gateway/proxy', functionName: 'prod_web' };

const reset = (fn: typeof respond) => {
  received = [];
  respond = fn;
};

describe('plain lambdas', () => {
  test('POST the event as {input, context} with the x-ion headers; a JSON answer comes back parsed', async () => {
    reset((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"greeting":"hello world"}');
    });
    const result = await makeHandler(envFor(plain))({ name: 'world' }, context);
    expect(result).toEqual({ greeting: 'hello world' });
    const [req] = received;
    expect(req!.method).toBe('POST');
    expect(req!.url).toBe('/');
    expect(req!.headers).toMatchObject({
      'content-type': 'application/json',
      'x-ion-app': 'my-app',
      'x-ion-group': 'prod',
      'x-ion-fn': 'my.app/hello',
      'x-ion-lambda': 'hello',
      'x-ion-integration': 'none',
      'x-ion-request-id': 'req-1',
    });
    const body = JSON.parse(req!.body.toString());
    // :input is the event as JSON text, as an Ion lambda fn receives it.
    expect(body.input).toBe('{"name":"world"}');
    expect(body.context).toMatchObject({
      awsRequestId: 'req-1',
      functionName: 'prod_hello',
      invokedFunctionArn: context.invokedFunctionArn,
    });
    expect(body.context.deadlineMs).toBeGreaterThan(Date.now());
  });

  test('a text answer that is not JSON comes back as the string', async () => {
    reset((_req, res) => res.end('hello world'));
    await expect(makeHandler(envFor(plain))('world', context)).resolves.toBe('hello world');
  });

  test('a text answer that is JSON text is the payload, as with Ions: it comes back as that value', async () => {
    reset((_req, res) => {
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end('{"message":"hi"}');
    });
    await expect(makeHandler(envFor(plain))('world', context)).resolves.toEqual({ message: 'hi' });
  });

  test('an error answer fails the invocation with its status and body', async () => {
    reset((_req, res) => {
      res.statusCode = 500;
      res.end('java.lang.ArithmeticException: Divide by zero');
    });
    await expect(makeHandler(envFor(plain))({}, context)).rejects.toThrow(
      'my.app/hello failed on the cluster: HTTP 500: java.lang.ArithmeticException: Divide by zero',
    );
  });

  test('an unreachable application fails with what to check', async () => {
    const down = await closedPort();
    await expect(makeHandler(envFor(plain, { ION_ENDPOINT: down }))({}, context)).rejects.toThrow(
      `my.app/hello: could not reach the application at ${down}/ (ECONNREFUSED: connect ECONNREFUSED ${down.slice(7)}). ` +
        'Check that the application is running on the cluster, and that this function’s VPC subnets and security group can reach ION_ENDPOINT.',
    );
  });

  test('an application slower than the Lambda time left fails before Lambda kills the proxy', async () => {
    reset(() => undefined); // never answers
    const short = { ...context, getRemainingTimeInMillis: () => 1300 };
    await expect(makeHandler(envFor(plain))({}, short)).rejects.toThrow(/no answer within 300 ms/);
  });

  test('missing configuration says how to fix it', async () => {
    await expect(makeHandler(envFor(plain, { ION_ENDPOINT: undefined }))({}, context)).rejects.toThrow(
      /ION_ENDPOINT is not set: set the AppEndpoint parameter/,
    );
  });
});

describe(':integration :api-gateway/proxy', () => {
  test('REST API (1.0) event: method, path, query, headers and base64 body reach the application', async () => {
    reset((_req, res) => {
      res.statusCode = 201;
      res.setHeader('content-type', 'application/json');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.end('{"ok":true}');
    });
    const event = {
      httpMethod: 'POST',
      path: '/items/42',
      multiValueQueryStringParameters: { tag: ['x', 'y'], q: ['a b'] },
      queryStringParameters: { tag: 'y', q: 'a b' },
      multiValueHeaders: { 'Content-Type': ['application/octet-stream'], 'X-Custom': ['1'], Host: ['api.example.com'] },
      headers: { 'Content-Type': 'application/octet-stream', 'X-Custom': '1', Host: 'api.example.com' },
      body: Buffer.from([0, 1, 2, 255]).toString('base64'),
      isBase64Encoded: true,
      requestContext: { identity: { sourceIp: '203.0.113.9' } },
    };
    const result = (await makeHandler(envFor(web, { ION_ENDPOINT: `${endpoint}/base/` }))(event, context)) as ApiGatewayProxyResult;
    const [req] = received;
    expect(req!.method).toBe('POST');
    expect(req!.url).toBe('/base/items/42?tag=x&tag=y&q=a+b');
    expect(req!.body.equals(Buffer.from([0, 1, 2, 255]))).toBe(true);
    expect(req!.headers).toMatchObject({
      'content-type': 'application/octet-stream',
      'x-custom': '1',
      'x-ion-fn': 'my.app/web',
      'x-ion-integration': 'api-gateway/proxy',
      'x-forwarded-for': '203.0.113.9',
      'x-ion-source-ip': '203.0.113.9',
    });
    expect(req!.headers.host).toBe(new URL(endpoint).host); // not API Gateway's host
    expect(result).toMatchObject({ statusCode: 201, body: '{"ok":true}', isBase64Encoded: false });
    expect(result.headers['content-type']).toBe('application/json');
    expect(result.multiValueHeaders).toEqual({ 'set-cookie': ['a=1', 'b=2'] });
  });

  test('HTTP API (2.0) event; binary answers come back base64, compressed ones decoded', async () => {
    reset((req, res) => {
      if (req.url!.startsWith('/img')) {
        res.setHeader('content-type', 'image/png');
        res.end(Buffer.from([137, 80, 78, 71]));
      } else {
        res.setHeader('content-type', 'text/plain');
        res.setHeader('content-encoding', 'gzip');
        res.setHeader('set-cookie', 'session=abc');
        res.end(gzipSync('plain text'));
      }
    });
    const event = (rawPath: string) => ({
      version: '2.0',
      rawPath,
      rawQueryString: 'size=2',
      cookies: ['c1=v1', 'c2=v2'],
      headers: { accept: '*/*', 'accept-encoding': 'gzip' },
      requestContext: { http: { method: 'GET', sourceIp: '198.51.100.1' } },
      isBase64Encoded: false,
    });
    const handler = makeHandler(envFor(web));
    const img = (await handler(event('/img/logo.png'), context)) as ApiGatewayProxyResult;
    expect(received[0]!.url).toBe('/img/logo.png?size=2');
    expect(received[0]!.headers.cookie).toBe('c1=v1; c2=v2');
    expect(img).toMatchObject({ statusCode: 200, isBase64Encoded: true, body: Buffer.from([137, 80, 78, 71]).toString('base64') });

    const text = (await handler(event('/text'), context)) as ApiGatewayProxyResult;
    expect(text).toMatchObject({ statusCode: 200, isBase64Encoded: false, body: 'plain text', cookies: ['session=abc'] });
    expect(text.headers['content-encoding']).toBeUndefined();
  });

  describe("the caller's address", () => {
    const FORGED = '6.6.6.6';
    const ok = () => reset((_req, res) => res.end('ok'));

    test("REST API: x-ion-source-ip is API Gateway's sourceIp; the caller's own x-ion-* headers are dropped; X-Forwarded-For passes as sent", async () => {
      ok();
      const forged = {
        'X-Ion-Source-Ip': FORGED,
        'x-ion-fn': 'clojure.java.shell/sh',
        'X-Ion-Other': 'x',
        'X-Forwarded-For': `${FORGED}, 203.0.113.9`,
      };
      const event = {
        httpMethod: 'GET',
        path: '/',
        headers: forged,
        multiValueHeaders: Object.fromEntries(Object.entries(forged).map(([k, v]) => [k, [v]])),
        requestContext: { identity: { sourceIp: '203.0.113.9' } },
      };
      await makeHandler(envFor(web))(event, context);
      const h = received[0]!.headers;
      expect(h['x-ion-source-ip']).toBe('203.0.113.9');
      expect(h['x-ion-fn']).toBe('my.app/web');
      expect(h['x-ion-other']).toBeUndefined();
      expect(h['x-forwarded-for']).toBe(`${FORGED}, 203.0.113.9`);
    });

    test('HTTP API: x-ion-source-ip is requestContext.http.sourceIp, whatever the caller sent', async () => {
      ok();
      const event = {
        version: '2.0',
        rawPath: '/',
        headers: { 'x-ion-source-ip': FORGED, 'x-forwarded-for': FORGED },
        requestContext: { http: { method: 'GET', sourceIp: '198.51.100.1' } },
      };
      await makeHandler(envFor(web))(event, context);
      expect(received[0]!.headers['x-ion-source-ip']).toBe('198.51.100.1');
    });

    test("without a sourceIp in the event, no x-ion-source-ip at all (not the caller's)", async () => {
      ok();
      const event = { httpMethod: 'GET', path: '/', headers: { 'x-ion-source-ip': FORGED }, requestContext: {} };
      await makeHandler(envFor(web))(event, context);
      expect(received[0]!.headers['x-ion-source-ip']).toBeUndefined();
    });
  });

  test('an unreachable application answers 502 with what to check, instead of a bare Internal server error', async () => {
    const event = { httpMethod: 'GET', path: '/', headers: {} };
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const result = (await makeHandler(envFor(web, { ION_ENDPOINT: await closedPort() }))(event, context)) as ApiGatewayProxyResult;
    expect(logged).toHaveBeenCalledWith(result.body); // in the proxy's CloudWatch log too
    logged.mockRestore();
    expect(result.statusCode).toBe(502);
    expect(result.body).toMatch(/my\.app\/web: could not reach the application/);
  });
});
