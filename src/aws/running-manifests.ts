import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { S3Client } from '@aws-sdk/client-s3';
import { readBundleManifest } from '../core/deploy/bundle-manifest.js';
import type { RunningManifest, RunningRevisions } from '../core/push/ports.js';
import { describeError } from '../core/sdk-errors.js';
import { runningRevision } from './codedeploy-client.js';
import { S3BundleStore } from './s3-bundle-store.js';

/**
 * What each deployment group runs now (the push core's RunningRevisions port): the revision of the
 * group's last successful deployment (CodeDeploy GetDeploymentGroup, GetDeployment), and the
 * manifest in its bundle (one S3 GetObject, in whatever bucket that deployment used). Three calls per
 * group; no new service. Any failure is `unreadable` with the reason: it only costs the diff.
 */
export class CodeDeployRunningManifests implements RunningRevisions {
  constructor(
    private readonly codedeploy: CodeDeployClient,
    private readonly s3: S3Client,
  ) {}

  async runningManifest(appName: string, group: string): Promise<RunningManifest> {
    let where = 'CodeDeploy';
    try {
      const revision = await runningRevision(this.codedeploy, appName, group);
      if (!revision) return { state: 'none' };
      where = `s3://${revision.bucket}/${revision.key}`;
      const bytes = await new S3BundleStore(this.s3, revision.bucket).read(revision.key);
      if (!bytes) return { state: 'unreadable', reason: `${where} (deployment ${revision.deploymentId}) no longer exists` };
      return { state: 'running', manifest: await readBundleManifest(bytes), deploymentId: revision.deploymentId };
    } catch (err) {
      return {
        state: 'unreadable',
        reason: `${where}: ${err instanceof Error && !('$metadata' in err) ? err.message : describeError(err)}`,
      };
    }
  }
}
