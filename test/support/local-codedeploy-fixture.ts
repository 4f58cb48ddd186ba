/**
 * A local CodeDeploy for tests of its API (models, validation, queries), not of deployments: nothing
 * behind its S3, application `my-app`, and deployments planted as plain records.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { type LocalCodeDeploy, type LocalDeployment, startLocalCodeDeploy } from '../../local-cloud/codedeploy.js';

export async function startApiOnlyCodeDeploy(name: string): Promise<{ cd: LocalCodeDeploy; close(): Promise<void> }> {
  const root = mkdtempSync(join(tmpdir(), `ion-${name}-`));
  const cd = await startLocalCodeDeploy({
    root,
    s3: () => ({ send: async () => ({}), destroy() {} }) as unknown as S3Client,
    s3Endpoint: 'http://127.0.0.1:9',
  });
  cd.createApplication('my-app');
  return {
    cd,
    close: async () => {
      await cd.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A deployment of `my-app` that has ended, so operations on a deployment get past their lookup. */
export function endedDeployment(deploymentId: string, group: string, fields: Partial<LocalDeployment> = {}): LocalDeployment {
  return {
    deploymentId,
    applicationName: 'my-app',
    deploymentGroupName: group,
    revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'k', bundleType: 'zip' } },
    status: 'Succeeded',
    createTime: Date.now(),
    targets: [],
    stopRequested: false,
    done: Promise.resolve(),
    ...fields,
  } as unknown as LocalDeployment;
}
