import * as runner from '../github/workflow-commands.js';
import { appNameProblem } from '../core/ion-config/names.js';
import type { Problem } from '../core/problems.js';
import { unameProblem } from '../core/revision/decide-revision.js';
import { InputRules, type InputReader } from '../github/input-rules.js';
import { appNameFromIonConfig } from './ion-config-app-name.js';
import { PREVIOUS } from '../core/deploy/deploy-order.js';

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
  /** Deploy even when the group already runs this revision (otherwise the step succeeds with status SKIPPED). */
  redeploy: boolean;
  /** Deploy even when the group runs a later commit that contains this one (a deliberate rollback). */
  allowOlder: boolean;
  /** Token for GitHub's compare API (the order check) and the GitHub Deployment; '' when not set. */
  githubToken: string;
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

export type { InputReader } from '../github/input-rules.js';

const GROUP = /^[A-Za-z0-9._+=,@-]{1,100}$/;
const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:\s]{1,80}$/;
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:(execution|express):[^:\s]{1,80}:[^:\s]{1,80}$/;
/** A job runs for at most 6 hours on GitHub-hosted runners, 5 days on self-hosted ones. */
const MAX_TIMEOUT_MINUTES = 5 * 24 * 60;

/** The inputs, or every problem at once (each says what to set). Reads datomic/ion-config.edn when app-name is not given. */
export async function parseDeployInputs(
  read: InputReader = (n) => runner.getInput(n),
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ inputs: DeployInputs } | { problems: Problem[] }> {
  const rules = new InputRules(read);
  const problems = rules.problems;
  const error = (message: string) => rules.error(message);

  const group = rules.text('group');
  const executionArn = rules.text('execution-arn');
  const wait = rules.boolean('wait', true);
  const stopOnCancel = rules.boolean('stop-on-cancel', true);
  const wantsGithubDeployment = rules.boolean('github-deployment', false);
  const redeploy = rules.boolean('redeploy', false);
  const allowOlder = rules.boolean('allow-older', false);
  const githubToken = rules.text('github-token');

  const timeoutText = rules.text('timeout-minutes') || '30';
  const timeoutMinutes = Number(timeoutText);
  if (!Number.isFinite(timeoutMinutes) || timeoutMinutes <= 0 || timeoutMinutes > MAX_TIMEOUT_MINUTES) {
    error(`timeout-minutes: "${timeoutText}" is not a number of minutes (more than 0, at most ${MAX_TIMEOUT_MINUTES}); e.g. 30`);
  }

  const region = rules.region();

  let target: StartTarget | FollowTarget | undefined;
  if (group !== '' && executionArn !== '') {
    error('group and execution-arn: set one of them: group to start a deploy, execution-arn to follow one that is already running');
  } else if (executionArn !== '') {
    if (!EXECUTION_ARN.test(executionArn)) {
      error(
        `execution-arn: "${executionArn}" is not a Step Functions execution ARN (arn:aws:states:<region>:<account>:execution:<state machine>:<name>)`,
      );
    }
    if (wantsGithubDeployment) {
      error('github-deployment: only for starting a deploy (group), not for following an execution-arn; remove it');
    }
    for (const [name, set] of [
      ['redeploy', redeploy],
      ['allow-older', allowOlder],
    ] as const) {
      if (set) error(`${name}: only for starting a deploy (group), not for following an execution-arn; remove it`);
    }
    target = { mode: 'follow', executionArn };
  } else if (group === '') {
    error('group: required; set it to the CodeDeploy deployment group to deploy to (or set execution-arn to follow a running deploy)');
  } else {
    target = await startTarget(group, rules, env);
  }

  let githubDeployment: DeployInputs['githubDeployment'] = null;
  if (wantsGithubDeployment && target?.mode === 'start') {
    const token = githubToken;
    if (token === '') {
      error(
        "github-token: required when github-deployment is true (the default is the job's github.token; it needs `permissions: deployments: write`)",
      );
    }
    githubDeployment = { token, environment: rules.text('environment') || target.group };
  }

  if (!rules.ok || !target) return { problems };
  return { inputs: { target, wait, timeoutMinutes, stopOnCancel, githubDeployment, region, redeploy, allowOlder, githubToken } };
}

async function startTarget(group: string, rules: InputRules, env: NodeJS.ProcessEnv): Promise<StartTarget> {
  const error = (message: string) => rules.error(message);
  if (!GROUP.test(group)) error(`group: "${group}" is not a CodeDeploy deployment group name (1–100 letters, digits and . _ + = , @ -)`);

  const rev = rules.text('rev') || (env.GITHUB_SHA ?? '').trim();
  // `previous` is a keyword, not a revision name: resolved at deploy time to what the group ran before (deploy-order.ts).
  const previous = rev === PREVIOUS;
  if (rev === '') error("rev: required outside a workflow run; set it to the pushed revision (the push action's `rev` output)");
  else if (!previous) {
    const problem = unameProblem(rev);
    if (problem) error(`rev: ${problem.replace(/^uname/, 'revision')}`);
  }

  const stateMachineArn = rules.text('state-machine-arn');
  if (stateMachineArn === '')
    error("state-machine-arn: required; set it to the deploy state machine's ARN (arn:aws:states:<region>:<account>:stateMachine:<name>)");
  else if (!STATE_MACHINE_ARN.test(stateMachineArn))
    error(`state-machine-arn: "${stateMachineArn}" is not a state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>)`);

  const bucket = rules.bucket('set it to the S3 bucket push uploaded the revision to');
  const prefix = rules.prefix('use the prefix given to push (default ions)');

  let appName = rules.text('app-name');
  let appNameFrom = 'input';
  if (appName !== '') {
    const problem = appNameProblem(appName);
    if (problem) error(`app-name: ${problem.replace(/^:app-name/, 'app-name')}`);
  } else {
    const found = await appNameFromIonConfig(rules.workingDirectory(env.GITHUB_WORKSPACE || process.cwd()));
    if ('problems' in found) rules.problems.push(...found.problems);
    else {
      appName = found.appName;
      appNameFrom = found.file;
    }
  }
  return { mode: 'start', group, rev, appName, appNameFrom, bucket, prefix, stateMachineArn };
}
