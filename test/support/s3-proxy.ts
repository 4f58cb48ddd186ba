import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Counts {
  requests: number;
  byMethod: Record<string, number>;
  bytesSent: number;
}

/** An S3 error to answer instead of forwarding the request. */
export interface InjectedFault {
  status: number;
  code: string;
}

/**
 * An HTTP proxy in front of the S3 server that counts requests and request-body bytes, whoever the
 * client is (the benchmark's measure), and can answer chosen requests with an S3 error instead of
 * forwarding them (the tests' way to make an upload fail half-way).
 */
export async function startS3Proxy(
  target: string,
  options: { fault?: (method: string, path: string) => InjectedFault | undefined } = {},
): Promise<{ url: string; counts: Counts; reset(): void; close(): Promise<void> }> {
  const upstream = new URL(target);
  const counts: Counts = { requests: 0, byMethod: {}, bytesSent: 0 };
  const server = createServer((req: IncomingMessage, res) => {
    counts.requests += 1;
    counts.byMethod[req.method!] = (counts.byMethod[req.method!] ?? 0) + 1;
    const fault = options.fault?.(req.method!, req.url!);
    if (fault) {
      req.resume();
      req.on('end', () => {
        res.writeHead(fault.status, { 'content-type': 'application/xml' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${fault.code}</Code><Message>injected by the test proxy</Message><Resource>${req.url}</Resource></Error>`);
      });
      return;
    }
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    req.on('data', (c: Buffer) => (counts.bytesSent += c.length));
    req.pipe(out);
    out.on('error', () => res.destroy());
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    reset() {
      counts.requests = 0;
      counts.byMethod = {};
      counts.bytesSent = 0;
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
