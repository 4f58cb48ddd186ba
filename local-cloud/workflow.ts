/**
 * A workflow run against the local cloud, shared by the demo and the end-to-end test: the example app
 * in a git repository of its own, and the REAL built actions (dist/push, dist/deploy and its post step
 * dist/deploy-cleanup) run the way the runner runs them (local-cloud/run-action.ts: INPUT_* variables,
 * GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE files), with the AWS SDK pointed at the local cloud.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { DIST_DIR, parseOutputFile, runAction, TEST_CLOCK_ENV, type ActionResult } from './run-action.js';
import { STAND_IN_BIN } from './clojure-stand-in.js';
import { REPO_ROOT, type LocalCloud, type LocalStack } from './index.js';

export const EXAMPLE_APP = join(REPO_ROOT, 'examples', 'hello-ion');

export interface ExampleRepo {
  dir: string;
  write(path: string, text: string): void;
  /** Commits everything; returns the new HEAD (the revision push will name). */
  commit(message: string): string;
  head(): string;
}

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], {
    cwd: dir,
    encoding: 'utf8',
    // A fresh machine has no git identity: give the commits one.
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'ion demo',
      GIT_AUTHOR_EMAIL: 'demo@example.com',
      GIT_COMMITTER_NAME: 'ion demo',
      GIT_COMMITTER_EMAIL: 'demo@example.com',
    },
  }).trim();

/** A copy of examples/<name> in a new git repository, committed, so its revision is the commit SHA. */
export function exampleRepo(root = mkdtempSync(join(tmpdir(), 'ion-example-')), source = EXAMPLE_APP): ExampleRepo {
  const dir = join(root, 'app');
  cpSync(source, dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  const repo: ExampleRepo = {
    dir,
    write(path, text) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    },
    commit(message) {
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', message);
      return repo.head();
    },
    head: () => git(dir, 'rev-parse', 'HEAD'),
  };
  repo.commit('hello-ion');
  return repo;
}

/** What every built action needs before it can run; each problem says how to fix it. */
export function missingPrerequisites(): string[] {
  const problems: string[] = [];
  const apt =
    'sudo apt-get install -y git unzip default-jre-headless clojure libtools-deps-clojure libdata-json-clojure libcheshire-clojure libcore-async-clojure awscli python3';
  for (const entry of ['push', 'deploy', 'deploy-cleanup']) {
    if (!existsSync(join(DIST_DIR, entry, 'index.js')))
      problems.push(`dist/${entry}/index.js is missing: run \`npm run build\` (or wait for a running build to finish)`);
  }
  const needs: [string, string][] = [
    ['/usr/bin/aws', "Debian's AWS CLI (the instances' hooks use it)"],
    ['/usr/bin/java', 'a JRE (tools.deps and the ValidateService check run on it)'],
    ['/usr/bin/python3', 'python3 (the hooks read the manifest with it)'],
    ['/usr/share/java/tools.deps.jar', "Debian's tools.deps (the `clojure -Spath` stand-in uses it)"],
    ['/usr/share/maven-repo/org/clojure/data.json', "Debian's data.json (examples/hello-ion depends on it)"],
  ];
  for (const [path, what] of needs) if (!existsSync(path)) problems.push(`${path} not found: ${what} is needed; install it with: ${apt}`);
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
  } catch {
    problems.push(`git not found; install it with: ${apt}`);
  }
  return problems;
}

export interface StepOptions {
  /** Live stdout of the action (the workflow log). */
  onStdout?: (chunk: string) => void;
  /** More environment (e.g. GITHUB_RUN_ID for a second run). */
  env?: Record<string, string>;
}

let runId = Math.floor(Date.now() / 1000);

/** The environment a workflow job gives each step, for a job on `repo`'s HEAD. */
function jobEnv(cloud: LocalCloud, repo: ExampleRepo, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...cloud.awsEnv(),
    // The Clojure CLI is not on a fresh Debian machine (and Debian's `clojure` is not the CLI): the
    // stand-in answers `clojure -Spath` with Debian's tools.deps.
    PATH: `${STAND_IN_BIN}${delimiter}${process.env.PATH ?? ''}`,
    GITHUB_WORKSPACE: repo.dir,
    GITHUB_SHA: repo.head(),
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REPOSITORY: 'local/hello-ion',
    GITHUB_RUN_ID: String(runId),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_ACTOR: safeUser(),
    // GitHub runs the actions on node24, where the AWS SDK has nothing to warn about; on an older
    // local Node its end-of-support warning would only be noise in the log.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  };
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'local';
  }
}

/** `uses: ion-actions/push` with `bucket` (and the stack's prefix), on the repository's HEAD. */
export function runPush(cloud: LocalCloud, stack: LocalStack, repo: ExampleRepo, o: StepOptions = {}): Promise<ActionResult> {
  return runAction(
    'push',
    { bucket: stack.bucket, prefix: stack.prefix, 'working-directory': '.' },
    { cwd: repo.dir, env: jobEnv(cloud, repo, o.env), onStdout: o.onStdout },
  );
}

export interface DeployRun {
  main: ActionResult;
  /** The post step (dist/deploy-cleanup), which the runner runs after the job's steps. */
  post: ActionResult;
}

export interface DeployStepOptions extends StepOptions {
  onPostStdout?: (chunk: string) => void;
  /**
   * Runs both steps on a clock this many times faster than real time (local-cloud/scaled-clock.mjs, the
   * harness's only way into the action's sense of time). The action's pauses between polls shrink with
   * it, and so does its call budget's minute (45 calls a minute, which on a deploy of a minute or less
   * spaces the polls seconds apart): the step then ends soon after the execution instead of up to a poll
   * interval later. The local cloud keeps real time, so the action's clock runs ahead of the
   * timestamps the cloud reports; the step's limit stays 10 real minutes (timeout-minutes is scaled to
   * match). Default 1: the system clock, as on a runner (the demo).
   */
  clockScale?: number;
}

/** The deploy step's limit, in real minutes. */
const DEPLOY_TIMEOUT_MINUTES = 10;

/** `uses: ion-actions/deploy` with the stack's group, state machine and bucket, then its post step. */
export async function runDeploy(
  cloud: LocalCloud,
  stack: LocalStack,
  repo: ExampleRepo,
  rev: string,
  o: DeployStepOptions = {},
): Promise<DeployRun> {
  const scale = o.clockScale ?? 1;
  if (!(scale >= 1)) throw new Error(`clockScale must be 1 or more (a faster clock), not ${scale}`);
  const inputs = {
    group: stack.group,
    'state-machine-arn': stack.stateMachineArn,
    bucket: stack.bucket,
    prefix: stack.prefix,
    rev,
    'app-name': stack.appName,
    'timeout-minutes': String(DEPLOY_TIMEOUT_MINUTES * scale),
  };
  const stateFile = join(mkdtempSync(join(tmpdir(), 'action-state-')), 'state');
  writeFileSync(stateFile, '');
  // Both steps share one epoch, so the post step's clock goes on from where the main step's was.
  const clock: Record<string, string> = scale === 1 ? {} : { [TEST_CLOCK_ENV]: `${Date.now()}:${scale}` };
  const env = jobEnv(cloud, repo, { ...o.env, ...clock, GITHUB_STATE: stateFile });
  const main = await runAction('deploy', inputs, { cwd: repo.dir, env, onStdout: o.onStdout });
  // The runner hands the main step's saved state to the post step as STATE_<name>.
  const state = Object.fromEntries(Object.entries(parseOutputFile(readFileSync(stateFile, 'utf8'))).map(([k, v]) => [`STATE_${k}`, v]));
  const post = await runAction('deploy-cleanup', inputs, { cwd: repo.dir, env: { ...env, ...state }, onStdout: o.onPostStdout });
  runId += 1;
  return { main, post };
}
