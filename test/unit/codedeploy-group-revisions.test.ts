/**
 * What a group runs and ran, read from CodeDeploy (src/aws/codedeploy-client.ts): against the local
 * CodeDeploy over HTTP with the real SDK client (GetDeploymentGroup, GetDeployment, ListDeployments
 * with its filters and pages, BatchGetDeployments), and the rollback flag against a mocked client.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { BatchGetDeploymentsCommand, CodeDeployClient, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import type { LocalCodeDeploy, LocalDeployment } from '../../local-cloud/codedeploy.js';
import { startApiOnlyCodeDeploy } from '../support/local-codedeploy-fixture.js';
import { runningRevision, succeededDeployments } from '../../src/aws/codedeploy-client.js';

const T0 = Date.UTC(2026, 0, 1);

/** A finished deployment of `key` on the group, created `n` minutes after T0. */
function finished(id: string, group: string, key: string, n: number, status: LocalDeployment['status']): LocalDeployment {
  return {
    deploymentId: id,
    applicationName: 'my-app',
    deploymentGroupName: group,
    revision: { bucket: 'code-bucket', key, bundleType: 'zip', eTag: `etag-${key}` },
    status,
    createTime: T0 + n * 60_000,
    startTime: T0 + n * 60_000,
    completeTime: T0 + n * 60_000 + 30_000,
    targets: [],
    stopRequested: false,
    done: Promise.resolve(),
  };
}

describe('the group’s revisions from the local CodeDeploy', () => {
  let cd: LocalCodeDeploy;
  let close: () => Promise<void>;
  let client: CodeDeployClient;
  beforeAll(async () => {
    ({ cd, close } = await startApiOnlyCodeDeploy('group-revisions'));
    const prod = cd.createDeploymentGroup('my-app', 'prod', { instances: 0 });
    cd.createDeploymentGroup('my-app', 'never', { instances: 0 });
    cd.createDeploymentGroup('my-app', 'other', { instances: 0 });
    // 60 succeeded deployments (more than one ListDeployments page), failures among them, another group's in between.
    for (let n = 0; n < 60; n++) {
      cd.deployments.set(`d-P${n}`, finished(`d-P${n}`, 'prod', `rev-${n}.zip`, 2 * n, 'Succeeded'));
      if (n % 10 === 0) cd.deployments.set(`d-F${n}`, finished(`d-F${n}`, 'prod', `bad-${n}.zip`, 2 * n + 1, 'Failed'));
      cd.deployments.set(`d-O${n}`, finished(`d-O${n}`, 'other', `other-${n}.zip`, 2 * n, 'Succeeded'));
    }
    const last = cd.deployments.get('d-P59')!;
    prod.lastSuccessfulDeployment = {
      deploymentId: 'd-P59',
      status: 'Succeeded',
      createTime: last.createTime / 1000,
      endTime: last.completeTime! / 1000,
    };
    client = new CodeDeployClient({
      region: 'us-east-1',
      endpoint: cd.url,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    });
  });
  afterAll(async () => {
    client.destroy();
    await close();
  });

  test('runningRevision: the last successful deployment’s S3 revision', async () => {
    expect(await runningRevision(client, 'my-app', 'prod')).toEqual({
      deploymentId: 'd-P59',
      bucket: 'code-bucket',
      key: 'rev-59.zip',
      eTag: 'etag-rev-59.zip',
      completedAt: new Date(T0 + 118 * 60_000 + 30_000),
      rollback: false,
    });
  });

  test('runningRevision: null for a group never deployed, a missing group and a missing application', async () => {
    expect(await runningRevision(client, 'my-app', 'never')).toBeNull();
    expect(await runningRevision(client, 'my-app', 'nope')).toBeNull();
    expect(await runningRevision(client, 'no-app', 'prod')).toBeNull();
  });

  test('succeededDeployments: newest first, only Succeeded, only this group, at most limit', async () => {
    const three = await succeededDeployments(client, 'my-app', 'prod', 3);
    expect(three.map((r) => r.key)).toEqual(['rev-59.zip', 'rev-58.zip', 'rev-57.zip']);
    expect(three.every((r) => r.bucket === 'code-bucket' && !r.rollback)).toBe(true);
  });

  test('succeededDeployments reads every page it needs (ListDeployments answers 50 ids a page here)', async () => {
    const all = await succeededDeployments(client, 'my-app', 'prod', 1000);
    expect(all).toHaveLength(60);
    expect(all.at(-1)?.key).toBe('rev-0.zip');
    expect(new Set(all.map((r) => r.deploymentId)).size).toBe(60);
    const listCalls = cd.calls.filter((c) => c.operation === 'ListDeployments');
    expect(listCalls.at(-1)?.input).toMatchObject({ includeOnlyStatuses: ['Succeeded'], nextToken: expect.any(String) });
  });

  test('succeededDeployments: none for a group never deployed', async () => {
    expect(await succeededDeployments(client, 'my-app', 'never', 5)).toEqual([]);
  });
});

describe('rollback deployments count as what the group ran', () => {
  test('a deployment CodeDeploy started as a rollback is flagged', async () => {
    const mock = mockClient(CodeDeployClient);
    mock.on(ListDeploymentsCommand).resolves({ deployments: ['d-ROLLBACK', 'd-USER'] });
    mock.on(BatchGetDeploymentsCommand).resolves({
      // in another order than asked: the list's order is kept
      deploymentsInfo: [
        {
          deploymentId: 'd-USER',
          status: 'Succeeded',
          creator: 'user',
          revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'new.zip' } },
          completeTime: new Date(T0),
        },
        {
          deploymentId: 'd-ROLLBACK',
          status: 'Succeeded',
          creator: 'codeDeployRollback',
          rollbackInfo: { rollbackTriggeringDeploymentId: 'd-FAILED' },
          revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'old.zip' } },
          completeTime: new Date(T0 + 1000),
        },
      ],
    });
    const found = await succeededDeployments(new CodeDeployClient({ region: 'us-east-1' }), 'a', 'g', 5);
    expect(found.map((r) => [r.key, r.rollback])).toEqual([
      ['old.zip', true],
      ['new.zip', false],
    ]);
    mock.restore();
  });
});
