import { type CodeDeployClient, GetApplicationCommand, RegisterApplicationRevisionCommand } from '@aws-sdk/client-codedeploy';
import type { BundleLocation, RevisionRegistry } from '../core/push/ports.js';
import { hasErrorName } from '../core/sdk-errors.js';
import { listDeploymentGroups } from './codedeploy-client.js';

/** CodeDeploy caps revision descriptions at 100 characters. */
const MAX_DESCRIPTION = 100;

/** The CodeDeploy side of push (the core's RevisionRegistry port). */
export class CodeDeployRevisionRegistry implements RevisionRegistry {
  constructor(private readonly client: CodeDeployClient) {}

  async applicationExists(appName: string): Promise<boolean> {
    try {
      await this.client.send(new GetApplicationCommand({ applicationName: appName }));
      return true;
    } catch (err) {
      if (hasErrorName(err, 'ApplicationDoesNotExistException')) return false;
      throw err;
    }
  }

  listDeploymentGroups(appName: string): Promise<string[]> {
    return listDeploymentGroups(this.client, appName);
  }

  async registerRevision(appName: string, location: BundleLocation, description: string): Promise<void> {
    await this.client.send(
      new RegisterApplicationRevisionCommand({
        applicationName: appName,
        description: description.slice(0, MAX_DESCRIPTION),
        revision: {
          revisionType: 'S3',
          s3Location: { bucket: location.bucket, key: location.key, bundleType: 'zip', eTag: location.eTag },
        },
      }),
    );
  }
}
