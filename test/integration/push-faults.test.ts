/**
 * Push under faults (one seeded run of each scenario; bench/push-faults.ts is the soak with more seeds): S3
 * 500/503/SlowDown, connections reset or stalled mid-upload, push SIGKILLed at a random point of its
 * progress then run again, and two pushes of one revision at once. The built action (ION_ACTIONS_DIST
 * or dist/) runs as the runner runs it; the faults come from a proxy on loopback in front of a real S3
 * server (s3rver). Scenarios and checks: test/support/push-faults.ts.
 *
 * After every run, whatever it did: no revision CodeDeploy holds names a missing or wrong object
 * (every object its manifest names exists with that SHA-256 and size), and the final status is right:
 * a push that says it succeeded registered its revision, one that failed says so with an error
 * annotation, and a plain re-run after any fault succeeds.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { S3RVER_CREDENTIALS } from '../../local-cloud/s3-server.js';
import { BUCKET, SCENARIOS, seeded, startFaultWorld, type FaultWorld } from '../support/push-faults.js';
import { startS3Proxy } from '../support/s3-proxy.js';

let world: FaultWorld;

beforeAll(async () => {
  world = await startFaultWorld();
}, 120_000);

afterAll(async () => {
  await world?.close();
});

/**
 * Seeds per scenario: one in CI, so every fault kind is tried on every run and the suite stays quick;
 * the soak (npm run bench:push-faults) runs 20 per scenario. PUSH_FAULT_SEEDS=<n> tries seeds 1..n here.
 */
const SEEDS = Array.from({ length: Number(process.env.PUSH_FAULT_SEEDS ?? 1) }, (_, i) => i + 1);

describe('the local S3 keeps what S3 keeps', () => {
  test('an upload whose connection breaks mid-body stores nothing and leaves the key as it was', async () => {
    const proxy = await startS3Proxy(world.s3.endpoint, {
      fault: (method) => (method === 'PUT' ? { kind: 'reset', afterBytes: 50_000 } : undefined),
    });
    const broken = new S3Client({
      endpoint: proxy.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
      maxAttempts: 1,
    });
    const read = async (key: string) => {
      try {
        const out = await world.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
        return Buffer.from(await out.Body!.transformToByteArray());
      } catch (err) {
        return (err as Error).name;
      }
    };
    try {
      const before = Buffer.alloc(1000, 7);
      await world.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'probe/existing', Body: before }));
      for (const key of ['probe/new', 'probe/existing']) {
        await expect(broken.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.alloc(200_000, 1) }))).rejects.toThrow();
      }
      expect(await read('probe/new')).toBe('NoSuchKey');
      expect(await read('probe/existing')).toEqual(before);
    } finally {
      broken.destroy();
      await proxy.close();
    }
  });
});

describe('push under faults: nothing registered names a missing or wrong object, and the status is right', () => {
  test.each(SCENARIOS.map((s, i) => [s.name, i] as const))('%s', async (_name, index) => {
    const scenario = SCENARIOS[index]!;
    let faults = 0;
    let notSucceeded = 0;
    for (const seed of SEEDS) {
      const outcome = await scenario.run(world, seeded(1000 * index + seed));
      expect({ seed, problems: outcome.problems, lost: outcome.lost }).toEqual({ seed, problems: [], lost: [] });
      faults += outcome.faults;
      notSucceeded += outcome.notSucceeded;
    }
    // The fault was really tried: requests broken, or (killing) a push cut short.
    if (/SIGKILL/.test(scenario.name)) expect(notSucceeded).toBeGreaterThan(0);
    else if (!/at once/.test(scenario.name)) expect(faults).toBeGreaterThan(0);
  });
});
