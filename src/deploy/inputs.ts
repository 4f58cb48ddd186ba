import * as core from '@actions/core';
import { isAbsolute, resolve } from 'node:path';
import { appNameProblem } from '../core/ion-config/names.js';
import type { Problem } from '../core/problems.js';
import { unameProblem } from '../core/revision/decide-revision.js';
import { appNameFromIonConfig } from './ion-config-app-name.js';

/** Every input of the deploy action, parsed and validated in one place, before any AWS call. */
export interface DeployInputs {
  target: StartTarget | FollowTarget;
  wait: boolean;
  timeoutMinutes: number;
  stopOnCancel: boolean;
  /** null unless github-deployment is true. */
  githubDeployment: { token: string; environment: string } | null;
  /** Empty: the region of the state machine's (or execution's) ARN. */
  region: string;
}

export interface StartTarget {
  mode: 'start';
  group: string;
  rev: string;
  appName: string;
  /** Where app-name came from: 'input' or the ion-config file. */
  appNameFrom: string;
  bucket: string;
  prefix: string;
  stateMachineArn: string;
}

export interface FollowTarget {
  mode: 'follow';
  executionArn: string;
}

export type InputReader = (name: string) => string;

const GROUP = /^[A-Za-z0-9._+=,@-]{1,100}$/;
const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:\s]{1,80}$/;
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:(execution|express):[^:\s]{1,80}:[^:\s]{1,80}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** A job runs for at most 6 hours on GitHub-hosted runners, 5 days on self-hosted ones. */
const MAX_TIMEOUT_MINUTES = 5 * 24 * 60;

/** The inputs, or every problem at once (each says what to set). Reads datomic/ion-config.edn when app-name is not given. */
export async function parseDeployInputs(
  read: InputReader = (n) => core.getInput(n),
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ inputs: DeployInputs } | { problems: Problem[] }> {
  const problems: Problem[] = [];
  const error = (message: string) => problems.push({ severity: 'error', message });
  const bool = (name: string, fallback: boolean): boolean => {
    const v = read(name).trim().toLowerCase();
    if (v === '') return fallback;
    if (['true', 'yes', '1'].includes(v)) return true;
    if (['false', 'no', '0'].includes(v)) return false;
    error(`${name}: "${v}" is not a boolean; use true or false`);
    return fallback;
  };

  const group = read('group').trim();
  const executionArn = read('execution-arn').trim();
  const wait = bool('wait', true);
  const stopOnCancel = bool('stop-on-cancel', true);
  const wantsGithubDeployment = bool('github-deployment', false);

  const timeoutText = read('timeout-minutes').trim() || '30';
  const timeoutMinutes = Number(timeoutText);
  if (!Number.isFinite(timeoutMinutes) || timeoutMinutes <= 0 || timeoutMinutes > MAX_TIMEOUT_MINUTES) {
    error(`timeout-minutes: "${timeoutText}" is not a number of minutes (more than 0, at most ${MAX_TIMEOUT_MINUTES}); e.g. 30`);
  }

  const region = read('region').trim();
  if (region !== '' && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) error(`region: "${region}" is not an AWS region such as us-east-1`);

  let target: StartTarget | FollowTarget | undefined;
  if (group !== '' && executionArn !== '') {
    error('group and execution-arn: set one of them: group to start a deploy, execution-arn to follow one that is already running');
  } else if (executionArn !== '') {
    if (!EXECUTION_ARN.test(executionArn)) error(`execution-arn: "${executionArn}" is not a Step Functions execution ARN (arn:aws:states:<region>:<account>:execution:<state machine>:<name>)`);
    if (wantsGithubDeployment) error('github-deployment: only for starting a deploy (group), not for following an execution-arn; remove it');
    target = { mode: 'follow', executionArn };
  } else if (group === '') {
    error('group: required; set it to the CodeDeploy deployment group to deploy to (or set execution-arn to follow a running deploy)');
  } else {
    target = await startTarget(group, read, env, problems);
  }

  let githubDeployment: DeployInputs['githubDeployment'] = null;
  if (wantsGithubDeployment && target?.mode === 'start') {
    const token = read('github-token').trim();
    if (token === '') error('github-token: required when github-deployment is true (the default is the job\'s github.token; it needs `permissions: deployments: write`)');
    githubDeployment = { token, environment: read('environment').trim() || target.group };
  }

  if (problems.some((p) => p.severity === 'error') || !target) return { problems };
  return { inputs: { target, wait, timeoutMinutes, stopOnCancel, githubDeployment, region } };
}

async function startTarget(group: string, read: InputReader, env: NodeJS.ProcessEnv, problems: Problem[]): Promise<StartTarget> {
  const error = (message: string) => problems.push({ severity: 'error', message });
  if (!GROUP.test(group)) error(`group: "${group}" is not a CodeDeploy deployment group name (1–100 letters, digits and . _ + = , @ -)`);

  const rev = read('rev').trim() || (env.GITHUB_SHA ?? '').trim();
  if (rev === '') error('rev: required outside a workflow run; set it to the pushed revision (the push action\'s `rev` output)');
  else {
    const problem = unameProblem(rev);
    if (problem) error(`rev: ${problem.replace(/^uname/, 'revision')}`);
  }

  const stateMachineArn = read('state-machine-arn').trim();
  if (stateMachineArn === '') error('state-machine-arn: required; set it to the deploy state machine\'s ARN (arn:aws:states:<region>:<account>:stateMachine:<name>)');
  else if (!STATE_MACHINE_ARN.test(stateMachineArn)) error(`state-machine-arn: "${stateMachineArn}" is not a state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>)`);

  const bucket = read('bucket').trim();
  if (bucket === '') error('bucket: required; set it to the S3 bucket push uploaded the revision to');
  else if (!BUCKET.test(bucket)) error(`bucket: "${bucket}" is not an S3 bucket name (3–63 lower-case letters, digits, "." and "-"); give the name, not an s3:// URL or ARN`);

  const prefix = read('prefix').trim().replace(/^\/+|\/+$/g, '') || 'ions';
  if (!/^[A-Za-z0-9!_.*'()/-]+$/.test(prefix) || prefix.split('/').some((p) => p === '' || p === '.' || p === '..')) {
    error(`prefix: "${prefix}" is not a safe S3 key prefix; use the prefix given to push (default ions)`);
  }

  let appName = read('app-name').trim();
  let appNameFrom = 'input';
  if (appName !== '') {
    const problem = appNameProblem(appName);
    if (problem) error(`app-name: ${problem.replace(/^:app-name/, 'app-name')}`);
  } else {
    const wd = read('working-directory').trim() || '.';
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    const found = await appNameFromIonConfig(isAbsolute(wd) ? wd : resolve(workspace, wd));
    if ('problems' in found) problems.push(...found.problems);
    else {
      appName = found.appName;
      appNameFrom = found.file;
    }
  }
  return { mode: 'start', group, rev, appName, appNameFrom, bucket, prefix, stateMachineArn };
}
