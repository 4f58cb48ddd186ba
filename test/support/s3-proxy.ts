import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Counts {
  requests: number;
  byMethod: Record<string, number>;
  bytesSent: number;
}

/**
 * What to do to one request instead of forwarding it whole:
 * - `{ status, code }`: answer this S3 error (500 InternalError, 503 SlowDown, …) without forwarding;
 * - `{ kind: 'reset', afterBytes }`: forward the request, and after `afterBytes` bytes of its body
 *   (0: before any) destroy both connections, the client's and the server's (a connection reset
 *   mid-upload: the server sees an aborted request, the client an ECONNRESET / socket hang up);
 * - `{ kind: 'stall', afterBytes, forMs }`: forward `afterBytes` bytes, then stop reading and
 *   answering; after `forMs` destroy both connections (omit forMs: stall until the proxy closes).
 */
export type InjectedFault =
  | { status: number; code: string }
  | { kind: 'reset'; afterBytes: number }
  | { kind: 'stall'; afterBytes: number; forMs?: number };

export interface S3ProxyOptions {
  /** Chooses a fault for a request (method, path with query, headers: content-length tells the body's size), or none. */
  fault?: (method: string, path: string, headers: IncomingHttpHeaders) => InjectedFault | undefined;
  /** Told of every request as it arrives (1-based count), before any fault: the tests' progress marker. */
  onRequest?: (method: string, path: string, n: number) => void;
}

/**
 * An HTTP proxy in front of the S3 server that counts requests and request-body bytes, whoever the
 * client is (the benchmark's measure), and can answer chosen requests with an S3 error or break
 * their connection mid-upload instead of forwarding them (the fault tests).
 */
export async function startS3Proxy(
  target: string,
  options: S3ProxyOptions = {},
): Promise<{ url: string; counts: Counts; reset(): void; close(): Promise<void> }> {
  const upstream = new URL(target);
  const counts: Counts = { requests: 0, byMethod: {}, bytesSent: 0 };
  const timers = new Set<NodeJS.Timeout>();

  const answerError = (req: IncomingMessage, res: ServerResponse, fault: { status: number; code: string }) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(fault.status, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${fault.code}</Code><Message>injected by the test proxy</Message><Resource>${req.url}</Resource></Error>`,
      );
    });
  };

  const server = createServer((req: IncomingMessage, res) => {
    counts.requests += 1;
    counts.byMethod[req.method!] = (counts.byMethod[req.method!] ?? 0) + 1;
    options.onRequest?.(req.method!, req.url!, counts.requests);
    const fault = options.fault?.(req.method!, req.url!, req.headers);
    if (fault && 'status' in fault) return answerError(req, res, fault);

    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', () => res.destroy());
    const breakBoth = () => {
      out.destroy();
      req.socket.destroy();
    };
    if (!fault) {
      req.on('data', (c: Buffer) => (counts.bytesSent += c.length));
      req.pipe(out);
      return;
    }
    // A fault mid-body: forward up to afterBytes, then reset or stall.
    let forwarded = 0;
    const trip = () => {
      req.pause();
      req.removeAllListeners('data');
      if (fault.kind === 'reset') return breakBoth();
      if (fault.forMs !== undefined) {
        const t = setTimeout(() => {
          timers.delete(t);
          breakBoth();
        }, fault.forMs);
        timers.add(t);
      }
    };
    if (fault.afterBytes <= 0) return trip();
    req.on('data', (c: Buffer) => {
      const room = fault.afterBytes - forwarded;
      const part = c.length > room ? c.subarray(0, room) : c;
      forwarded += part.length;
      counts.bytesSent += part.length;
      out.write(part);
      if (forwarded >= fault.afterBytes) trip();
    });
    // A body shorter than afterBytes goes through whole.
    req.on('end', () => out.end());
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
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
