/**
 * Commit order from GitHub's compare API (src/github/compare-commits.ts) against a local HTTP server
 * that answers like GitHub (GITHUB_API_URL points the toolkit at it).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AncestryPort } from '../../src/core/deploy/ports.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('GithubCompare', () => {
  let server: Server;
  const requests: { path: string; authorization?: string }[] = [];
  /** The answer to the next compare: status code and body. */
  let answer: { status: number; body: unknown } = { status: 200, body: { status: 'ahead' } };
  let GithubCompare: new (o: { token: string; repository: string }) => AncestryPort;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push({ path: req.url ?? '', authorization: req.headers.authorization });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // The toolkit reads GITHUB_API_URL when it loads: set it first, then load the client.
    process.env.GITHUB_API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ({ GithubCompare } = await import('../../src/github/compare-commits.js'));
  });
  afterAll(async () => {
    delete process.env.GITHUB_API_URL;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const relate = (token = 'ghs_token') => new GithubCompare({ token, repository: 'me/shop' }).relate(B, A);

  test('asks compare/{requested}...{running} with the token, and reads ahead as "the group runs a later commit"', async () => {
    answer = { status: 200, body: { status: 'ahead', ahead_by: 2, behind_by: 0 } };
    expect(await relate()).toEqual({ relation: 'descendant', source: 'GitHub' });
    expect(requests.at(-1)).toEqual({ path: `/repos/me/shop/compare/${A}...${B}?per_page=1`, authorization: 'token ghs_token' });
  });

  test('behind, identical and diverged', async () => {
    for (const [status, relation] of [
      ['behind', 'ancestor'],
      ['identical', 'same'],
      ['diverged', 'diverged'],
    ] as const) {
      answer = { status: 200, body: { status } };
      expect((await relate()).relation).toBe(relation);
    }
  });

  test('404, 422, 403 and 500 are unknown, each with a reason; nothing throws', async () => {
    const why: Record<number, RegExp> = {
      404: /does not know one of the commits \(HTTP 404\)/,
      422: /does not know one of the commits \(HTTP 422\)/,
      403: /may not read the repository \(HTTP 403; .*contents: read/,
      500: /the compare API failed/,
    };
    for (const status of [404, 422, 403, 500]) {
      answer = { status, body: { message: 'nope' } };
      expect(await relate()).toMatchObject({ relation: 'unknown', source: 'GitHub', why: expect.stringMatching(why[status]!) });
    }
  });

  test('no token, no repository, or a commit that is not a SHA: unknown without asking', async () => {
    const before = requests.length;
    expect(await relate('')).toMatchObject({ relation: 'unknown', why: 'no github-token to ask with' });
    expect(await new GithubCompare({ token: 't', repository: '' }).relate(B, A)).toMatchObject({ relation: 'unknown' });
    expect(await new GithubCompare({ token: 't', repository: 'me/shop' }).relate('../../x', A)).toMatchObject({
      relation: 'unknown',
      why: 'a commit is not a full SHA',
    });
    expect(requests.length).toBe(before);
  });
});
