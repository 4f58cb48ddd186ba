/**
 * Re-runs, order, `rev: previous` and the diff, end to end on the local cloud (local-cloud/): the built
 * deploy action takes hand-made bundles (test/support/hand-made-bundles.ts: no push, no JVM, trivial
 * hooks) through s3rver, the local CodeDeploy and the local Step Functions, and reads what the group runs
 * from CodeDeploy (GetDeploymentGroup, GetDeployment, ListDeployments, BatchGetDeployments) and its
 * manifest from the bucket. Each revision is named by a real commit of a temp git repository, the
 * step's workspace, where commit order comes from (a full history here). The real push and the real
 * app on an instance are proven by e2e-local-cloud.test.ts. One story, in order: each test builds on
 * what the group runs after the one before.
 */
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleKey } from '../../src/core/layout.js';
import { startLocalCloud, type LocalCloud, type LocalStack } from '../../local-cloud/index.js';
import { runAction, type ActionResult } from '../../local-cloud/run-action.js';
import { exampleRepo, type ExampleRepo } from '../../local-cloud/workflow.js';
import { deployInputs, deployStepEnv, type HandMadeEntry, pushHandMadeBundle } from '../support/hand-made-bundles.js';
import { runnerCommands } from '../support/runner-commands.js';

// Each deploy runs the state machine's wait loop and the agent's hooks in real time: seconds, more on a busy machine.
jest.setTimeout(600_000);

let cloud: LocalCloud;
let stack: LocalStack;
let repo: ExampleRepo;
/** The first commit, and the one that adds a dependency and a hostile project path. */
let first: string;
let second: string;

/** The first revision's classpath: what push records for `{:paths ["src"] :deps {org.clojure/clojure …}}`. */
const FIRST_CLASSPATH: HandMadeEntry[] = [
  { origin: 'src', kind: 'project' },
  { origin: 'org.clojure/clojure 1.11.1', kind: 'maven' },
  { origin: 'org.clojure/spec.alpha 0.3.218', kind: 'maven' },
];
/**
 * The second adds cheshire (and its jackson-core) and two project paths whose names are workflow
 * commands. No `::` form: a `:` cannot be in a classpath entry (the classpath is `:`-separated).
 */
const SECOND_CLASSPATH: HandMadeEntry[] = [
  ...FIRST_CLASSPATH,
  { origin: '##[error]forged', kind: 'project' },
  { origin: '##[add-mask]x', kind: 'project' },
  { origin: 'cheshire/cheshire 5.11.0', kind: 'maven' },
  { origin: 'com.fasterxml.jackson.core/jackson-core 2.13.3', kind: 'maven' },
];

/** What push would leave for the repository's HEAD (the revision is the commit). */
const pushHead = (classpath: HandMadeEntry[]) => {
  const rev = repo.head();
  return pushHandMadeBundle(cloud, stack, {
    rev,
    commit: rev,
    hooks: { ApplicationStart: `#!/bin/sh\necho "started ${rev}"\n` },
    classpath,
  });
};

const expectOk = (r: ActionResult) => {
  if (r.exitCode !== 0) throw new Error(`action failed (${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
};
/** The deploy step in the repository's workspace (its git history orders the commits). */
const deploy = async (rev: string, inputs: Record<string, string> = {}) => {
  const more = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));
  const { env } = deployStepEnv(cloud, rev, { GITHUB_WORKSPACE: repo.dir, GITHUB_SHA: repo.head(), ...more });
  return runAction('deploy', deployInputs(stack, rev), { cwd: repo.dir, env });
};
const executions = () => cloud.sfn.executions.size;
const deployments = () => cloud.codedeploy.deployments.size;
/** What the runner would act on in the log: only the commands the action meant. */
const commands = (r: ActionResult) => runnerCommands(r.stdout).map((c) => c.name);

beforeAll(async () => {
  cloud = await startLocalCloud({ timeScale: 0.05 });
  stack = await cloud.createStack({ appName: 'hello-ion', group: 'hello-reruns', bucket: 'hello-ion-reruns', instances: 1 });
  const source = mkdtempSync(join(tmpdir(), 'reruns-source-'));
  writeFileSync(join(source, 'deps.edn'), '{:paths ["src"] :deps {org.clojure/clojure {:mvn/version "1.11.1"}}}\n');
  repo = exampleRepo(undefined, source);
  first = repo.head();
  await pushHead(FIRST_CLASSPATH);
  expectOk(await deploy(first));
});

afterAll(async () => {
  await cloud?.close();
});

test('a re-run of a deployed revision: SKIPPED, nothing started, outputs set, the summary says so', async () => {
  const [before, beforeDeployments] = [executions(), deployments()];
  const r = await deploy(first);
  expectOk(r);
  expect(r.outputs).toMatchObject({ status: 'SKIPPED', 'execution-arn': '', 'deployment-id': expect.stringMatching(/^d-/) });
  expect(r.stdout).toContain(`${first} is already what hello-reruns runs`);
  expect(r.stdout).toContain('nothing to do, status SKIPPED. Set redeploy: true to deploy it again.');
  expect(r.summary).toContain('## ⏭ Deploy `hello-ion` `');
  expect(r.summary).toContain('nothing was started. Set `redeploy: true` to deploy it again.');
  expect([executions(), deployments()]).toEqual([before, beforeDeployments]);
  expect(commands(r)).toEqual([]);
});

test('redeploy: true deploys it again: a new execution and deployment', async () => {
  const before = executions();
  const r = await deploy(first, { redeploy: 'true' });
  expectOk(r);
  expect(r.outputs.status).toBe('SUCCEEDED');
  expect(r.stdout).toContain('deploying it again (redeploy: true)');
  expect(executions()).toBe(before + 1);
});

test('a dependency change: the diff in the log (short) and a table in the summary; hostile path names stay text', async () => {
  repo.write(
    'deps.edn',
    '{:paths ["src" "##[error]forged" "##[add-mask]x"] :deps {org.clojure/clojure {:mvn/version "1.11.1"} cheshire/cheshire {:mvn/version "5.11.0"}}}\n',
  );
  second = repo.commit('add cheshire and two oddly named paths');
  await pushHead(SECOND_CLASSPATH);
  const r = await deploy(second);
  expectOk(r);
  expect(r.outputs.status).toBe('SUCCEEDED');
  const diffLine = r.stdout.split('\n').find((l) => l.startsWith('Changes against the running '));
  // Outside text is inert: a zero-width space keeps `##[` from forming.
  expect(diffLine).toMatch(
    new RegExp(`^Changes against the running ${first}: \\d+ libraries added; ##\u200b\\[add-mask\\]x, ##\u200b\\[error\\]forged added$`),
  );
  expect(r.stdout).toMatch(/^ {2}\+ cheshire\/cheshire 5\.11\.0$/m);
  expect(r.stdout).toMatch(
    new RegExp(`^Order: ${second} is newer than the running ${first}: it contains commit ${first.slice(0, 12)} \\(git\\)$`, 'm'),
  );
  expect(r.summary).toContain(`### What changes against \`${first.slice(0, 7)}\``);
  expect(r.summary).toContain('| library added | cheshire/cheshire | — | 5.11.0 |');
  expect(r.summary).toMatch(/\| project path added \| ##\\\[error\\\]forged \| — \| added \|/);
  expect(r.summary).toMatch(/\| project path added \| ##\\\[add-mask\\\]x \| — \| added \|/);
  // Neither path name became a command (the names are in the log, inert).
  expect(commands(r)).toEqual([]);
});

test('an older commit over a newer one: refused, naming both commits and the override; then allowed with allow-older', async () => {
  const before = executions();
  const refused = await deploy(first);
  expect(refused.exitCode).not.toBe(0);
  expect(refused.stdout).toContain(
    `Refusing to deploy ${first} (commit ${first}) to hello-reruns: the group runs ${second} (commit ${second})`,
  );
  expect(refused.stdout).toContain('set `allow-older: true`');
  expect(refused.summary).toContain('Deploy not started');
  expect(executions()).toBe(before);

  const allowed = await deploy(first, { 'allow-older': 'true' });
  expectOk(allowed);
  expect(allowed.outputs.status).toBe('SUCCEEDED');
  expect(allowed.stdout).toMatch(
    /^::warning title=Deploying an older revision::Deploying [0-9a-f]{40} \(commit [0-9a-f]{12}\) over the newer/m,
  );
  expect(allowed.stdout).toMatch(/^ {2}- cheshire\/cheshire 5\.11\.0$/m);
  expect(commands(allowed)).toEqual(['warning']);
});

test('rev: previous deploys the revision the group ran before its current one, and names it', async () => {
  // The group runs `first` (deployed over `second` above); before it, it ran `second`.
  const r = await deploy('previous');
  expectOk(r);
  expect(r.outputs.status).toBe('SUCCEEDED');
  expect(r.stdout).toMatch(
    new RegExp(`^rev: previous → ${second}: what hello-reruns ran before its current ${first} \\(deployment d-`, 'm'),
  );
  expect(r.stdout).toContain(`Deployed hello-ion ${second} to hello-reruns`);
  expect(r.summary).toContain(`\`rev: previous\` resolved to \`${second}\``);
  const last = [...cloud.codedeploy.deployments.values()].at(-1)!;
  expect(last.revision.key).toBe(bundleKey(stack.prefix, 'hello-ion', second));
});
