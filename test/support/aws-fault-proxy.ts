import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The network between the deploy action and AWS, with faults on demand: an HTTP proxy in front of one
 * of the local AWS JSON servers (fake-step-functions.ts, fake-codedeploy-deployments.ts). Whatever is
 * not faulted is forwarded untouched, so the servers' scripts go on as if nothing happened.
 *
 * - `truncated`: the real answer, cut in half, as a `200` (a connection dropped by a middlebox that
 *   still closed the body cleanly);
 * - `html`: a `200` with an HTML page (a captive portal or a proxy's error page);
 * - `reset`: the connection is destroyed before any answer ("socket hang up", ECONNRESET);
 * - `stall-reset`: nothing for a while, then the connection is destroyed;
 * - `status-500`, `status-503`: the service's JSON error; `throttle`: 400 ThrottlingException.
 *
 * The SDK retries resets, 5xx and throttling itself (3 attempts), and never a `200` it cannot parse:
 * inject 3 of the former to make one poll of the action fail.
 */
export type NetworkFault = 'truncated' | 'html' | 'reset' | 'stall-reset' | 'status-500' | 'status-503' | 'throttle';

export const NETWORK_FAULTS: readonly NetworkFault[] = [
  'truncated',
  'html',
  'reset',
  'stall-reset',
  'status-500',
  'status-503',
  'throttle',
];

export interface FaultProxy {
  url: string;
  /** The next `count` requests (of `operation`, if given) get `fault` instead of the real answer. */
  inject(p: { fault: NetworkFault; count: number; operation?: string }): void;
  /** Drops the faults not served yet. */
  clear(): void;
  /** Requests answered with a fault so far. */
  readonly faulted: number;
  close(): Promise<void>;
}

/** How long `stall-reset` keeps the caller waiting (real time). */
const STALL_MS = 400;

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const queue: { fault: NetworkFault; count: number; operation?: string }[] = [];
  let faulted = 0;

  const forward = (req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const out = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          const chunks: Buffer[] = [];
          up.on('data', (c: Buffer) => chunks.push(c));
          up.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(up.headers)) if (typeof v === 'string') headers[k] = v;
            resolve({ status: up.statusCode ?? 502, headers, body: Buffer.concat(chunks) });
          });
          up.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | string) => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    res.writeHead(status, { ...headers, 'content-length': String(bytes.length) });
    res.end(bytes);
  };

  const jsonError = (res: ServerResponse, status: number, code: string, message: string) =>
    send(
      res,
      status,
      { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code },
      JSON.stringify({ __type: code, message }),
    );

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const entry = queue.find((f) => f.count > 0 && (!f.operation || f.operation === operation));
      try {
        if (!entry) {
          const answer = await forward(req, body);
          delete answer.headers['content-length'];
          delete answer.headers['transfer-encoding'];
          return send(res, answer.status, answer.headers, answer.body);
        }
        entry.count -= 1;
        faulted += 1;
        switch (entry.fault) {
          case 'truncated': {
            const answer = await forward(req, body);
            delete answer.headers['transfer-encoding'];
            return send(res, 200, answer.headers, answer.body.subarray(0, Math.max(1, Math.floor(answer.body.length / 2))));
          }
          case 'html':
            return send(
              res,
              200,
              { 'content-type': 'text/html' },
              '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>',
            );
          case 'reset':
            return req.socket.destroy();
          case 'stall-reset':
            setTimeout(() => req.socket.destroy(), STALL_MS);
            return;
          case 'status-500':
            return jsonError(res, 500, 'InternalFailure', 'We encountered an internal error. Please try again.');
          case 'status-503':
            return jsonError(res, 503, 'ServiceUnavailable', 'Service is unavailable. Please try again.');
          case 'throttle':
            return jsonError(res, 400, 'ThrottlingException', 'Rate exceeded');
        }
      } catch {
        res.destroy();
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    inject: (p) => queue.push({ ...p }),
    clear: () => void queue.splice(0),
    get faulted() {
      return faulted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
