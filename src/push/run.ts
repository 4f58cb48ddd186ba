import * as core from '@actions/core';
import { parsePushInputs, type PushInputs } from './inputs.js';
import { renderPushSummary } from './summary.js';
import { pushRevision, type PushPorts, type PushReport } from '../core/push/push-revision.js';
import { UserError } from '../core/problems.js';
import { SyncFailedError } from '../core/content/sync.js';
import { reportProblems } from '../github/annotations.js';
import { createS3Client } from '../aws/s3-client.js';
import { S3ObjectStore } from '../aws/s3-object-store.js';
import { S3BundleStore } from '../aws/s3-bundle-store.js';
import { createCodeDeployClient } from '../aws/codedeploy-client.js';
import { CodeDeployRevisionRegistry } from '../aws/codedeploy-revisions.js';
import { explainAwsError, hasCredentials } from '../aws/explain-error.js';

const log: PushPorts['log'] = {
  info: (m) => core.info(m),
  group: (title, fn) => core.group(title, fn),
};

export async function run(): Promise<void> {
  try {
    const parsed = parsePushInputs();
    if ('errors' in parsed) {
      for (const e of parsed.errors) core.error(e);
      core.setFailed(`${parsed.errors.length} input error(s); fix the step's \`with:\` block.`);
      return;
    }
    const { inputs } = parsed;
    const ports = await connectAws(inputs);
    const report = await pushRevision(
      { projectDir: inputs.projectDir, aliases: inputs.aliases, classpath: inputs.classpath, uname: inputs.uname, bucket: inputs.bucket, prefix: inputs.prefix, dryRun: inputs.dryRun },
      ports,
    );
    reportProblems(report.warnings);
    setOutputs(report);
    await core.summary.addRaw(renderPushSummary(report, { actionRef: actionRef() })).write();
    for (const s of report.skipped) core.notice(`Skipped ${s}`);
    core.info(`${report.dryRun ? 'Validated' : 'Pushed'} ${report.appName} revision ${report.rev}`);
  } catch (err) {
    if (err instanceof UserError) {
      reportProblems(err.problems);
      core.setFailed(err.message);
    } else if (err instanceof SyncFailedError) {
      // Already says which objects failed, why and what to do; its stack would only be noise.
      core.setFailed(err.message);
    } else {
      core.setFailed(explainAwsError(err));
    }
  }
}

/** Builds the AWS ports; in a dry run without credentials (a fork's pull request) they are null. */
async function connectAws(inputs: PushInputs): Promise<PushPorts> {
  const s3 = createS3Client({ region: inputs.region });
  const codedeploy = createCodeDeployClient({ region: inputs.region });
  if (!(await hasCredentials(s3))) {
    if (!inputs.dryRun) {
      throw new UserError('No AWS credentials: add aws-actions/configure-aws-credentials before this step, or set dry-run: true to only validate.');
    }
    core.info('No AWS credentials: validating only (S3 and CodeDeploy checks are skipped).');
    return { objects: null, bundles: null, registry: null, log };
  }
  const bucketed = inputs.bucket !== '';
  return {
    objects: bucketed ? new S3ObjectStore(s3, inputs.bucket) : null,
    bundles: bucketed ? new S3BundleStore(s3, inputs.bucket) : null,
    registry: new CodeDeployRevisionRegistry(codedeploy),
    log,
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

function actionRef(): string {
  const repo = process.env.GITHUB_ACTION_REPOSITORY;
  const ref = process.env.GITHUB_ACTION_REF;
  return repo ? `${repo}/push@${ref || 'v1'}` : 'OWNER/ion-actions/push@v1';
}
