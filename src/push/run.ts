import * as core from '@actions/core';
import { homedir } from 'node:os';
import { explainAwsError, hasCredentials } from '../aws/explain-error.js';
import { CodeDeployRevisionRegistry } from '../aws/codedeploy-revisions.js';
import { createCodeDeployClient } from '../aws/codedeploy-client.js';
import { S3BundleStore } from '../aws/s3-bundle-store.js';
import { createS3Client } from '../aws/s3-client.js';
import { S3ObjectStore } from '../aws/s3-object-store.js';
import { SyncFailedError } from '../core/content/sync.js';
import { UserError } from '../core/problems.js';
import type { PushEnvironment, PushPorts } from '../core/push/ports.js';
import { pushRevision, type PushReport } from '../core/push/push-revision.js';
import { inputProblemsError } from '../github/input-rules.js';
import { pushEnvironment } from './environment.js';
import { parsePushInputs, type PushInputs } from './inputs.js';
import { PushLog } from './push-log.js';
import { renderPushSummary } from './summary.js';

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const log = new PushLog();
  try {
    const parsed = parsePushInputs(undefined, env.GITHUB_WORKSPACE ?? process.cwd());
    if ('problems' in parsed) throw inputProblemsError(parsed.problems);
    const { inputs } = parsed;
    const ports = await connectAws(inputs, pushEnvironment(env, homedir()));
    const report = await pushRevision(
      {
        projectDir: inputs.projectDir,
        aliases: inputs.aliases,
        classpath: inputs.classpath,
        uname: inputs.uname,
        bucket: inputs.bucket,
        prefix: inputs.prefix,
        dryRun: inputs.dryRun,
      },
      ports,
      log.handle,
    );
    setOutputs(report);
    await core.summary.addRaw(renderPushSummary(report, { actionRef: actionRef(env) })).write();
    log.finished(report);
  } catch (err) {
    if (err instanceof UserError) log.failed(err.message, err.problems);
    // Already says which objects failed, why and what to do; its stack would only be noise.
    else if (err instanceof SyncFailedError) log.failed(err.message);
    else log.failed(explainAwsError(err));
  }
}

/** Builds the AWS ports; in a dry run without credentials (a fork's pull request) they are null, and S3's without a bucket. */
async function connectAws(inputs: PushInputs, environment: PushEnvironment): Promise<PushPorts> {
  const s3 = createS3Client({ region: inputs.region });
  const codedeploy = createCodeDeployClient({ region: inputs.region });
  if (!(await hasCredentials(s3))) {
    if (!inputs.dryRun) {
      throw new UserError(
        'No AWS credentials: add aws-actions/configure-aws-credentials before this step, or set dry-run: true to only validate.',
      );
    }
    core.info('No AWS credentials: validating only (S3 and CodeDeploy checks are skipped).');
    return { objects: null, bundles: null, registry: null, environment };
  }
  const bucketed = inputs.bucket !== '';
  return {
    objects: bucketed ? new S3ObjectStore(s3, inputs.bucket) : null,
    bundles: bucketed ? new S3BundleStore(s3, inputs.bucket) : null,
    registry: new CodeDeployRevisionRegistry(codedeploy),
    environment,
  };
}

function setOutputs(report: PushReport): void {
  const bytes = (objects: readonly { size: number }[]) => String(objects.reduce((n, o) => n + o.size, 0));
  core.setOutput('rev', report.rev);
  core.setOutput('reproducible', String(report.reproducible));
  core.setOutput('app-name', report.appName);
  core.setOutput('bundle', report.bucket ? `s3://${report.bucket}/${report.bundleKey}` : '');
  core.setOutput('uploaded-files', String(report.uploaded.length));
  core.setOutput('uploaded-bytes', bytes(report.uploaded));
  core.setOutput('reused-files', String(report.reused.length));
  core.setOutput('reused-bytes', bytes(report.reused));
  core.setOutput('deploy-groups', JSON.stringify(report.groups ?? []));
}

function actionRef(env: NodeJS.ProcessEnv): string {
  const repo = env.GITHUB_ACTION_REPOSITORY;
  const ref = env.GITHUB_ACTION_REF;
  return repo ? `${repo}/push@${ref || 'v1'}` : 'OWNER/ion-actions/push@v1';
}
