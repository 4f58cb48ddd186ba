/**
 * The counting, latency-adding proxy in front of the S3 server, run as a process of its own
 * (bench/support/s3-proxy.ts forks it). It must not share a process with anything that waits for a
 * tool synchronously: a proxy inside such a process serves nothing while it waits.
 *
 *   argv: <upstream url> <latency ms>
 *   IPC in:  { type: 'reset' } | { type: 'stats' }
 *   IPC out: { type: 'ready', url } | { type: 'reset' } | { type: 'stats', stats: ProxyStats }
 *
 * Every request waits `latency` ms before it is forwarded (a distant S3 endpoint adds about one round
 * trip to every request, whatever its size). Requests are counted by kind; request bodies (bytes sent
 * to S3) and response bodies (bytes received) are counted as they pass.
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { classifyS3Request, emptyStats, type ProxyMessage, type ProxyStats } from './proxy-stats.js';

const [upstreamUrl, latencyArg] = process.argv.slice(2);
const upstream = new URL(upstreamUrl!);
const latencyMs = Number(latencyArg ?? 0);
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
let stats: ProxyStats = emptyStats();

const server = createServer((req, res) => {
  const kind = classifyS3Request(req.method!, req.url!);
  stats.requests += 1;
  stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1;
  const counted = stats; // a reset between request and response does not move this request's bytes
  const forward = () => {
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.on('data', (c: Buffer) => (counted.bytesReceived += c.length));
        up.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.on('data', (c: Buffer) => (counted.bytesSent += c.length));
    req.pipe(out);
  };
  if (latencyMs > 0) setTimeout(forward, latencyMs);
  else forward();
});
server.keepAliveTimeout = 30_000;

process.on('message', (m: ProxyMessage) => {
  if (m.type === 'reset') {
    stats = emptyStats();
    process.send!({ type: 'reset' });
  } else if (m.type === 'stats') process.send!({ type: 'stats', stats });
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send!({ type: 'ready', url: `http://127.0.0.1:${port}` });
});
