/**
 * What each group runs now (src/aws/running-manifests.ts) with mocked SDK clients: the manifest of
 * the last successful deployment's bundle, `none` for a group never deployed, and every failure —
 * a bundle gone, not a zip, access denied, CodeDeploy down — as `unreadable`, never thrown.
 * (Against s3rver and the local CodeDeploy through the built action: test/integration/push-revision-diff.test.ts.)
 */
import { CodeDeployClient, GetDeploymentCommand, GetDeploymentGroupCommand } from '@aws-sdk/client-codedeploy';
import { GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import yazl from 'yazl';
import { CodeDeployRunningManifests } from '../../src/aws/running-manifests.js';

const manifest = {
  format: 'ion-actions/manifest',
  version: 1,
  appName: 'app',
  rev: 'r1',
  bucket: 'other-bucket',
  commit: null,
  reproducible: true,
  classpath: [],
  lambdas: [],
  ionConfig: {},
};

const zip = (files: Record<string, string>): Promise<Buffer> =>
  new Promise((resolve) => {
    const z = new yazl.ZipFile();
    for (const [name, text] of Object.entries(files)) z.addBuffer(Buffer.from(text), name);
    z.end();
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks)));
  });

/** All S3BundleStore.read uses of a GetObject body. */
const body = (bytes: Buffer) => ({ transformToByteArray: async () => new Uint8Array(bytes) });

function setUp() {
  const cd = mockClient(CodeDeployClient);
  const s3 = mockClient(S3Client);
  cd.on(GetDeploymentGroupCommand, { deploymentGroupName: 'prod' }).resolves({
    deploymentGroupInfo: { lastSuccessfulDeployment: { deploymentId: 'd-1' } },
  });
  cd.on(GetDeploymentGroupCommand, { deploymentGroupName: 'never' }).resolves({ deploymentGroupInfo: {} });
  cd.on(GetDeploymentCommand, { deploymentId: 'd-1' }).resolves({
    deploymentInfo: {
      deploymentId: 'd-1',
      status: 'Succeeded',
      revision: { revisionType: 'S3', s3Location: { bucket: 'other-bucket', key: 'ions/app/revisions/r1.zip' } },
    },
  });
  const port = new CodeDeployRunningManifests(new CodeDeployClient({ region: 'us-east-1' }), new S3Client({ region: 'us-east-1' }));
  return { cd, s3, port };
}

afterEach(() => {
  mockClient(CodeDeployClient).restore();
  mockClient(S3Client).restore();
});

test('the manifest of the bundle the last successful deployment used, read from that deployment’s bucket', async () => {
  const { s3, port } = setUp();
  s3.on(GetObjectCommand, { Bucket: 'other-bucket', Key: 'ions/app/revisions/r1.zip' }).resolves({
    Body: body(await zip({ 'ion-manifest.json': JSON.stringify(manifest) })) as never,
  });
  expect(await port.runningManifest('app', 'prod')).toEqual({ state: 'running', manifest, deploymentId: 'd-1' });
  expect(await port.runningManifest('app', 'never')).toEqual({ state: 'none' });
});

test('every failure is unreadable, with a reason that names where', async () => {
  const { cd, s3, port } = setUp();
  s3.on(GetObjectCommand).rejects(
    new S3ServiceException({ name: 'NoSuchKey', $fault: 'client', $metadata: { httpStatusCode: 404 }, message: 'gone' }),
  );
  expect(await port.runningManifest('app', 'prod')).toEqual({
    state: 'unreadable',
    reason: 's3://other-bucket/ions/app/revisions/r1.zip (deployment d-1) no longer exists',
  });
  s3.on(GetObjectCommand).resolves({ Body: body(Buffer.from('not a zip')) as never });
  expect(await port.runningManifest('app', 'prod')).toEqual({
    state: 'unreadable',
    reason: expect.stringMatching(/^s3:\/\/other-bucket\/ions\/app\/revisions\/r1\.zip: the bundle is not a zip file/),
  });
  s3.on(GetObjectCommand).rejects(
    new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Access Denied' }),
  );
  expect(await port.runningManifest('app', 'prod')).toMatchObject({
    state: 'unreadable',
    reason: expect.stringMatching(/^s3:\/\/other-bucket\/.*AccessDenied/),
  });
  cd.on(GetDeploymentGroupCommand).rejects(new Error('socket hang up'));
  expect(await port.runningManifest('app', 'prod')).toEqual({ state: 'unreadable', reason: 'CodeDeploy: socket hang up' });
});
