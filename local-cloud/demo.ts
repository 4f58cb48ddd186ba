/**
 * `npm run demo`: the whole system on this machine. Starts the local cloud (S3, CodeDeploy with three
 * local instances, Step Functions running infra/state-machine.asl.json), pushes examples/hello-ion from
 * a git repository of its own with the built push action, deploys it with the built deploy action, and
 * shows what a workflow shows (the live log, the job summaries) and what each instance ended up with.
 * Then it changes one source file and does it again, to show that only the changed object travels
 * (and what the revision changes), then re-runs the deploy: SKIPPED, nothing started.
 *
 *   npm run demo                 # push + deploy, then a one-line change pushed and deployed again
 *   npm run demo -- --once       # push + deploy only
 *   npm run demo -- --fail       # then also deploy a revision whose ion-config names a missing var
 *   npm run demo -- --keep       # keep the instances' directories afterwards (the path is printed)
 *   npm run demo -- --instances 5
 */
import { mkdtempSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Manifest } from '../src/core/manifest/schema.js';
import type { ActionResult } from './run-action.js';
import { untag } from './codedeploy-agent.js';
import { invokeProxy, startDispatcher } from './dispatcher.js';
import { startLocalCloud, REPO_ROOT, type LocalCloud, type LocalStack } from './index.js';
import { RunnerLog } from './runner-log.js';
import { exampleRepo, missingPrerequisites, runDeploy, runPush, EXAMPLE_APP, type ExampleRepo } from './workflow.js';

const args = process.argv.slice(2);
const once = args.includes('--once');
const keep = args.includes('--keep');
const alsoFail = args.includes('--fail');
const instancesArg = args.indexOf('--instances');
const INSTANCES = instancesArg >= 0 ? Number(args[instancesArg + 1]) : 3;

const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const bold = (t: string) => paint('1', t);
const dim = (t: string) => paint('2', t);
const say = (text = '') => process.stdout.write(`${text}\n`);
const heading = (text: string) => say(`\n${bold(`━━ ${text} ${'━'.repeat(Math.max(0, 72 - text.length))}`)}`);

// This process talks to the local S3 too; on Node < 22 the SDK's end-of-support warning is only noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const APP = 'hello-ion';
const GROUP = 'hello-ion-local';
const BUCKET = 'hello-ion-code';

async function main(): Promise<number> {
  const started = Date.now();
  if (!Number.isInteger(INSTANCES) || INSTANCES < 1 || INSTANCES > 20) {
    say(`--instances must be a whole number from 1 to 20, not ${args[instancesArg + 1]}`);
    return 2;
  }
  const problems = missingPrerequisites();
  if (problems.length) {
    say('The demo cannot run yet:');
    for (const p of problems) say(`  - ${p}`);
    return 1;
  }

  const root = keep ? mkdtempSync(join(tmpdir(), 'ion-local-cloud-')) : undefined;
  const cloud = await startLocalCloud({ root, timeScale: 0.1 });
  const stop = () => {
    void cloud.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  try {
    // Auto rollback on, as infra/template.yaml's default: with --fail, CodeDeploy rolls the group back and deploy follows it.
    const stack = await cloud.createStack({ appName: APP, group: GROUP, bucket: BUCKET, instances: INSTANCES, autoRollback: true });
    const repo = exampleRepo();
    intro(cloud, stack, repo);

    const first = await round(cloud, stack, repo, 1);
    if (!first) return 1;
    if (!once) {
      heading('A one-line change, pushed and deployed again');
      const file = 'src/hello/core.clj';
      const before = readFileSync(join(repo.dir, file), 'utf8');
      repo.write(file, before.replace('(str "Hello, "', '(str "Hello again, "'));
      const sha = repo.commit('Greet returning visitors');
      say(`Changed ${file} and committed it: ${sha.slice(0, 7)}. Push uploads only the new src/ object;`);
      say('each instance fetches only that object (its hooks say how many were already cached).');
      if (!(await round(cloud, stack, repo, 2))) return 1;
    }

    heading('The same deploy again: a re-run of the workflow');
    say('The group already runs this revision: deploy says so, starts nothing and sets status SKIPPED');
    say('(redeploy: true would deploy it again). The deploy above also showed what its revision changed.');
    const rerun = await step(
      'Run ion-actions/deploy (re-run)',
      async (onStdout) => (await runDeploy(cloud, stack, repo, repo.head(), { onStdout })).main,
    );
    if (rerun.exitCode !== 0 || rerun.outputs.status !== 'SKIPPED') {
      failed('re-run deploy', rerun);
      return 1;
    }

    if (alsoFail) {
      heading('A revision that cannot work: its ion-config names a var that does not exist');
      const config = 'resources/datomic/ion-config.edn';
      repo.write(
        config,
        readFileSync(join(repo.dir, config), 'utf8').replace(
          ':allow [hello.core/greeting]',
          ':allow [hello.core/greeting hello.core/farewell]',
        ),
      );
      const sha = repo.commit('Allow hello.core/farewell (never written)');
      say(`Committed ${sha.slice(0, 7)}: :allow names hello.core/farewell. Push accepts it (the namespace is on the classpath);`);
      say('ValidateService on the first instance loads the namespace, finds no such var and fails the deployment;');
      say('CodeDeploy then rolls the group back to the last good revision, and deploy follows that rollback in the');
      say('same log and summary (outputs rolled-back, rollback-deployment-id). Expect the deploy step to fail:');
      if (!(await round(cloud, stack, repo, once ? 2 : 3, true))) return 1;
    }

    heading('Done');
    const rounds = (once ? 1 : 2) + (alsoFail ? 1 : 0);
    say(
      `Pushed and deployed ${rounds === 1 ? 'once' : `${rounds} times`} in ${((Date.now() - started) / 1000).toFixed(0)} s, all on loopback.`,
    );
    if (keep) say(`The instances are kept in ${cloud.root}/instances (ION_ROOT of each); the agents' bundles in ${cloud.root}/agents.`);
    say(`What ran: docs/local-cloud.md. The same flow against AWS: docs/infra.md.`);
    return 0;
  } finally {
    process.removeListener('SIGINT', stop);
    await cloud.close();
  }
}

function intro(cloud: LocalCloud, stack: LocalStack, repo: ExampleRepo): void {
  say(bold('ion-actions: push and deploy a Clojure app to a local cloud'));
  say();
  say(`  S3 (s3rver)       ${cloud.s3.endpoint}   bucket ${stack.bucket}`);
  say(`  CodeDeploy        ${cloud.codedeploy.url}   application ${stack.appName}, group ${stack.group}`);
  say(`  Step Functions    ${cloud.sfn.url}   ${stack.stateMachineArn}`);
  say(
    `  Instances         ${stack.deploymentGroup.instances.map((i) => i.instanceId).join(', ')} (directories under ${join(cloud.root, 'instances')})`,
  );
  say(`  Example app       ${relative(REPO_ROOT, EXAMPLE_APP)} → ${repo.dir} (git commit ${repo.head().slice(0, 7)})`);
  say();
  say(dim("Below, each step's log as a workflow run shows it: the real dist/push and dist/deploy actions, run as the"));
  say(dim('runner runs them, with AWS_ENDPOINT_URL_S3/_CODEDEPLOY/_SFN pointing at the local endpoints.'));
}

/** One push and one deploy of HEAD; false if either failed (their logs say why). */
async function round(cloud: LocalCloud, stack: LocalStack, repo: ExampleRepo, n: number, expectFailure = false): Promise<boolean> {
  const push = await step(`Run ion-actions/push${n > 1 ? ` (#${n})` : ''}`, (onStdout) => runPush(cloud, stack, repo, { onStdout }));
  if (push.exitCode !== 0) return failed('push', push);
  const rev = push.outputs.rev!;

  let post: ActionResult | undefined;
  const deploy = await step(`Run ion-actions/deploy${n > 1 ? ` (#${n})` : ''}`, async (onStdout) => {
    const run = await runDeploy(cloud, stack, repo, rev, { onStdout });
    post = run.post;
    return run.main;
  });
  if (post) {
    heading('Post Run ion-actions/deploy');
    const log = new RunnerLog({ write: (t) => process.stdout.write(t), color });
    log.write(post.stdout);
    log.end();
  }

  heading(`Job summary of push${n > 1 ? ` (#${n})` : ''}`);
  say(summaryText(push.summary));
  heading(`Job summary of deploy${n > 1 ? ` (#${n})` : ''}`);
  say(summaryText(deploy.summary));
  if (deploy.exitCode !== 0) {
    if (!expectFailure) return failed('deploy', deploy);
    say();
    say(`As expected, the deploy step failed (exit code ${deploy.exitCode}).`);
    if (deploy.outputs['rolled-back'] === 'true')
      say(
        `CodeDeploy rolled the group back (deployment ${deploy.outputs['rollback-deployment-id']}): every instance runs the last good revision again.`,
      );
  }

  heading(`On the instances${n > 1 ? ` (#${n})` : ''}`);
  showInstances(cloud, stack);
  if (expectFailure && deploy.exitCode === 0) {
    say(paint('31', 'The deploy was expected to fail, but it succeeded: ValidateService did not catch the missing var.'));
    return false;
  }
  if (deploy.exitCode === 0) await callThroughProxies(cloud, stack, n);
  return true;
}

/**
 * What a caller of the Lambda proxies gets: the dispatcher (infra/dispatcher) on the first instance's
 * new classpath, and each proxy's real code invoked with the environment the state machine gave it.
 */
async function callThroughProxies(cloud: LocalCloud, stack: LocalStack, n: number): Promise<void> {
  const proxies = [...cloud.lambda.functions.values()];
  const instance = stack.deploymentGroup.instances[0];
  if (!proxies.length || !instance) return;
  heading(`Calling the deployed functions through the Lambda proxies${n > 1 ? ` (#${n})` : ''}`);
  const classpath = readFileSync(join(instance.root, 'apps', stack.appName, 'current', 'classpath'), 'utf8')
    .trim()
    .split(':');
  say(dim(`ion.dispatcher (infra/dispatcher) on ${instance.instanceId}'s new classpath stands in for the application service;`));
  say(dim('each proxy runs infra/lambda-proxy/index.mjs with the environment the state machine gave it.'));
  const dispatcher = await startDispatcher(classpath);
  try {
    for (const proxy of proxies) {
      const lambda = JSON.parse(proxy.Environment.Variables.ION_LAMBDA_JSON ?? '{}') as { integration?: string | null };
      const event = lambda.integration === 'api-gateway/proxy' ? apiGatewayGet('/hello', 'name=Grace') : { name: 'Ada' };
      const shown = lambda.integration === 'api-gateway/proxy' ? 'API Gateway GET /hello?name=Grace' : JSON.stringify(event);
      try {
        const result = await invokeProxy(proxy, dispatcher.endpoint, event);
        say(`  ${proxy.FunctionName.padEnd(24)} ${shown}  →  ${JSON.stringify(result)}`);
      } catch (err) {
        say(paint('31', `  ${proxy.FunctionName.padEnd(24)} ${shown}  →  failed: ${(err as Error).message}`));
      }
    }
  } finally {
    await dispatcher.stop();
  }
}

/** A REST API (payload 1.0) proxy event, as API Gateway sends it. */
function apiGatewayGet(path: string, query: string): Record<string, unknown> {
  const params = Object.fromEntries(new URLSearchParams(query));
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: 'GET',
    headers: { accept: 'application/json', host: 'api.example.com' },
    multiValueHeaders: { accept: ['application/json'], host: ['api.example.com'] },
    queryStringParameters: params,
    multiValueQueryStringParameters: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, [v]])),
    requestContext: { requestId: 'demo-1', identity: { sourceIp: '203.0.113.7' }, stage: 'prod' },
    body: null,
    isBase64Encoded: false,
  };
}

async function step(title: string, run: (onStdout: (chunk: string) => void) => Promise<ActionResult>): Promise<ActionResult> {
  heading(title);
  const log = new RunnerLog({ write: (t) => process.stdout.write(t), color });
  const t0 = Date.now();
  const result = await run((chunk) => log.write(chunk));
  log.end();
  // The runner shows stderr too (an action writes there only when something is wrong).
  if (result.stderr.trim()) say(paint('31', result.stderr.trimEnd()));
  say(dim(`(${title.replace(/^Run /, '')}: exit code ${result.exitCode}, ${((Date.now() - t0) / 1000).toFixed(1)} s)`));
  return result;
}

function failed(what: string, r: ActionResult): false {
  say();
  say(paint('31', `The ${what} step failed (exit code ${r.exitCode}); its log above says why.`));
  return false;
}

/** Job summaries are markdown with a little HTML (details/summary); shown as text. */
function summaryText(markdown: string): string {
  return markdown
    .replace(/<\/?details>/g, '')
    .replace(/<summary>(.*?)<\/summary>/g, '$1')
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Each instance: what its hooks said, and the deployed classpath with where each entry came from. */
function showInstances(cloud: LocalCloud, stack: LocalStack): void {
  const deployments = [...cloud.codedeploy.deployments.values()].filter((d) => d.deploymentGroupName === stack.group);
  const last = deployments.at(-1);
  for (const instance of stack.deploymentGroup.instances) {
    say(bold(`${instance.instanceId}`) + dim(`  ION_ROOT=${instance.root}`));
    const target = last?.targets.find((t) => t.targetId === instance.instanceId);
    for (const event of target?.lifecycleEvents ?? []) {
      for (const line of untag(event.log)) if (/^ion [a-z-]+: /.test(line)) say(`  ${line}`);
    }
    const current = join(instance.root, 'apps', stack.appName, 'current');
    let rev: string;
    try {
      rev = readlinkSync(current);
    } catch {
      say('  (nothing deployed)');
      continue;
    }
    const classpath = readFileSync(join(current, 'classpath'), 'utf8').trim().split(':');
    const manifest = JSON.parse(readFileSync(join(current, 'ion-manifest.json'), 'utf8')) as Manifest;
    say(`  apps/${stack.appName}/current → ${rev}; classpath (${classpath.length} entries):`);
    classpath.forEach((entry, i) => {
      const origin = manifest.classpath[i]?.origin ?? '';
      say(`    ${relative(instance.root, entry).padEnd(80)} ${dim(`← ${origin.replace(/^.*\/\.m2\/repository\//, '~/.m2/…/')}`)}`);
    });
  }
  const proxies = [...cloud.lambda.functions.values()];
  if (proxies.length) {
    say();
    say(`Lambda proxies the state machine ensured (local registry; forwarding to ${proxies[0]!.Environment.Variables.ION_ENDPOINT}):`);
    for (const f of proxies) {
      const lambda = JSON.parse(f.Environment.Variables.ION_LAMBDA_JSON ?? '{}') as { fn?: string; integration?: string | null };
      say(
        `  ${f.FunctionName.padEnd(28)} → ${lambda.fn ?? '?'}${lambda.integration ? ` (${lambda.integration})` : ''}, timeout ${f.Timeout} s, code loaded ${f.codeUpdates}×`,
      );
    }
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    say(paint('31', `The demo itself failed: ${(err as Error).stack ?? String(err)}`));
    process.exit(1);
  },
);
