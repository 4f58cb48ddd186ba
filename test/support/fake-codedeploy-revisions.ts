import { AwsServiceError, startAwsJsonServer, type AwsJsonServer } from '../../local-cloud/aws-json-server.js';

/** The registry side of CodeDeploy that push uses: applications, deployment groups, revisions. */
export interface CodeDeployRevisionsState {
  applications: Map<string, { groups: string[]; revisions: { bucket: string; key: string; eTag?: string; description?: string }[] }>;
}

export interface FakeCodeDeployRevisions extends AwsJsonServer {
  state: CodeDeployRevisionsState;
}

/** Page size for ListDeploymentGroups, small so that paging is exercised. */
const PAGE = 2;

export async function startFakeCodeDeployRevisions(apps: Record<string, string[]>): Promise<FakeCodeDeployRevisions> {
  const state: CodeDeployRevisionsState = {
    applications: new Map(Object.entries(apps).map(([name, groups]) => [name, { groups, revisions: [] }])),
  };
  const app = (name: unknown) => {
    const found = state.applications.get(String(name));
    if (!found) throw new AwsServiceError('ApplicationDoesNotExistException', `No application found for name: ${String(name)}`);
    return found;
  };
  const server = await startAwsJsonServer({
    targetPrefix: 'CodeDeploy_20141006',
    protocol: '1.1',
    handlers: {
      GetApplication: (input) => {
        app(input.applicationName);
        return { application: { applicationName: input.applicationName, computePlatform: 'Server' } };
      },
      ListDeploymentGroups: (input) => {
        const groups = app(input.applicationName).groups;
        const start = input.nextToken ? Number(input.nextToken) : 0;
        const next = start + PAGE;
        return {
          applicationName: input.applicationName,
          deploymentGroups: groups.slice(start, next),
          ...(next < groups.length ? { nextToken: String(next) } : {}),
        };
      },
      RegisterApplicationRevision: (input) => {
        const s3 = input.revision?.s3Location;
        if (input.revision?.revisionType !== 'S3' || !s3?.bucket || !s3?.key)
          throw new AwsServiceError('InvalidRevisionException', 'S3 revision expected');
        app(input.applicationName).revisions.push({ bucket: s3.bucket, key: s3.key, eTag: s3.eTag, description: input.description });
        return {};
      },
      GetApplicationRevision: (input) => {
        const s3 = input.revision?.s3Location;
        const rev = app(input.applicationName).revisions.find((r) => r.bucket === s3?.bucket && r.key === s3?.key);
        if (!rev) throw new AwsServiceError('RevisionDoesNotExistException', 'No application revision found');
        return { applicationName: input.applicationName, revision: input.revision, revisionInfo: { description: rev.description } };
      },
    },
  });
  return Object.assign(server, { state });
}
