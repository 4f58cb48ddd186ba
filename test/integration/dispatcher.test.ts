/**
 * infra/dispatcher (ion.dispatcher), the reference listener on the cluster side, behind the real
 * Lambda proxy (infra/lambda-proxy/index.mjs): one JVM runs examples/hello-ion on Debian's clojure
 * and data.json jars, and the proxy handler is invoked the way Lambda invokes it.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeHandler, type ApiGatewayProxyResult } from '../../infra/lambda-proxy/index.mjs';
import { lambdaContext, startDispatcher, type RunningDispatcher } from '../../local-cloud/dispatcher.js';

const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const JARS = ['/usr/share/java/clojure.jar', '/usr/share/java/data.json.jar'];

let dispatcher: RunningDispatcher | undefined;
let endpoint: string;

beforeAll(async () => {
  const missing = JARS.filter((jar) => !existsSync(jar));
  if (missing.length) throw new Error(`Needs Debian's clojure and libdata-json-clojure: ${missing.join(', ')} not found`);
  dispatcher = await startDispatcher([
    join(ROOT, 'examples', 'hello-ion', 'src'),
    join(ROOT, 'examples', 'hello-ion', 'resources'),
    ...JARS,
  ]);
  expect(dispatcher.output()).toContain('ion.dispatcher: hello-ion listening on 127.0.0.1:');
  endpoint = dispatcher.endpoint;
}, 240_000);

afterAll(async () => {
  await dispatcher?.stop(); // SIGTERM: the shutdown hook drains and stops the server
});

const context = lambdaContext('test_greet', 'req-1', 5000);

/** The environment the state machine gives a proxy for one :lambdas entry of hello-ion. */
const proxyFor = (name: string, fn: string, integration: 'api-gateway/proxy' | null = null) =>
  makeHandler({
    ION_ENDPOINT: endpoint,
    ION_APP: 'hello-ion',
    ION_GROUP: 'test',
    ION_LAMBDA_JSON: JSON.stringify({ name, fn, integration, functionName: `test_${name}` }),
  });

describe('plain lambda', () => {
  test('greet gets the event as :input and its string is the payload, as with Ions', async () => {
    const result = await proxyFor('greet', 'hello.core/greet')({ name: 'Ada' }, context);
    // An Ion lambda returns text (here JSON text), answered as text/plain; as with Ions, that text is
    // the Lambda's payload, so the caller gets the JSON value.
    expect(result).toEqual({ message: 'Hello, Ada!' });
  });

  test.each(['hello.core/greeting', 'clojure.java.shell/sh'])('%s is not a :lambdas fn: 403, the invocation fails', async (fn) => {
    await expect(proxyFor('sneaky', fn)({ name: 'Eve' }, context)).rejects.toThrow(
      `${fn} failed on the cluster: HTTP 403: ${fn} is not the :fn of a :lambdas entry with no :integration in datomic/ion-config.edn`,
    );
  });
});

describe(':integration :api-gateway/proxy', () => {
  const api = () => proxyFor('api', 'hello.web/handler', 'api-gateway/proxy');

  test('REST API (payload 1.0) event reaches the ring handler; its response comes back', async () => {
    const event = (path: string) => ({
      httpMethod: 'GET',
      path,
      multiValueQueryStringParameters: { name: ['Grace'] },
      queryStringParameters: { name: 'Grace' },
      headers: { Accept: 'application/json', Host: 'api.example.com' },
      multiValueHeaders: { Accept: ['application/json'], Host: ['api.example.com'] },
      body: null,
      isBase64Encoded: false,
      requestContext: { identity: { sourceIp: '203.0.113.9' } },
    });
    const ok = (await api()(event('/hello'), context)) as ApiGatewayProxyResult;
    expect(ok).toMatchObject({ statusCode: 200, isBase64Encoded: false });
    expect(ok.headers['content-type']).toBe('application/json');
    expect(JSON.parse(ok.body)).toEqual({ message: 'Hello, Grace!' });

    const missing = (await api()(event('/nope'), context)) as ApiGatewayProxyResult;
    expect(missing).toMatchObject({ statusCode: 404, body: 'not found', isBase64Encoded: false });
    expect(missing.headers['content-type']).toBe('text/plain');
  });

  test('HTTP API (payload 2.0) event', async () => {
    const event = {
      version: '2.0',
      rawPath: '/hello',
      rawQueryString: 'name=Linus',
      headers: { accept: 'application/json' },
      requestContext: { http: { method: 'GET', sourceIp: '198.51.100.1' } },
      isBase64Encoded: false,
    };
    const result = (await api()(event, context)) as ApiGatewayProxyResult;
    expect(result).toMatchObject({ statusCode: 200, isBase64Encoded: false });
    expect(result.headers['content-type']).toBe('application/json');
    expect(JSON.parse(result.body)).toEqual({ message: 'Hello, Linus!' });
  });

  test('a plain :lambdas fn is not callable as a web handler: API Gateway gets the 403', async () => {
    const event = { httpMethod: 'GET', path: '/hello', headers: {}, requestContext: {} };
    const result = (await proxyFor('api', 'hello.core/greet', 'api-gateway/proxy')(event, context)) as ApiGatewayProxyResult;
    expect(result.statusCode).toBe(403);
    expect(result.body).toMatch(/^hello\.core\/greet is not the :fn of a :lambdas entry with :integration :api-gateway\/proxy/);
  });
});

describe('without a Lambda proxy', () => {
  test('GET /health answers 200', async () => {
    const res = await fetch(`${endpoint}/health`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
  });

  test('other requests without x-ion-fn go to the :http-direct handler', async () => {
    const res = await fetch(`${endpoint}/hello?name=Direct`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ message: 'Hello, Direct!' });
  });

  test('an x-ion-fn without a known x-ion-integration is a 400 saying what was expected', async () => {
    const res = await fetch(endpoint, { method: 'POST', headers: { 'x-ion-fn': 'hello.core/greet' }, body: '{}' });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('expected x-ion-integration none or api-gateway/proxy, but there is none');
  });
});

describe("the caller's address (:remote-addr)", () => {
  // A second listener on a small app whose handler answers what it was told about the caller.
  let echo: RunningDispatcher | undefined;
  let app: string;
  const FORGED = '6.6.6.6';

  beforeAll(async () => {
    app = mkdtempSync(join(tmpdir(), 'ion-dispatcher-echo-'));
    mkdirSync(join(app, 'src', 'echo'), { recursive: true });
    mkdirSync(join(app, 'resources', 'datomic'), { recursive: true });
    writeFileSync(
      join(app, 'src', 'echo', 'web.clj'),
      `(ns echo.web (:require [clojure.data.json :as json]))
(defn handler [req]
  {:status 200 :headers {"content-type" "application/json"}
   :body (json/write-str {:remote-addr (:remote-addr req) :forwarded-for (get-in req [:headers "x-forwarded-for"]) :scheme (:scheme req)})})
`,
    );
    writeFileSync(
      join(app, 'resources', 'datomic', 'ion-config.edn'),
      '{:app-name "echo" :lambdas {:web {:fn echo.web/handler :integration :api-gateway/proxy}} :http-direct {:handler-fn echo.web/handler}}\n',
    );
    echo = await startDispatcher([join(app, 'src'), join(app, 'resources'), ...JARS]);
  }, 240_000);

  afterAll(async () => {
    await echo?.stop();
    if (app) rmSync(app, { recursive: true, force: true });
  });

  const web = () =>
    makeHandler({
      ION_ENDPOINT: echo!.endpoint,
      ION_APP: 'echo',
      ION_GROUP: 'test',
      ION_LAMBDA_JSON: JSON.stringify({ name: 'web', fn: 'echo.web/handler', integration: 'api-gateway/proxy', functionName: 'test_web' }),
    });
  const seen = async (event: object) =>
    JSON.parse(((await web()(event, context)) as ApiGatewayProxyResult).body) as {
      'remote-addr': string;
      'forwarded-for': string | null;
      scheme: string;
    };

  test('REST API: the source IP API Gateway saw, not the first X-Forwarded-For entry nor an x-ion-source-ip the caller sent', async () => {
    const forged = { 'X-Forwarded-For': `${FORGED}, 203.0.113.9`, 'X-Ion-Source-Ip': FORGED };
    const got = await seen({
      httpMethod: 'GET',
      path: '/',
      headers: forged,
      multiValueHeaders: Object.fromEntries(Object.entries(forged).map(([k, v]) => [k, [v]])),
      requestContext: { identity: { sourceIp: '203.0.113.9' } },
    });
    expect(got).toEqual({ 'remote-addr': '203.0.113.9', 'forwarded-for': `${FORGED}, 203.0.113.9`, scheme: 'http' });
  });

  test('HTTP API: requestContext.http.sourceIp', async () => {
    const got = await seen({
      version: '2.0',
      rawPath: '/',
      headers: { 'x-forwarded-for': FORGED, 'x-ion-source-ip': FORGED },
      requestContext: { http: { method: 'GET', sourceIp: '198.51.100.1' } },
    });
    expect(got['remote-addr']).toBe('198.51.100.1');
  });

  test('a request that did not come through a proxy gets the socket address, whatever headers it sends', async () => {
    const res = await fetch(`${echo!.endpoint}/`, { headers: { 'x-forwarded-for': FORGED, 'x-ion-source-ip': FORGED } });
    expect((await res.json()) as object).toEqual({ 'remote-addr': '127.0.0.1', 'forwarded-for': FORGED, scheme: 'http' });
  });

  test(':scheme is :https or :http, never what a caller writes in x-forwarded-proto', async () => {
    const scheme = async (proto: string) =>
      ((await (await fetch(`${echo!.endpoint}/`, { headers: { 'x-forwarded-proto': proto } })).json()) as { scheme: string }).scheme;
    expect(await scheme('HTTPS')).toBe('https');
    expect(await scheme('javascript')).toBe('http');
  });
});
