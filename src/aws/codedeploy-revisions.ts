import {
  CodeDeployClient,
  GetApplicationCommand,
  RegisterApplicationRevisionCommand,
} from '@aws-sdk/client-codedeploy';
import { listDeploymentGroups } from './codedeploy-client.js';

/** What push needs from CodeDeploy: the narrow port the core talks to. */
export interface RevisionRegistry {
  applicationExists(appName: string): Promise<boolean>;
  listDeploymentGroups(appName: string): Promise<string[]>;
  registerRevision(appName: string, location: { bucket: string; key: string; eTag?: string }, description: string): Promise<void>;
}

export class CodeDeployRevisionRegistry implements RevisionRegistry {
  constructor(private readonly client: CodeDeployClient) {}

  async applicationExists(appName: string): Promise<boolean> {
    try {
      await this.client.send(new GetApplicationCommand({ applicationName: appName }));
      return true;
    } catch (err) {
      if ((err as Error).name === 'ApplicationDoesNotExistException') return false;
      throw err;
    }
  }

  listDeploymentGroups(appName: string): Promise<string[]> {
    return listDeploymentGroups(this.client, appName);
  }

  async registerRevision(appName: string, location: { bucket: string; key: string; eTag?: string }, description: string): Promise<void> {
    await this.client.send(
      new RegisterApplicationRevisionCommand({
        applicationName: appName,
        // CodeDeploy caps descriptions at 100 characters.
        description: description.slice(0, 100),
        revision: {
          revisionType: 'S3',
          s3Location: { bucket: location.bucket, key: location.key, bundleType: 'zip', eTag: location.eTag },
        },
      }),
    );
  }
}

