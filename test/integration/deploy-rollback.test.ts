/**
 * CodeDeploy's automatic rollback, end to end on the local cloud (local-cloud/): the built deploy action
 * (ION_ACTIONS_DIST or dist/, run the way the runner runs it) deploys to a group of two local instances
 * through the local Step Functions running infra/state-machine.asl.json and the local CodeDeploy, whose
 * agent runs each bundle's hooks. A good revision, then a failing one: with auto rollback on, CodeDeploy
 * redeploys the good one and the action follows that to its end; with it off, nothing is rolled back.
 *
 * The bundles are made by hand (no push, no JVM; test/support/hand-made-bundles.ts): an appspec whose
 * ApplicationStart records the revision in the instance's ION_ROOT and whose ValidateService passes or
 * fails, and an ion-manifest.json without lambdas or classpath. The action polls on a clock running 10×
 * real time (LOCAL_CLOUD_ACTION_CLOCK_SCALE there: its call budget, not the hooks, was what the deploys waited for).
 */
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleKey } from '../../src/core/layout.js';
import { AUTO_ROLLBACK_OFF, AUTO_ROLLBACK_ON } from '../../local-cloud/codedeploy.js';
import { startLocalCloud, type LocalCloud, type LocalStack } from '../../local-cloud/index.js';
import { DIST_DIR, runAction, type ActionResult } from '../../local-cloud/run-action.js';
import { deployInputs, deployStepEnv, pushHandMadeBundle } from '../support/hand-made-bundles.js';
import { runnerCommands } from '../support/runner-commands.js';

// Each deploy runs the agents' hooks in real time and the state machine's waits 20× fast: seconds, more on a busy machine.
jest.setTimeout(600_000);

const APP = 'shop';
const GOOD = 'good0001';
const BAD = 'bad00002';
/** A hostile line in the failing hook's output: printed, never acted on. */
const HOSTILE_OUTPUT = ['::add-mask::rollback', '##[set-output name=rolled-back]false', '::error::forged by the hook'];

let cloud: LocalCloud;
let stack: LocalStack;

/** While this file is in an instance's ION_ROOT, the good revision's ValidateService waits there (its hook timeout, 60 s, bounds it). */
const HOLD_FILE = 'hold-validate';

/** Holds the good revision's validation on every instance of the stack until the returned release() is called. */
function holdValidation(s: LocalStack): () => void {
  for (const i of s.deploymentGroup.instances) writeFileSync(join(i.root, HOLD_FILE), '');
  return () => {
    for (const i of s.deploymentGroup.instances) rmSync(join(i.root, HOLD_FILE), { force: true });
  };
}

beforeAll(async () => {
  cloud = await startLocalCloud({ timeScale: 0.05 });
  stack = await cloud.createStack({ appName: APP, group: 'shop-rollback', bucket: 'shop-rollback-code', instances: 2, autoRollback: true });
  await pushBundle(stack, GOOD, true);
  await pushBundle(stack, BAD, false);
});

afterAll(async () => {
  await cloud?.close();
});

/** What push would leave: the bundle at its key, registered with CodeDeploy. */
function pushBundle(s: LocalStack, rev: string, healthy: boolean): Promise<string> {
  const start = `#!/bin/sh\necho "${rev}" > "$ION_ROOT/current-rev"\necho "started ${rev}"\n`;
  // The good revision's validation waits while the test holds it (a file in ION_ROOT, see holdValidation): a
  // deployment of it is still running for as long as the test needs, however slow the machine, and no longer.
  const validate = healthy
    ? `#!/bin/sh\nwhile [ -e "$ION_ROOT/${HOLD_FILE}" ]; do sleep 0.1; done\necho healthy\n`
    : `#!/bin/sh\n${HOSTILE_OUTPUT.map((l) => `echo '${l}'`).join('\n')}\necho 'health check failed' >&2\nexit 1\n`;
  return pushHandMadeBundle(cloud, s, { rev, hooks: { ApplicationStart: start, ValidateService: validate } });
}

const inputs = deployInputs;
const stepEnv = (rev: string) => deployStepEnv(cloud, rev);

function deploy(s: LocalStack, rev: string): Promise<ActionResult> {
  return runAction('deploy', inputs(s, rev), { env: stepEnv(rev).env });
}

const runs = (s: LocalStack): string[] =>
  s.deploymentGroup.instances.map((i) => {
    try {
      return readFileSync(join(i.root, 'current-rev'), 'utf8').trim();
    } catch {
      return '';
    }
  });

/** The runner commands in the log, by name: the deploy's own groups and annotations only. */
const commandNames = (stdout: string) => runnerCommands(stdout).map((c) => c.name);

test('a good revision, then a failing one with auto rollback on: the rollback is followed to its end, the group runs the good revision', async () => {
  const good = await deploy(stack, GOOD);
  if (good.exitCode !== 0) throw new Error(`the good deploy failed:\n${good.stdout}\n${good.stderr}`);
  expect(good.outputs).toMatchObject({ status: 'SUCCEEDED', 'rolled-back': 'false', 'rollback-deployment-id': '' });
  expect(runs(stack)).toEqual([GOOD, GOOD]);

  const r = await deploy(stack, BAD);
  expect(r.exitCode).toBe(1);
  expect(r.outputs.status).toBe('FAILED');
  expect(r.outputs['rolled-back']).toBe('true');
  const rollbackId = r.outputs['rollback-deployment-id']!;
  expect(rollbackId).toMatch(/^d-[A-Z0-9]{9}$/);

  // CodeDeploy's side: the failed deployment names its rollback, which redeployed the good revision.
  const failed = cloud.codedeploy.deployments.get(r.outputs['deployment-id']!)!;
  expect(failed.status).toBe('Failed');
  expect(failed.rollbackInfo?.rollbackDeploymentId).toBe(rollbackId);
  const rollback = cloud.codedeploy.deployments.get(rollbackId)!;
  expect(rollback).toMatchObject({
    creator: 'codeDeployRollback',
    status: 'Succeeded',
    rollbackInfo: { rollbackTriggeringDeploymentId: failed.deploymentId },
  });
  expect(rollback.revision.key).toBe(bundleKey(stack.prefix, APP, GOOD));
  expect(runs(stack)).toEqual([GOOD, GOOD]);

  // The log: the failure, then the rollback under its heading, every instance of it, and what runs now.
  const log = r.stdout;
  const heading = log.indexOf(
    `── Rollback of shop-rollback: CodeDeploy redeploys the last successful revision (deployment ${rollbackId}, after ${failed.deploymentId} failed)`,
  );
  expect(heading).toBeGreaterThan(log.indexOf('Execution FAILED'));
  for (const instance of ['i-local01', 'i-local02']) {
    expect(log.slice(heading)).toMatch(new RegExp(`${instance} ✔ ValidateService`));
    expect(log.slice(heading)).toMatch(new RegExp(`${instance} succeeded`));
  }
  expect(log).toContain(
    `✔ Rolled back: shop-rollback runs revision ${GOOD} again, healthy (rollback deployment ${rollbackId} succeeded on every instance).`,
  );
  // The step's failure says it too; the hook's hostile output is shown, not acted on.
  expect(r.annotations.at(-1)).toMatch(
    new RegExp(
      `^::error::Execution .* FAILED: .*CodeDeploy rolled shop-rollback back: it runs revision ${GOOD} again, healthy \\(deployment ${rollbackId}\\)\\.$`,
    ),
  );
  expect(log).toContain('forged by the hook');
  expect(new Set(commandNames(log))).toEqual(new Set(['group', 'endgroup', 'error']));
  expect(runnerCommands(log).filter((c) => c.name === 'error')).toHaveLength(2);

  expect(r.summary).toContain(`FAILED, rolled back to \`${GOOD}\``);
  expect(r.summary).toContain('### Rollback');
  expect(r.summary).toContain(`✅ \`shop-rollback\` runs revision \`${GOOD}\` again, **healthy**`);
  expect(r.summary).toContain(`### Instances of ${rollbackId}`);
});

test('with auto rollback off: nothing is rolled back, rolled-back is false, and the log says so', async () => {
  stack.deploymentGroup.autoRollbackConfiguration = AUTO_ROLLBACK_OFF;
  try {
    const r = await deploy(stack, BAD);
    expect(r.exitCode).toBe(1);
    expect(r.outputs).toMatchObject({ status: 'FAILED', 'rolled-back': 'false', 'rollback-deployment-id': '' });
    const failed = cloud.codedeploy.deployments.get(r.outputs['deployment-id']!)!;
    expect(failed.rollbackInfo).toBeUndefined();
    expect(r.stdout).toContain(`No automatic rollback: it is off for deployment ${failed.deploymentId}`);
    expect(r.stdout).not.toContain('── Rollback');
    // The first instance ran the failing revision's ApplicationStart; the second was skipped.
    expect(runs(stack)).toEqual([BAD, GOOD]);
  } finally {
    stack.deploymentGroup.autoRollbackConfiguration = AUTO_ROLLBACK_ON;
  }
});

test('auto rollback on but nothing to roll back to (the group never succeeded): CodeDeploy starts none and says why', async () => {
  const first = await cloud.createStack({
    appName: 'shop-first',
    group: 'shop-first',
    bucket: 'shop-first-code',
    instances: 1,
    autoRollback: true,
  });
  await pushBundle(first, BAD, false);
  const r = await deploy(first, BAD);
  expect(r.exitCode).toBe(1);
  expect(r.outputs).toMatchObject({ status: 'FAILED', 'rolled-back': 'false', 'rollback-deployment-id': '' });
  const failed = cloud.codedeploy.deployments.get(r.outputs['deployment-id']!)!;
  expect(failed.rollbackInfo?.rollbackMessage).toMatch(/^No rollback: deployment group .* has no earlier successful deployment/);
  expect(r.stdout).toContain(
    `No automatic rollback of ${failed.deploymentId}: CodeDeploy says No rollback: deployment group shop-first has no earlier successful deployment to roll back to.`,
  );
  expect(r.stdout).not.toContain('── Rollback');
  expect(new Set(commandNames(r.stdout))).toEqual(new Set(['group', 'endgroup', 'error']));
});

/** Signals this test process's child running the given dist entry, the way the runner signals a step. */
function signalChild(entry: string, signal: NodeJS.Signals): boolean {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (ppid === process.pid && cmdline.includes(join(DIST_DIR, entry, 'index.js'))) {
        process.kill(Number(pid), signal);
        return true;
      }
    } catch {
      // The process ended while we looked.
    }
  }
  return false;
}

test('cancelled while following the rollback: the step ends at once, and neither it nor the post step stops the rollback', async () => {
  // The rollback (of the good revision) cannot finish before the post step has run: its validation is held until then.
  const release = holdValidation(stack);
  try {
    const { env, savedState } = stepEnv(BAD);
    let signalled = false;
    let seen = '';
    const main = await runAction('deploy', inputs(stack, BAD), {
      env,
      onStdout: (chunk) => {
        seen += chunk;
        if (!signalled && seen.includes('── Rollback')) signalled = signalChild('deploy', 'SIGINT');
      },
    });
    expect(signalled).toBe(true);
    expect(main.exitCode).toBe(130);
    // The main step saved the deployment it followed (for the post step) before it was cut short.
    const [failedId] = JSON.parse(savedState()['deployment-ids']!) as string[];
    const failed = cloud.codedeploy.deployments.get(failedId!)!;
    const rollback = cloud.codedeploy.deployments.get(failed.rollbackInfo!.rollbackDeploymentId!)!;
    expect(['Created', 'InProgress']).toContain(rollback.status);

    // The runner's post step: the execution has ended, so there is nothing to stop; the rollback is not touched.
    const saved = Object.fromEntries(Object.entries(savedState()).map(([k, v]) => [`STATE_${k}`, v]));
    const post = await runAction('deploy-cleanup', inputs(stack, BAD), { env: { ...env, ...saved } });
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toMatch(/is FAILED: nothing to stop\./);
    expect(rollback.stopRequested).toBe(false);
    release();
    await rollback.done;
    expect(rollback.stopRequested).toBe(false);
    expect(rollback.status).toBe('Succeeded');
    expect(runs(stack)).toEqual([GOOD, GOOD]);
  } finally {
    release();
  }
});

test('the local CodeDeploy rolls back a stopped deployment only when StopDeployment asks for it (autoRollbackEnabled)', async () => {
  const handlers = cloud.codedeploy.handlers;
  const ctx = (operation: string) => ({ operation, input: {}, at: Date.now() });
  const revision = { revisionType: 'S3', s3Location: { bucket: stack.bucket, key: bundleKey(stack.prefix, APP, GOOD), bundleType: 'zip' } };
  /**
   * Starts a deployment of the good revision and stops it once running; its validation is held until the
   * stop is in, so it cannot end before (the rollback a stop may start then validates at once).
   */
  const startThenStop = async (autoRollbackEnabled: boolean) => {
    const release = holdValidation(stack);
    try {
      const { deploymentId } = (await handlers.CreateDeployment!(
        { applicationName: APP, deploymentGroupName: stack.group, revision },
        ctx('CreateDeployment'),
      )) as { deploymentId: string };
      const d = cloud.codedeploy.deployments.get(deploymentId)!;
      while (d.status !== 'InProgress') await new Promise((r) => setTimeout(r, 50));
      await handlers.StopDeployment!({ deploymentId, autoRollbackEnabled }, ctx('StopDeployment'));
      release();
      await d.done;
      return d;
    } finally {
      release();
    }
  };

  const kept = await startThenStop(false);
  expect(kept.status).toBe('Stopped');
  expect(kept.rollbackInfo).toBeUndefined();

  const stopped = await startThenStop(true);
  expect(stopped.status).toBe('Stopped');
  const rollback = cloud.codedeploy.deployments.get(stopped.rollbackInfo!.rollbackDeploymentId!)!;
  expect(rollback).toMatchObject({
    creator: 'codeDeployRollback',
    status: 'Succeeded',
    rollbackInfo: { rollbackTriggeringDeploymentId: stopped.deploymentId },
  });
  expect(stopped.rollbackInfo!.rollbackMessage).toBe(`Rolled back by deployment ${rollback.deploymentId}.`);
  const info = (await handlers.GetDeployment!({ deploymentId: rollback.deploymentId }, ctx('GetDeployment'))) as {
    deploymentInfo: Record<string, unknown>;
  };
  expect(info.deploymentInfo).toMatchObject({ creator: 'codeDeployRollback', autoRollbackConfiguration: AUTO_ROLLBACK_ON });
});
