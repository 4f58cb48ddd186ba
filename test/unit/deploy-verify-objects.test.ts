import { describe, expect, it } from '@jest/globals';
import type { ObjectPresencePort } from '../../src/core/deploy/ports.js';
import { verifyRevisionObjects } from '../../src/core/deploy/verify-revision-objects.js';
import { MANIFEST_FORMAT, MANIFEST_VERSION, type Manifest } from '../../src/core/manifest/schema.js';

const sha = (i: number) => i.toString(16).padStart(64, '0');
const manifestOf = (n: number): Manifest => ({
  format: MANIFEST_FORMAT,
  version: MANIFEST_VERSION,
  appName: 'shop',
  rev: 'abc',
  bucket: 'code',
  commit: null,
  reproducible: false,
  classpath: Array.from({ length: n }, (_, i) => ({
    key: `ions/objects/${sha(i)}.jar`,
    sha256: sha(i),
    size: 100 + i,
    kind: 'maven' as const,
    packaging: 'jar' as const,
    origin: `lib${i} 1.0`,
  })),
  lambdas: [],
  ionConfig: {},
});

/** Sizes by key (absent: missing), counting requests and how many run at once. */
function portOf(sizes: Map<string, number>): ObjectPresencePort & { calls: number; maxInFlight: number } {
  let inFlight = 0;
  const port = {
    calls: 0,
    maxInFlight: 0,
    async objectSize(bucket: string, key: string) {
      expect(bucket).toBe('code');
      port.calls += 1;
      inFlight += 1;
      port.maxInFlight = Math.max(port.maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight -= 1;
      return sizes.get(key) ?? null;
    },
  };
  return port;
}

const allOf = (m: Manifest) => new Map(m.classpath.map((e) => [e.key, e.size]));

describe('verifyRevisionObjects', () => {
  it('passes when every object is there with its size: one request per distinct object, at most 16 at once', async () => {
    const m = manifestOf(40);
    m.classpath.push(m.classpath[0]!); // the same jar twice on the classpath is asked about once
    const port = portOf(allOf(m));
    await expect(verifyRevisionObjects(m, port, { prefix: 'ions' })).resolves.toEqual({ objects: 40 });
    expect(port.calls).toBe(40);
    expect(port.maxInFlight).toBeLessThanOrEqual(16);
  });

  it('refuses a missing object and one of another size, naming each entry, in classpath order, and how to repair', async () => {
    const m = manifestOf(5);
    const sizes = allOf(m);
    sizes.delete(m.classpath[3]!.key);
    sizes.set(m.classpath[1]!.key, 7);
    await expect(verifyRevisionObjects(m, portOf(sizes), { prefix: 'ions' })).rejects.toThrow(
      [
        'Revision abc names 2 of its 5 objects that the bucket does not hold as pushed; nothing was started:',
        `  lib1 1.0: s3://code/ions/objects/${sha(1)}.jar holds 7 bytes, not 101`,
        `  lib3 1.0: s3://code/ions/objects/${sha(3)}.jar is missing`,
        'Objects were deleted after the push (is there a lifecycle rule on objects/?). Delete the object index (aws s3 rm s3://code/ions/shop/revisions/object-index.json) and run push again for this revision: without the index it checks every object and uploads what is missing.',
      ].join('\n'),
    );
  });

  it('names the first 10 and counts the rest', async () => {
    const m = manifestOf(25);
    const error = await verifyRevisionObjects(m, portOf(new Map()), { prefix: 'ions' }).catch((e: Error) => e);
    expect((error as Error).message).toContain('…and 15 more');
    expect((error as Error).message.split('\n').filter((l) => l.endsWith('.jar is missing'))).toHaveLength(10);
  });

  it('passes on what the port throws (S3 could not tell): the deploy fails with that error, not a guess', async () => {
    const port: ObjectPresencePort = {
      objectSize: async () => {
        throw new Error('Could not check s3://code/k: AccessDenied (HTTP 403)');
      },
    };
    await expect(verifyRevisionObjects(manifestOf(2), port, { prefix: 'ions' })).rejects.toThrow(/AccessDenied/);
  });
});
