import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { readBundleManifest } from '../core/deploy/bundle-manifest.js';
import { revOfBundleKey } from '../core/layout.js';
import type { BundlePort, GroupRevisionRecord, GroupRevisionsPort, RunningRevision } from '../core/deploy/ports.js';
import { describeError } from '../core/sdk-errors.js';
import { type GroupRevision, runningRevision, succeededDeployments } from './codedeploy-client.js';
import { bareETag } from './s3-client.js';

const toRecord = (r: GroupRevision): GroupRevisionRecord => ({
  rev: revOfBundleKey(r.key),
  bucket: r.bucket,
  key: r.key,
  ...(r.eTag ? { eTag: bareETag(r.eTag) } : {}),
  deploymentId: r.deploymentId,
  ...(r.completedAt ? { completedAt: r.completedAt } : {}),
  rollback: r.rollback,
});

/**
 * What a group runs and ran, from CodeDeploy, with the running revision's manifest read from its
 * bundle in the bucket (no other service). An unreadable manifest is reported, never thrown: the
 * diff and the order check are extras of a deploy, not conditions of it.
 */
export class GroupRevisions implements GroupRevisionsPort {
  constructor(
    private readonly client: CodeDeployClient,
    private readonly bundles: BundlePort,
  ) {}

  async running(appName: string, group: string): Promise<RunningRevision | null> {
    const found = await runningRevision(this.client, appName, group);
    if (!found) return null;
    const running: RunningRevision = toRecord(found);
    try {
      const bundle = await this.bundles.getBundle(found.bucket, found.key);
      if (!bundle) running.manifestProblem = `its bundle s3://${found.bucket}/${found.key} is gone`;
      else running.manifest = await readBundleManifest(bundle.bytes);
    } catch (err) {
      running.manifestProblem = `s3://${found.bucket}/${found.key}: ${err instanceof Error && !('$metadata' in err) ? err.message : describeError(err)}`;
    }
    return running;
  }

  async succeeded(appName: string, group: string, limit: number): Promise<GroupRevisionRecord[]> {
    return (await succeededDeployments(this.client, appName, group, limit)).map(toRecord);
  }
}
