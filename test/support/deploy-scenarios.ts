import { PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scaledClock, type Clock } from '../../src/core/deploy/clock.js';
import type { ExecutionInput } from '../../src/core/deploy/contract.js';
import { bareETag } from '../../src/aws/s3-client.js';
import { zipFiles } from '../../src/core/content/deterministic-zip.js';
import { bundleKey } from '../../src/core/layout.js';
import { MANIFEST_FORMAT, MANIFEST_VERSION, type Manifest, type ManifestLambda } from '../../src/core/manifest/schema.js';
import {
  startFakeCodeDeployDeployments,
  type FakeCodeDeployDeployments,
  type ScriptedDeployment,
  type ScriptedTarget,
} from './fake-codedeploy-deployments.js';
import { startFakeGithub, type FakeGithub } from './fake-github-deployments.js';
import { startFakeStepFunctions, type FakeStepFunctions, type ScriptedEvent } from './fake-step-functions.js';
import { startFaultProxy, type FaultProxy } from './aws-fault-proxy.js';
import { parseOutputFile, TEST_CLOCK_ENV } from '../../local-cloud/run-action.js';
import { startS3Server, type S3Server } from '../../local-cloud/s3-server.js';

/** An in-place EC2 deployment's lifecycle events, with realistic durations; traffic hooks are skipped (no load balancer). */
export const HOOKS: { name: string; ms: number; skipped?: boolean }[] = [
  { name: 'ApplicationStop', ms: 1500 },
  { name: 'BeforeBlockTraffic', ms: 0, skipped: true },
  { name: 'BlockTraffic', ms: 0, skipped: true },
  { name: 'AfterBlockTraffic', ms: 0, skipped: true },
  { name: 'DownloadBundle', ms: 2500 },
  { name: 'BeforeInstall', ms: 4000 },
  { name: 'Install', ms: 800 },
  { name: 'AfterInstall', ms: 1200 },
  { name: 'ApplicationStart', ms: 3000 },
  { name: 'ValidateService', ms: 20_000 },
  { name: 'BeforeAllowTraffic', ms: 0, skipped: true },
  { name: 'AllowTraffic', ms: 0, skipped: true },
  { name: 'AfterAllowTraffic', ms: 0, skipped: true },
];

/**
 * HOOKS with a ValidateService of an hour scripted (72 s real at 50×): a deploy still running whenever a
 * test's next step (a post step, a stop) comes, however slow the machine, where its length is not the point.
 */
export const HOUR_LONG_VALIDATION: typeof HOOKS = HOOKS.map((h) => (h.name === 'ValidateService' ? { ...h, ms: 60 * 60_000 } : h));

export interface LifecycleFailure {
  instance: string;
  event: string;
  diagnostics: { errorCode: string; scriptName: string; message: string; logTail: string };
}

/** A log tail with a workflow command in it: the deploy must print it, not run it. */
export const HOSTILE_LOG_TAIL = [
  '[stdout]Starting ion app on port 8182',
  '[stdout]::set-output name=status::HIJACKED',
  '[stderr]::error::this annotation must not exist',
  '[stderr]Exception in thread "main" java.lang.RuntimeException: health check failed: connection refused',
  '[stderr]\tat my.app.main$start.invokeStatic(main.clj:42)',
].join('\n');

/**
 * A rolling in-place deployment: `batchSize` instances at a time, each through HOOKS (durations varied
 * a little, deterministically), the next batch when the previous one is done. With a failure, the
 * failing instance skips its remaining hooks, its batch finishes, and later instances are skipped.
 */
export function rollingDeployment(spec: {
  deploymentId: string;
  applicationName: string;
  deploymentGroupName: string;
  createMs: number;
  startMs: number;
  instances: string[];
  batchSize: number;
  hooks?: typeof HOOKS;
  failure?: LifecycleFailure;
  /** The failed deployment's ErrorInformation message (default: CodeDeploy's health-constraints one). */
  errorMessage?: string;
}): ScriptedDeployment {
  const hooks = spec.hooks ?? HOOKS;
  const targets: ScriptedTarget[] = [];
  let batchStart = spec.startMs;
  let failedAt: number | undefined;
  for (let b = 0; b < spec.instances.length; b += spec.batchSize) {
    const batch = spec.instances.slice(b, b + spec.batchSize);
    if (failedAt !== undefined) {
      for (const id of batch)
        targets.push({
          targetId: id,
          events: hooks.map((h) => ({ name: h.name, startMs: failedAt!, endMs: failedAt!, status: 'Skipped' })),
          skippedAtMs: failedAt,
        });
      continue;
    }
    let batchEnd = batchStart;
    batch.forEach((id, i) => {
      let t = batchStart + 150 * i;
      let failed = false;
      const events = hooks.map((h, j) => {
        const vary = 1 + (((b + i) * 7 + j * 3) % 5) / 10;
        const ms = h.skipped || failed ? 0 : Math.round(h.ms * vary);
        const event = {
          name: h.name,
          startMs: t,
          endMs: t + ms,
          status: (h.skipped || failed ? 'Skipped' : 'Succeeded') as 'Succeeded' | 'Failed' | 'Skipped',
        };
        if (!failed && spec.failure?.instance === id && spec.failure.event === h.name) {
          failed = true;
          Object.assign(event, { status: 'Failed', diagnostics: spec.failure.diagnostics });
        }
        t += ms + (ms ? 50 : 0);
        return event;
      });
      batchEnd = Math.max(batchEnd, t);
      targets.push({ targetId: id, events });
      if (failed) failedAt = t;
    });
    if (failedAt !== undefined) failedAt = batchEnd;
    batchStart = batchEnd + 500;
  }
  const endMs = failedAt ?? batchStart - 500;
  return {
    deploymentId: spec.deploymentId,
    applicationName: spec.applicationName,
    deploymentGroupName: spec.deploymentGroupName,
    createMs: spec.createMs,
    startMs: spec.startMs,
    endMs: endMs + 300,
    finalStatus: failedAt === undefined ? 'Succeeded' : 'Failed',
    errorInformation:
      failedAt === undefined
        ? undefined
        : {
            code: 'HEALTH_CONSTRAINTS',
            message:
              spec.errorMessage ??
              'The overall deployment failed because too many individual instances failed deployment, too few healthy instances are available for deployment, or some instances in your deployment group are experiencing problems.',
          },
    targets,
  };
}

/** Builds Step Functions history events the way the service writes them, advancing a cursor in time. */
export class HistoryScript {
  readonly events: ScriptedEvent[] = [];
  t = 0;

  constructor(
    private readonly data: unknown,
    /** Renames states (hostile-text tests give them names no state machine should have). */
    private readonly stateName: (name: string) => string = (name) => name,
  ) {}

  private add(type: string, details?: Record<string, unknown>, after = 0): void {
    this.t += after;
    const named =
      details && typeof details.name === 'string' && /State(Entered|Exited)$/.test(type)
        ? { ...details, name: this.stateName(details.name) }
        : details;
    this.events.push({ offsetMs: this.t, type, details: named });
  }

  started(): this {
    this.add('ExecutionStarted', { input: JSON.stringify(this.data), roleArn: 'arn:aws:iam::123456789012:role/ion-deploy' });
    return this;
  }

  task(name: string, o: { ms: number; resourceType: string; resource: string; result: unknown; output?: unknown }): this {
    this.add('TaskStateEntered', { name, input: JSON.stringify(this.data) }, 40);
    this.add('TaskScheduled', { resourceType: o.resourceType, resource: o.resource, region: 'us-east-1', parameters: '{}' }, 10);
    this.add('TaskStarted', { resourceType: o.resourceType, resource: o.resource }, 20);
    this.add('TaskSucceeded', { resourceType: o.resourceType, resource: o.resource, output: JSON.stringify(o.result) }, o.ms);
    this.add('TaskStateExited', { name, output: JSON.stringify(o.output ?? this.data) }, 5);
    return this;
  }

  taskFails(name: string, o: { ms: number; resourceType: string; resource: string; error: string; cause: string }): this {
    this.add('TaskStateEntered', { name, input: JSON.stringify(this.data) }, 40);
    this.add('TaskScheduled', { resourceType: o.resourceType, resource: o.resource, region: 'us-east-1', parameters: '{}' }, 10);
    this.add('TaskStarted', { resourceType: o.resourceType, resource: o.resource }, 20);
    this.add('TaskFailed', { resourceType: o.resourceType, resource: o.resource, error: o.error, cause: o.cause }, o.ms);
    this.add('ExecutionFailed', { error: o.error, cause: o.cause }, 5);
    return this;
  }

  wait(name: string, ms: number): this {
    this.add('WaitStateEntered', { name, input: JSON.stringify(this.data) }, 10);
    this.add('WaitStateExited', { name, output: JSON.stringify(this.data) }, ms);
    return this;
  }

  choice(name: string): this {
    this.add('ChoiceStateEntered', { name, input: JSON.stringify(this.data) }, 10);
    this.add('ChoiceStateExited', { name, output: JSON.stringify(this.data) }, 5);
    return this;
  }

  succeed(name: string, output: unknown): this {
    this.add('SucceedStateEntered', { name, input: JSON.stringify(this.data) }, 10);
    this.add('SucceedStateExited', { name, output: JSON.stringify(output) }, 5);
    this.add('ExecutionSucceeded', { output: JSON.stringify(output) }, 5);
    return this;
  }

  fail(name: string, error: string, cause: string): this {
    this.add('FailStateEntered', { name, input: JSON.stringify(this.data) }, 10);
    this.add('ExecutionFailed', { error, cause }, 5);
    return this;
  }
}

export interface ScenarioSpec {
  instances?: number;
  batchSize?: number;
  hooks?: typeof HOOKS;
  /** A lifecycle event fails on one instance (by index). */
  failure?: { instanceIndex: number; event: string; diagnostics: LifecycleFailure['diagnostics'] };
  /** The state machine fails before creating any deployment. */
  failBeforeDeployment?: { error: string; cause: string };
  /** The state machine's wait loop period (it polls CodeDeploy like this). */
  waitLoopMs?: number;
  /** Instance ids instead of instanceIds(instances). */
  instanceIds?: string[];
  /** Renames the states in the history. */
  stateName?: (name: string) => string;
  /** The failed deployment's ErrorInformation message. */
  errorMessage?: string;
}

export const instanceIds = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `i-0${(0x5eed0a1 + i * 0x111).toString(16).padStart(16, '0')}`);

/**
 * The reference state machine's shape: EnsureLambdas → CreateDeployment → (WaitForDeployment →
 * GetDeploymentStatus → DeploymentDone?)* → Done | DeploymentFailed, scripted for one execution.
 */
export function scriptExecution(
  spec: ScenarioSpec,
  exec: { executionArn: string; input: unknown; startMs: number },
  codedeploy: FakeCodeDeployDeployments,
  deploymentId: string,
): ScriptedEvent[] {
  const input = exec.input as ExecutionInput;
  const h = new HistoryScript(input, spec.stateName).started();
  const lambdaResult = { Payload: { ensured: input.lambdas.map((l) => l.functionName) }, StatusCode: 200 };
  if (spec.failBeforeDeployment) {
    h.taskFails('EnsureLambdas', { ms: 1800, resourceType: 'lambda', resource: 'invoke', ...spec.failBeforeDeployment });
    return h.events;
  }
  h.task('EnsureLambdas', { ms: 2200, resourceType: 'lambda', resource: 'invoke', result: lambdaResult });
  h.task('CreateDeployment', {
    ms: 700,
    resourceType: 'aws-sdk:codedeploy',
    resource: 'createDeployment',
    result: { DeploymentId: deploymentId },
    output: { ...input, deployment: { DeploymentId: deploymentId } },
  });
  const createMs = exec.startMs + h.t;
  const instances = spec.instanceIds ?? instanceIds(spec.instances ?? 3);
  const deployment = rollingDeployment({
    deploymentId,
    applicationName: input.appName,
    deploymentGroupName: input.group,
    createMs,
    startMs: createMs + 2500,
    instances,
    batchSize: spec.batchSize ?? 1,
    hooks: spec.hooks,
    failure: spec.failure
      ? { instance: instances[spec.failure.instanceIndex]!, event: spec.failure.event, diagnostics: spec.failure.diagnostics }
      : undefined,
    errorMessage: spec.errorMessage,
  });
  codedeploy.deployments.set(deploymentId, deployment);
  const waitMs = spec.waitLoopMs ?? 10_000;
  for (;;) {
    h.wait('WaitForDeployment', waitMs);
    const now = exec.startMs + h.t;
    const status = now >= deployment.endMs ? deployment.finalStatus : 'InProgress';
    h.task('GetDeploymentStatus', {
      ms: 300,
      resourceType: 'aws-sdk:codedeploy',
      resource: 'getDeployment',
      result: { DeploymentInfo: { DeploymentId: deploymentId, Status: status } },
    });
    h.choice('DeploymentDone?');
    if (status !== 'InProgress') break;
  }
  if (deployment.finalStatus === 'Succeeded') {
    h.succeed('Done', { DeploymentId: deploymentId, Lambdas: input.lambdas.map((l) => l.functionName) });
  } else {
    h.fail(
      'DeploymentFailed',
      'DeploymentFailed',
      JSON.stringify({
        DeploymentId: deploymentId,
        Status: 'Failed',
        ErrorInformation: { Code: deployment.errorInformation!.code, Message: deployment.errorInformation!.message },
      }),
    );
  }
  return h.events;
}

export const APP = 'shop';
export const GROUP = 'shop-compute-prod';
export const BUCKET = 'ion-code-test';
export const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:ion-deploy';
export const REV = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';
export const LAMBDAS: ManifestLambda[] = [
  {
    name: 'get-items',
    fn: 'shop.lambdas/get-items',
    description: 'Lists items',
    timeoutSecs: 60,
    concurrencyLimit: 20,
    integration: 'api-gateway/proxy',
  },
  { name: 'checkout', fn: 'shop.lambdas/checkout', description: '', timeoutSecs: 30, concurrencyLimit: null, integration: null },
];

/** Every server a deploy talks to, a scripted clock they share with the action, and the action's env and inputs. */
export interface DeployWorld {
  clock: Clock;
  epoch: number;
  scale: number;
  s3: S3Server;
  sfn: FakeStepFunctions;
  codedeploy: FakeCodeDeployDeployments;
  github: FakeGithub;
  /** The network in front of Step Functions and CodeDeploy (the action talks through these). */
  faults: { sfn: FaultProxy; codedeploy: FaultProxy };
  /** The script for the next StartExecution. */
  scenario: ScenarioSpec;
  /** Deployment ids handed out, in order. */
  deploymentIds: string[];
  env(extra?: Record<string, string>): Record<string, string>;
  inputs(extra?: Record<string, string>): Record<string, string>;
  /** The GITHUB_STATE file of the last env() (what core.saveState wrote). */
  savedState(): Record<string, string>;
  putBundle(appName: string, rev: string, lambdas?: ManifestLambda[]): Promise<void>;
  /**
   * Between tests: ends executions a previous test left running (they would make the next deploy wait
   * for them: one per group), clears the scenario and the recorded calls.
   */
  reset(): void;
  close(): Promise<void>;
}

let runCounter = 7_000_000_000;

export async function startDeployWorld(options: { scale?: number; scenario?: ScenarioSpec } = {}): Promise<DeployWorld> {
  const scale = options.scale ?? 50;
  const epoch = Date.now();
  const clock = scaledClock(epoch, scale);
  const [s3, codedeploy, github] = await Promise.all([startS3Server(), startFakeCodeDeployDeployments(clock), startFakeGithub()]);
  await s3.createBucket(BUCKET);
  codedeploy.applications.set(APP, { groups: ['shop-compute-staging', GROUP, 'shop-query-prod'], revisions: [] });
  const deploymentIds: string[] = [];
  let stateFile = '';
  const world = {} as DeployWorld;
  const sfn = await startFakeStepFunctions({
    clock,
    stateMachines: [STATE_MACHINE_ARN],
    onStart: (exec) => {
      const id = `d-${(0x1a2b3c4d5 + deploymentIds.length * 0x10101).toString(16).toUpperCase().padStart(9, '0').slice(0, 9)}`;
      deploymentIds.push(id);
      return scriptExecution(world.scenario, exec, codedeploy, id);
    },
  });

  const faults = { sfn: await startFaultProxy(sfn.url), codedeploy: await startFaultProxy(codedeploy.url) };

  Object.assign(world, {
    clock,
    epoch,
    scale,
    s3,
    sfn,
    codedeploy,
    github,
    faults,
    scenario: options.scenario ?? {},
    deploymentIds,
    env(extra: Record<string, string> = {}) {
      stateFile = join(mkdtempSync(join(tmpdir(), 'deploy-state-')), 'state');
      writeFileSync(stateFile, '');
      return {
        AWS_ENDPOINT_URL_SFN: faults.sfn.url,
        AWS_ENDPOINT_URL_CODEDEPLOY: faults.codedeploy.url,
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        [TEST_CLOCK_ENV]: `${epoch}:${scale}`,
        GITHUB_SHA: REV,
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_RUN_ID: String(runCounter++),
        GITHUB_RUN_ATTEMPT: '1',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_API_URL: github.url,
        GITHUB_ACTOR: 'octocat',
        GITHUB_STATE: stateFile,
        ...extra,
      };
    },
    inputs(extra: Record<string, string> = {}) {
      return { group: GROUP, 'app-name': APP, bucket: BUCKET, 'state-machine-arn': STATE_MACHINE_ARN, 'timeout-minutes': '30', ...extra };
    },
    savedState: () => (stateFile ? parseOutputFile(readFileSync(stateFile, 'utf8')) : {}),
    async putBundle(appName: string, rev: string, lambdas = LAMBDAS) {
      const key = bundleKey('ions', appName, rev);
      const manifest: Manifest = {
        format: MANIFEST_FORMAT,
        version: MANIFEST_VERSION,
        appName,
        rev,
        bucket: BUCKET,
        commit: rev,
        reproducible: true,
        classpath: [],
        lambdas,
        ionConfig: { 'app-name': appName },
      };
      const body = await zip({ 'ion-manifest.json': JSON.stringify(manifest, null, 2), 'appspec.yml': 'version: 0.0\nos: linux\n' });
      const client = s3.client();
      const put = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
      client.destroy();
      const app = codedeploy.applications.get(appName) ?? { groups: [GROUP], revisions: [] };
      // Registered the way push registers it: the bare ETag (as the AWS CLI's `deploy push` does).
      app.revisions.push({ bucket: BUCKET, key, eTag: bareETag(put.ETag) });
      codedeploy.applications.set(appName, app);
    },
    reset() {
      for (const e of sfn.executions.values()) if (sfn.statusOf(e.executionArn) === 'RUNNING') e.stoppedAtMs = clock.now();
      world.scenario = {};
      faults.sfn.clear();
      faults.codedeploy.clear();
      sfn.calls.length = 0;
      codedeploy.calls.length = 0;
      github.requests.length = 0;
    },
    async close() {
      await Promise.all([s3.close(), sfn.close(), codedeploy.close(), github.close(), faults.sfn.close(), faults.codedeploy.close()]);
    },
  });
  await world.putBundle(APP, REV);
  return world;
}

const zip = (files: Record<string, string>): Promise<Buffer> => zipFiles(Object.entries(files).map(([name, data]) => ({ name, data })));

/**
 * The workflow commands the runner would act on in `stdout`: lines starting with `::`, except inside a
 * `::stop-commands::<token>` … `::<token>::` block, as the runner processes them.
 */
export function effectiveCommands(stdout: string): string[] {
  const commands: string[] = [];
  let stopToken: string | null = null;
  for (const line of stdout.split(/\r?\n/)) {
    if (stopToken !== null) {
      if (line === `::${stopToken}::`) stopToken = null;
      continue;
    }
    const m = /^::([A-Za-z-]+)(?: [^:]*)?::(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === 'stop-commands') stopToken = m[2]!;
    else commands.push(line);
  }
  return commands;
}

/** The log lines of the deploy's stream (`[mm:ss] …`), without their timestamps. */
export const streamLines = (stdout: string): string[] =>
  stdout
    .split('\n')
    .filter((l) => /^\[\d+:\d\d(:\d\d)?\] /.test(l))
    .map((l) => l.replace(/^\[[\d:]+\] /, ''));
