import * as runner from '../github/workflow-commands.js';
import { homedir } from 'node:os';
import { explainAwsError, hasCredentials } from '../aws/explain-error.js';
import { CodeDeployRevisionRegistry } from '../aws/codedeploy-revisions.js';
import { createCodeDeployClient } from '../aws/codedeploy-client.js';
import { CodeDeployRunningManifests } from '../aws/running-manifests.js';
import { S3BundleStore } from '../aws/s3-bundle-store.js';
import { createS3Client } from '../aws/s3-client.js';
import { S3ObjectStore } from '../aws/s3-object-store.js';
import { S3ObjectIndex } from '../aws/s3-object-index.js';
import { conflictItems } from '../core/classpath/dependency-conflicts.js';
import { SyncFailedError } from '../core/content/sync.js';
import { loadJarCache, saveJarCache } from '../core/content/jar-cache-file.js';
import { UserError } from '../core/problems.js';
import { runnerCacheDir } from '../core/runner-cache-dir.js';
import type { PushEnvironment, PushPorts } from '../core/push/ports.js';
import { pushRevision, type PushReport } from '../core/push/push-revision.js';
import { inertOneLine } from '../github/inert-text.js';
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
    // What earlier pushes on this machine learnt about its jars (hashes, entry names): see jar-cache.ts.
    const jarCache = runnerCacheDir(env, homedir());
    const loadingJarCache = loadJarCache(jarCache);
    const ports = await connectAws(inputs, pushEnvironment(env, homedir()));
    await loadingJarCache;
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
    ).finally(() => {
      const unsaved = saveJarCache(jarCache);
      if (unsaved) runner.debug(`The jar cache was not saved (the next push reads its jars again): ${inertOneLine(unsaved)}`);
    });
    setOutputs(report);
    await runner.appendSummary(renderPushSummary(report, { actionRef: actionRef(env) }));
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
    runner.info('No AWS credentials: validating only (S3 and CodeDeploy checks are skipped).');
    return { objects: null, bundles: null, registry: null, environment };
  }
  const bucketed = inputs.bucket !== '';
  return {
    objects: bucketed ? new S3ObjectStore(s3, inputs.bucket) : null,
    bundles: bucketed ? new S3BundleStore(s3, inputs.bucket) : null,
    objectIndex: bucketed ? new S3ObjectIndex(s3, inputs.bucket) : null,
    registry: new CodeDeployRevisionRegistry(codedeploy),
    // Read-only, for what the revision changes on each group: also in a dry run, with or without a bucket.
    running: new CodeDeployRunningManifests(codedeploy, s3),
    environment,
  };
}

function setOutputs(report: PushReport): void {
  const bytes = (objects: readonly { size: number }[]) => String(objects.reduce((n, o) => n + o.size, 0));
  runner.setOutput('rev', report.rev);
  runner.setOutput('reproducible', String(report.reproducible));
  runner.setOutput('app-name', report.appName);
  runner.setOutput('bundle', report.bucket ? `s3://${report.bucket}/${report.bundleKey}` : '');
  runner.setOutput('uploaded-files', String(report.uploaded.length));
  runner.setOutput('uploaded-bytes', bytes(report.uploaded));
  runner.setOutput('reused-files', String(report.reused.length));
  runner.setOutput('reused-bytes', bytes(report.reused));
  runner.setOutput('deploy-groups', JSON.stringify(report.groups ?? []));
  runner.setOutput('dependency-conflicts', JSON.stringify(conflictItems(report.conflicts)));
}

function actionRef(env: NodeJS.ProcessEnv): string {
  const repo = env.GITHUB_ACTION_REPOSITORY;
  const ref = env.GITHUB_ACTION_REF;
  return repo ? `${repo}/push@${ref || 'v1'}` : 'OWNER/ion-actions/push@v1';
}
