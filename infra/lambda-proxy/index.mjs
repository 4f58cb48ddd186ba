// The Lambda proxy each `:lambdas` entry gets (<group>_<name>, created by infra/state-machine.asl.json).
// Your code runs on the cluster, near its data, not in Lambda: this function only forwards the
// invocation to the application's HTTP listener (ION_ENDPOINT) and returns what it answers.
// No dependencies (Node.js 20+: fetch is built in), so the deployment package is this one file.
//
// Environment (set by the state machine):
//   ION_ENDPOINT     base URL of the application on the cluster, e.g. http://internal-lb:8182
//   ION_APP, ION_GROUP
//   ION_LAMBDA_JSON  the :lambdas entry as JSON: {name, fn, description, timeoutSecs,
//                    concurrencyLimit, integration, functionName}
//
// Wire protocol (docs/infra.md, "What the application receives"):
// - Plain lambdas: POST ION_ENDPOINT with headers x-ion-app, x-ion-fn (ns/name), x-ion-lambda,
//   x-ion-request-id, x-ion-integration: none, and a JSON body {"input": "<the event as JSON text>",
//   "context": {...}} — what an Ion lambda fn receives as {:input :context}. A 2xx answer is the
//   result: parsed when it is JSON text (an Ion lambda's string result is the Lambda payload, so a
//   caller gets the same value it would from Datomic Ions), else returned as a string. Anything else fails the
//   invocation with the answer's status and start of body.
// - :integration :api-gateway/proxy: the API Gateway request itself (method, path, query, headers,
//   body) is sent to ION_ENDPOINT + path with the same x-ion-* headers (x-ion-integration:
//   api-gateway/proxy) plus x-ion-source-ip, the caller's address from API Gateway's requestContext
//   (any x-ion-* header the caller sent is dropped), and the HTTP answer becomes the proxy response
//   {statusCode, headers, body, isBase64Encoded}. REST API (payload 1.0) and HTTP API (2.0) events
//   are both understood.

/** Headers that describe one HTTP hop and must not be forwarded (fetch refuses several of them). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'expect',
]);

/** Set by fetch for this hop (it decodes compressed answers), or carried separately (cookies). */
const RESPONSE_DROP = new Set(['content-encoding', 'content-length', 'set-cookie']);

/** Leave this much of the Lambda's time to report a timeout ourselves rather than be killed silently. */
const TIMEOUT_MARGIN_MS = 1000;

export class ProxyConfigError extends Error {}

export function readConfig(env) {
  const endpoint = env.ION_ENDPOINT;
  if (!endpoint) {
    throw new ProxyConfigError(
      'ION_ENDPOINT is not set: set the AppEndpoint parameter of the ion stack to the URL of the application on the cluster, then deploy again',
    );
  }
  let lambda;
  try {
    lambda = JSON.parse(env.ION_LAMBDA_JSON ?? '');
  } catch {
    throw new ProxyConfigError(
      'ION_LAMBDA_JSON is missing or not JSON: this function was not created by the ion deploy state machine; deploy again',
    );
  }
  if (!lambda || typeof lambda.fn !== 'string') throw new ProxyConfigError('ION_LAMBDA_JSON has no "fn": deploy again');
  let base;
  try {
    base = new URL(endpoint);
  } catch {
    throw new ProxyConfigError(`ION_ENDPOINT '${endpoint}' is not a URL (expected e.g. http://internal-lb:8182)`);
  }
  return { base, app: env.ION_APP ?? '', group: env.ION_GROUP ?? '', lambda };
}

const ionHeaders = (config, context, integration) => ({
  'x-ion-app': config.app,
  'x-ion-group': config.group,
  'x-ion-lambda': String(config.lambda.name ?? ''),
  'x-ion-fn': config.lambda.fn,
  'x-ion-integration': integration,
  'x-ion-request-id': context?.awsRequestId ?? '',
});

const remainingMs = (context) => (typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : 30_000);

/** The parts of the Lambda context an application can use (the object itself has methods). */
function contextEssentials(context) {
  return {
    awsRequestId: context?.awsRequestId,
    functionName: context?.functionName,
    functionVersion: context?.functionVersion,
    invokedFunctionArn: context?.invokedFunctionArn,
    memoryLimitInMB: context?.memoryLimitInMB,
    logGroupName: context?.logGroupName,
    logStreamName: context?.logStreamName,
    deadlineMs: Date.now() + remainingMs(context),
    identity: context?.identity ?? null,
    clientContext: context?.clientContext ?? null,
  };
}

async function send(url, init, context, config) {
  const budget = Math.max(1, remainingMs(context) - TIMEOUT_MARGIN_MS);
  try {
    return await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(budget) });
  } catch (e) {
    const why =
      e?.name === 'TimeoutError'
        ? `no answer within ${budget} ms`
        : `${e?.cause?.code ?? e?.name ?? 'error'}: ${e?.cause?.message ?? e?.message}`;
    throw new Error(
      `${config.lambda.fn}: could not reach the application at ${url} (${why}). ` +
        'Check that the application is running on the cluster, and that this function’s VPC subnets and security group can reach ION_ENDPOINT.',
    );
  }
}

const TEXTUAL = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|[\w.+-]+\+(json|xml))\b)/i;

export async function invokePlain(config, event, context) {
  const res = await send(
    config.base,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...ionHeaders(config, context, 'none') },
      body: JSON.stringify({ input: JSON.stringify(event ?? null), context: contextEssentials(context) }),
    },
    context,
    config,
  );
  const text = await res.text();
  if (res.status < 200 || res.status > 299) {
    throw new Error(`${config.lambda.fn} failed on the cluster: HTTP ${res.status}: ${text.slice(0, 1000)}`);
  }
  // With Ions the fn's string is the payload itself, and callers read the payload as JSON. A Node
  // handler cannot return raw bytes (Lambda serializes what it returns), so JSON text is parsed here
  // and returned as that value: the caller sees the same payload. Other text (EDN, plain words) can only
  // be returned as a JSON string. Whatever the content-type says, since Ion lambdas answer text.
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** API Gateway REST (1.0) and HTTP API (2.0) proxy events as one shape. */
function readApiGatewayEvent(event) {
  const v2 = event?.version === '2.0';
  const method = (v2 ? event.requestContext?.http?.method : event.httpMethod) ?? 'GET';
  const path = (v2 ? event.rawPath : event.path) ?? '/';
  let query;
  if (v2) query = event.rawQueryString ?? '';
  else {
    const params = new URLSearchParams();
    const multi = event.multiValueQueryStringParameters;
    if (multi) for (const [k, vs] of Object.entries(multi)) for (const v of vs ?? []) params.append(k, v);
    else for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) params.append(k, v);
    query = params.toString();
  }
  const headers = new Headers();
  const multiHeaders = !v2 && event.multiValueHeaders;
  if (multiHeaders) for (const [k, vs] of Object.entries(multiHeaders)) for (const v of vs ?? []) headers.append(k, v);
  else for (const [k, v] of Object.entries(event.headers ?? {})) if (v != null) headers.append(k, v);
  if (v2 && Array.isArray(event.cookies) && event.cookies.length) headers.set('cookie', event.cookies.join('; '));
  const body = event.body == null ? undefined : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  return { v2, method, path, query, headers, body };
}

/** API Gateway's own record of the connection's source address (REST: identity, HTTP API: http). */
function sourceIpOf(event) {
  const ip = event?.requestContext?.identity?.sourceIp ?? event?.requestContext?.http?.sourceIp;
  return typeof ip === 'string' && ip.trim() ? ip.trim() : undefined;
}

export async function invokeApiGateway(config, event, context) {
  const req = readApiGatewayEvent(event);
  const url = new URL(config.base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${req.path.startsWith('/') ? '' : '/'}${req.path}`;
  url.search = req.query;
  const headers = {};
  // accept-encoding is left to fetch, which decodes what it asked for. The x-ion-* headers are the
  // proxy's to set: a caller's own (a forged x-ion-source-ip, x-ion-fn, ...) never reach the application.
  for (const [k, v] of req.headers) if (!HOP_BY_HOP.has(k) && k !== 'accept-encoding' && !k.startsWith('x-ion-')) headers[k] = v;
  Object.assign(headers, ionHeaders(config, context, 'api-gateway/proxy'));
  // The caller's address as API Gateway saw the connection: the one address the caller cannot choose.
  // X-Forwarded-For is passed on as the caller sent it (API Gateway appends to it), so its entries
  // are the caller's word; the dispatcher's :remote-addr is x-ion-source-ip only.
  const sourceIp = sourceIpOf(event);
  if (sourceIp) headers['x-ion-source-ip'] = sourceIp;
  if (sourceIp && !headers['x-forwarded-for']) headers['x-forwarded-for'] = sourceIp;

  let res;
  try {
    res = await send(
      url,
      { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body },
      context,
      config,
    );
  } catch (e) {
    // API Gateway turns a thrown error into a bare 502 "Internal server error"; say what happened.
    console.error(e.message);
    return { statusCode: 502, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: e.message, isBase64Encoded: false };
  }
  const bytes = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  const textual = bytes.length === 0 || TEXTUAL.test(type);
  const out = {
    statusCode: res.status,
    headers: {},
    body: textual ? bytes.toString('utf8') : bytes.toString('base64'),
    isBase64Encoded: !textual,
  };
  const cookies = res.headers.getSetCookie();
  // fetch has already decoded any content-encoding: the body we return is the decoded one.
  for (const [k, v] of res.headers) if (!HOP_BY_HOP.has(k) && !RESPONSE_DROP.has(k)) out.headers[k] = v;
  if (cookies.length) {
    if (req.v2) out.cookies = cookies;
    else out.multiValueHeaders = { 'set-cookie': cookies };
  }
  return out;
}

export function makeHandler(env = process.env) {
  return async (event, context) => {
    const config = readConfig(env);
    return config.lambda.integration === 'api-gateway/proxy'
      ? invokeApiGateway(config, event, context)
      : invokePlain(config, event, context);
  };
}

export const handler = (event, context) => makeHandler(process.env)(event, context);
