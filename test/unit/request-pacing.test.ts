/**
 * The deploy's call budget counts HTTP requests, not port calls: a retried request spends a call per
 * attempt. A real CodeDeploy client against a loopback server that fails once, then answers.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { CodeDeployClient, GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { paceRequests } from '../../src/aws/request-pacing.js';

let server: Server;
let requests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests += 1;
      const failing = requests === 1;
      res.writeHead(failing ? 503 : 200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        failing
          ? JSON.stringify({ __type: 'ServiceUnavailable', message: 'try again' })
          : JSON.stringify({ deploymentInfo: { deploymentId: 'd-1', status: 'Succeeded' } }),
      );
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
});

test('every attempt, retries included, takes a call from the budget before it is sent', async () => {
  let taken = 0;
  const budget = {
    take: async () => {
      taken += 1;
      // Taken before the request leaves: the server has seen one request fewer than the calls taken.
      expect(requests).toBe(taken - 1);
    },
  };
  const client = paceRequests(
    new CodeDeployClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 3,
    }),
    budget,
  );
  const out = await client.send(new GetDeploymentCommand({ deploymentId: 'd-1' }));
  expect(out.deploymentInfo?.status).toBe('Succeeded');
  expect([requests, taken]).toEqual([2, 2]);
  client.destroy();
});
