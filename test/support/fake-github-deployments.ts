import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The two GitHub REST endpoints the deploy's opt-in GitHub Deployment uses, recorded. Point GITHUB_API_URL here. */
export interface FakeGithub {
  url: string;
  requests: { method: string; path: string; body: any; authorization?: string }[];
  close(): Promise<void>;
}

export async function startFakeGithub(): Promise<FakeGithub> {
  const requests: FakeGithub['requests'] = [];
  let nextId = 1000;
  const server = createServer(async (req, res) => {
    const text = await read(req);
    const body: any = text ? JSON.parse(text) : null;
    const path = (req.url ?? '').split('?')[0]!;
    requests.push({ method: req.method ?? '', path, body, authorization: req.headers.authorization });
    const reply = (status: number, data: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(data));
    };
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && (m = /^\/repos\/([^/]+)\/([^/]+)\/deployments$/.exec(path))) {
      return reply(201, { id: nextId++, sha: body.ref, ref: body.ref, environment: body.environment, url: `${path}/${nextId - 1}` });
    }
    if (req.method === 'POST' && (m = /^\/repos\/([^/]+)\/([^/]+)\/deployments\/(\d+)\/statuses$/.exec(path))) {
      return reply(201, { id: nextId++, state: body.state, deployment_url: `/repos/${m[1]}/${m[2]}/deployments/${m[3]}` });
    }
    reply(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
