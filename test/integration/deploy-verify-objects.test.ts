/**
 * Deploy's pre-flight check that the revision's objects are in the bucket (verify-revision-objects.ts),
 * with the built deploy action against a real S3 server (s3rver) holding the bundle and its objects,
 * and the local Step Functions and CodeDeploy of test/support/deploy-scenarios.ts.
 *
 * Client configuration against s3rver: `world.s3.client()` (path-style, WHEN_REQUIRED checksums) for
 * the test's own writes; the action's own client (AWS_ENDPOINT_URL_S3) for its HeadObjects.
 */
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { runAction } from '../../local-cloud/run-action.js';
import { bareETag } from '../../src/aws/s3-client.js';
import { zipFiles } from '../../src/core/content/deterministic-zip.js';
import { bundleKey, objectKey } from '../../src/core/layout.js';
import { MANIFEST_FORMAT, MANIFEST_VERSION, type Manifest } from '../../src/core/manifest/schema.js';
import { APP, BUCKET, type DeployWorld, effectiveCommands, LAMBDAS, startDeployWorld } from '../support/deploy-scenarios.js';

let world: DeployWorld;
beforeAll(async () => {
  world = await startDeployWorld({ scale: 50 });
});
afterAll(async () => {
  await world?.close();
});
beforeEach(() => world.reset());

let revs = 0;
/** A pushed revision naming `jars` real objects (stored), registered with CodeDeploy; returns its rev and object keys. */
async function pushedRevision(jars: number): Promise<{ rev: string; keys: string[] }> {
  const rev = `verify-${++revs}`;
  const client = world.s3.client();
  try {
    const classpath = [];
    for (let i = 0; i < jars; i++) {
      const data = Buffer.from(`jar ${rev} ${i} `.repeat(100 + i));
      const sha256 = createHash('sha256').update(data).digest('hex');
      const key = objectKey('ions', sha256, 'jar');
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: data }));
      classpath.push({
        key,
        sha256,
        size: data.length,
        kind: 'maven' as const,
        packaging: 'jar' as const,
        origin: `org.example/lib${i} 1.0.${i}`,
      });
    }
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      version: MANIFEST_VERSION,
      appName: APP,
      rev,
      bucket: BUCKET,
      commit: null,
      reproducible: false,
      classpath,
      lambdas: LAMBDAS,
      ionConfig: { 'app-name': APP },
    };
    const key = bundleKey('ions', APP, rev);
    const body = await zipFiles([
      { name: 'ion-manifest.json', data: JSON.stringify(manifest) },
      { name: 'appspec.yml', data: 'version: 0.0\nos: linux\n' },
    ]);
    const put = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    world.codedeploy.applications.get(APP)!.revisions.push({ bucket: BUCKET, key, eTag: bareETag(put.ETag) });
    return { rev, keys: classpath.map((e) => e.key) };
  } finally {
    client.destroy();
  }
}

test('every object of the revision is in the bucket: the deploy says so and starts', async () => {
  const { rev } = await pushedRevision(3);
  world.scenario = { instances: 1 };
  const r = await runAction('deploy', world.inputs({ rev }), { env: world.env() });
  expect(r.stdout).toContain(`All 3 objects the revision names are in s3://${BUCKET}`);
  expect(r.exitCode).toBe(0);
});

test('an object deleted after the push: the deploy refuses before anything starts, naming the entry and how to repair it', async () => {
  const { rev, keys } = await pushedRevision(3);
  const client = world.s3.client();
  await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: keys[1]! }));
  client.destroy();
  const started = world.sfn.calls.filter((c) => c.operation === 'StartExecution').length;
  const r = await runAction('deploy', world.inputs({ rev }), { env: world.env() });
  expect(r.exitCode).not.toBe(0);
  const errors = effectiveCommands(r.stdout).filter((c) => c.startsWith('::error'));
  expect(errors.join('\n')).toContain(`names 1 of its 3 objects that the bucket does not hold as pushed; nothing was started`);
  expect(errors.join('\n')).toContain(`org.example/lib1 1.0.1: s3://${BUCKET}/${keys[1]} is missing`);
  expect(errors.join('\n')).toContain(`aws s3 rm s3://${BUCKET}/ions/${APP}/revisions/object-index.json`);
  expect(world.sfn.calls.filter((c) => c.operation === 'StartExecution').length).toBe(started);
});
