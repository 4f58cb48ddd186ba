/**
 * End to end on the local cloud (local-cloud/): the built push and deploy actions (dist/, run the way
 * the runner runs them; `npm run build` first) take examples/hello-ion from a git commit to two local
 * instances, through a real S3 server (s3rver), the local CodeDeploy (whose agent runs the bundle's
 * hooks with Debian's AWS CLI) and the local Step Functions running infra/state-machine.asl.json.
 *
 * S3 client configuration against s3rver: push uses its own (path-style because AWS_ENDPOINT_URL_S3 is
 * set; WHEN_REQUIRED checksums, explicit SHA-256 on buffer bodies); the instances use Debian's AWS CLI
 * 2.9 (`aws s3 cp --endpoint-url`). s3rver neither verifies checksums nor stores aws-chunked bodies
 * correctly (docs/test-environment.md), so every object an instance ends up with is compared with its source,
 * byte for byte (SHA-256), and directory entries file by file.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import type { Manifest, ManifestEntry } from '../../src/core/manifest/schema.js';
import { untag } from '../../local-cloud/codedeploy-agent.js';
import type { LocalDeployment } from '../../local-cloud/codedeploy.js';
import { invokeProxy, startDispatcher } from '../../local-cloud/dispatcher.js';
import { startLocalCloud, type LocalCloud, type LocalStack } from '../../local-cloud/index.js';
import { exampleRepo, missingPrerequisites, runDeploy, runPush, type ExampleRepo } from '../../local-cloud/workflow.js';
import { awsCalls, LOCAL_APP_USER } from '../../local-cloud/instance.js';
import type { ActionResult } from '../../local-cloud/run-action.js';
import { STAND_IN_BIN } from '../../local-cloud/clojure-stand-in.js';

// A push and a deploy to two instances start several JVMs: minutes on a busy 2-core machine. The
// limit only catches a hang.
jest.setTimeout(900_000);

/**
 * The deploy steps run on a clock five times faster than real time (workflow.ts, runDeploy's
 * clockScale): the call budget's pauses between polls would otherwise end each step seconds after its
 * execution. No assertion here is about time.
 */
const ACTION_CLOCK_SCALE = 5;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let cloud: LocalCloud;
let stack: LocalStack;
let repo: ExampleRepo;

beforeAll(async () => {
  const missing = missingPrerequisites();
  if (missing.length) throw new Error(`The end-to-end test cannot run:\n${missing.join('\n')}`);
  // Wait states (the state machine's 10 s poll) take half a second.
  cloud = await startLocalCloud({ timeScale: 0.05 });
  stack = await cloud.createStack({ appName: 'hello-ion', group: 'hello-e2e', bucket: 'hello-ion-e2e', instances: 2 });
  repo = exampleRepo();
});

afterAll(async () => {
  await cloud?.close();
});

const expectOk = (r: ActionResult) => {
  if (r.exitCode !== 0) throw new Error(`action failed (${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
};

/** Every file under dir, relative path → SHA-256. */
function treeHashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = join(rel, name);
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else out.set(path, sha256(readFileSync(join(dir, path))));
    }
  };
  walk('');
  return out;
}

/**
 * The example's classpath from the real tools.deps (the `clojure -Spath` stand-in), resolved once, after
 * the first push: the stand-in then answers from the resolution it kept for push, as the Clojure CLI
 * answers from its .cpcache, instead of a second JVM racing push's for the CPU. A source edit does not
 * change it.
 */
let classpath: Promise<string> | undefined;

/** Where each source of the classpath is on this machine (project paths are relative to the repo). */
async function sources(): Promise<{ jars: Map<string, string>; dirs: Map<string, string> }> {
  classpath ??= promisify(execFile)(join(STAND_IN_BIN, 'clojure'), ['-Spath'], { cwd: repo.dir, encoding: 'utf8' }).then((r) =>
    r.stdout.trim(),
  );
  const jars = new Map<string, string>();
  const dirs = new Map<string, string>();
  for (const entry of (await classpath).split(':')) {
    const path = isAbsolute(entry) ? entry : join(repo.dir, entry);
    if (entry.endsWith('.jar')) jars.set(sha256(readFileSync(path)), path);
    else dirs.set(entry, path);
  }
  return { jars, dirs };
}

const manifestOf = (root: string, rev: string): Manifest =>
  JSON.parse(readFileSync(join(root, 'apps', 'hello-ion', rev, 'ion-manifest.json'), 'utf8')) as Manifest;
const deploymentOf = (r: ActionResult): LocalDeployment => cloud.codedeploy.deployments.get(r.outputs['deployment-id']!)!;
const hookLines = (d: LocalDeployment, instanceId: string, event: string): string[] =>
  untag(d.targets.find((t) => t.targetId === instanceId)!.lifecycleEvents.find((e) => e.lifecycleEventName === event)!.log);

/** Every instance holds every object of the manifest as its source's exact bytes, and its classpath lists them in order. */
async function expectDeployed(rev: string): Promise<Manifest> {
  const { jars, dirs } = await sources();
  let manifest: Manifest | undefined;
  for (const instance of stack.deploymentGroup.instances) {
    const root = instance.root;
    expect(readlinkSync(join(root, 'apps', 'hello-ion', 'current'))).toBe(rev);
    manifest = manifestOf(root, rev);
    expect(manifest.rev).toBe(rev);
    expect(manifest.classpath).toHaveLength(jars.size + dirs.size);
    const expectedClasspath: string[] = [];
    for (const entry of manifest.classpath as ManifestEntry[]) {
      const cached = readFileSync(join(root, 'cache', `${entry.sha256}.${entry.packaging === 'jar' ? 'jar' : 'zip'}`));
      expect([entry.origin, sha256(cached), cached.length]).toEqual([entry.origin, entry.sha256, entry.size]);
      if (entry.packaging === 'jar') {
        // The jar's source on this machine has the same SHA-256.
        expect(jars.has(entry.sha256)).toBe(true);
        expectedClasspath.push(join(root, 'cache', `${entry.sha256}.jar`));
      } else {
        // The unpacked directory has exactly the source directory's files, byte for byte.
        const source = dirs.get(entry.origin);
        expect(source).toBeDefined();
        const unpacked = join(root, 'unpacked', entry.sha256);
        expect(treeHashes(unpacked)).toEqual(treeHashes(source!));
        expectedClasspath.push(unpacked);
      }
    }
    expect(
      readFileSync(join(root, 'apps', 'hello-ion', rev, 'classpath'), 'utf8')
        .trim()
        .split(':'),
    ).toEqual(expectedClasspath);
  }
  return manifest!;
}

describe('push → deploy on the local cloud', () => {
  let firstRev: string;
  let firstManifest: Manifest;

  test('the first deploy puts every object of the manifest on every instance, byte-identical to its source', async () => {
    const push = await runPush(cloud, stack, repo);
    expectOk(push);
    firstRev = push.outputs.rev!;
    expect(firstRev).toBe(repo.head());
    expect(JSON.parse(push.outputs['deploy-groups']!)).toEqual(['hello-e2e']);

    const { main, post } = await runDeploy(cloud, stack, repo, firstRev, { clockScale: ACTION_CLOCK_SCALE });
    expectOk(main);
    expectOk(post);
    expect(main.outputs.status).toBe('SUCCEEDED');
    expect(JSON.parse(main.outputs.lambdas!)).toEqual(['hello-e2e_greet', 'hello-e2e_api']);
    // The log streamed the instances' lifecycle, one instance after the other.
    for (const instance of ['i-local01', 'i-local02']) expect(main.stdout).toMatch(new RegExp(`${instance} ✔ ValidateService`));
    expect(main.stdout).toMatch(/Execution SUCCEEDED/);

    firstManifest = await expectDeployed(firstRev);
    const d = deploymentOf(main);
    expect(d.status).toBe('Succeeded');
    for (const instance of stack.deploymentGroup.instances) {
      const n = firstManifest.classpath.length;
      const lines = hookLines(d, instance.instanceId, 'BeforeInstall');
      expect(lines.some((l) => l.includes(`${n} classpath objects; 0 already cached`))).toBe(true);
      expect(lines.some((l) => l.startsWith(`ion before-install: fetched ${n} objects`) && l.endsWith('all SHA-256 verified'))).toBe(true);
      // One batch fetch per instance.
      expect(awsCalls(instance.binDir)).toHaveLength(1);
      // The app's code was loaded as the service user (CI runs as root, as the agent does on EC2),
      // and the cache was pruned after the good deployment (nothing to prune yet).
      const validate = hookLines(d, instance.instanceId, 'ValidateService');
      expect(validate).toContain(
        process.getuid?.() === 0
          ? `ion validate-service: loading the application's code as ${LOCAL_APP_USER} (via setpriv), not as root`
          : expect.stringMatching(/^ion validate-service: not running as root, so loading the application's code as /),
      );
      expect(validate).toContain(
        'ion prune-cache: pruned 0 revisions, 0 cached objects and 0 unpacked directories: 0 B freed (ION_KEEP_REVISIONS=3)',
      );
    }
    // The proxies exist with the ion-config lambdas' settings.
    expect([...cloud.lambda.functions.keys()]).toEqual(['hello-e2e_greet', 'hello-e2e_api']);
    expect(cloud.lambda.functions.get('hello-e2e_greet')!.Timeout).toBe(10);
  });

  test('the proxies the state machine created answer with the deployed code (ion.dispatcher on an instance)', async () => {
    const instance = stack.deploymentGroup.instances[0]!;
    const deployed = readFileSync(join(instance.root, 'apps', 'hello-ion', 'current', 'classpath'), 'utf8')
      .trim()
      .split(':');
    const dispatcher = await startDispatcher(deployed);
    try {
      const greet = cloud.lambda.functions.get('hello-e2e_greet')!;
      await expect(invokeProxy(greet, dispatcher.endpoint, { name: 'Ada' })).resolves.toEqual({ message: 'Hello, Ada!' });
    } finally {
      await dispatcher.stop();
    }
  });

  test('a new revision with one changed source: push uploads one object and each instance fetches only that one', async () => {
    const file = 'src/hello/core.clj';
    repo.write(file, readFileSync(join(repo.dir, file), 'utf8').replace('(str "Hello, "', '(str "Hi, "'));
    const rev = repo.commit('change the greeting');

    const push = await runPush(cloud, stack, repo);
    expectOk(push);
    expect(push.outputs.rev).toBe(rev);
    expect(push.outputs['uploaded-files']).toBe('1');

    const before = stack.deploymentGroup.instances.map((i) => awsCalls(i.binDir).length);
    const { main } = await runDeploy(cloud, stack, repo, rev, { clockScale: ACTION_CLOCK_SCALE });
    expectOk(main);
    const manifest = await expectDeployed(rev);

    const changed = manifest.classpath.filter((e) => !firstManifest.classpath.some((f) => f.sha256 === e.sha256));
    expect(changed.map((e) => e.origin)).toEqual(['src']);
    const d = deploymentOf(main);
    const n = manifest.classpath.length;
    stack.deploymentGroup.instances.forEach((instance, i) => {
      const lines = hookLines(d, instance.instanceId, 'BeforeInstall');
      expect(lines.some((l) => l.includes(`${n} classpath objects; ${n - 1} already cached`))).toBe(true);
      expect(lines.some((l) => l.startsWith('ion before-install: fetched 1 objects'))).toBe(true);
      // Exactly one more AWS CLI call, and it names the changed object only.
      const calls = awsCalls(instance.binDir).slice(before[i]!);
      expect(calls).toHaveLength(1);
      const included = [...calls[0]!.matchAll(/--include (\S+)/g)].map((m) => m[1]);
      expect(included).toEqual([`${changed[0]!.sha256}.zip`]);
    });
    // The old revision is still on disk, for a rollback.
    for (const instance of stack.deploymentGroup.instances)
      expect(existsSync(join(instance.root, 'apps', 'hello-ion', firstRev, 'classpath'))).toBe(true);
  });

  test('deploying the first revision again (a rollback) fetches nothing: every object is already cached', async () => {
    const before = stack.deploymentGroup.instances.map((i) => awsCalls(i.binDir).length);
    // Deploy refuses an older commit over a newer one unless asked: `allow-older: true`, passed the way the
    // runner passes an input (INPUT_<NAME>, hyphen kept), since runDeploy sets only the common inputs.
    const { main } = await runDeploy(cloud, stack, repo, firstRev, {
      env: { 'INPUT_ALLOW-OLDER': 'true' },
      clockScale: ACTION_CLOCK_SCALE,
    });
    expectOk(main);
    // The order check saw the older commit and let it through, saying so.
    expect(main.stdout).toMatch(
      new RegExp(`Deploying ${firstRev} \\(commit \\w+\\) over the newer .*: a rollback, allowed \\(allow-older: true`),
    );
    // (The working tree has moved on, so the bytes were compared with their sources in the first test.)
    for (const instance of stack.deploymentGroup.instances)
      expect(readlinkSync(join(instance.root, 'apps', 'hello-ion', 'current'))).toBe(firstRev);
    const d = deploymentOf(main);
    const n = firstManifest.classpath.length;
    stack.deploymentGroup.instances.forEach((instance, i) => {
      const lines = hookLines(d, instance.instanceId, 'BeforeInstall');
      expect(lines.some((l) => l.includes(`${n} classpath objects; ${n} already cached`))).toBe(true);
      expect(lines).toContain('ion before-install: fetched 0 objects');
      // Not one AWS CLI call on the instance.
      expect(awsCalls(instance.binDir).length).toBe(before[i]);
    });
  });

  test('a revision naming a missing var fails on the first instance, skips the second, and the log says which var', async () => {
    const config = 'resources/datomic/ion-config.edn';
    repo.write(
      config,
      readFileSync(join(repo.dir, config), 'utf8').replace(
        ':allow [hello.core/greeting]',
        ':allow [hello.core/greeting hello.core/farewell]',
      ),
    );
    const rev = repo.commit('allow a function that does not exist');
    const push = await runPush(cloud, stack, repo);
    // push checks that the namespace is on the classpath; only a JVM on the instance can tell the var is missing.
    expectOk(push);

    const { main } = await runDeploy(cloud, stack, repo, rev, { clockScale: ACTION_CLOCK_SCALE });
    expect(main.exitCode).toBe(1);
    expect(main.outputs.status).toBe('FAILED');
    const d = deploymentOf(main);
    expect([d.status, d.errorInformation?.code]).toEqual(['Failed', 'HEALTH_CONSTRAINTS']);
    expect(d.targets.map((t) => t.status)).toEqual(['Failed', 'Skipped']);
    const missingVar =
      'ion validate-service: FAILED: var hello.core/farewell (:allow) not found: namespace hello.core loads but defines no var farewell';
    const validate = d.targets[0]!.lifecycleEvents.find((e) => e.lifecycleEventName === 'ValidateService')!;
    expect(validate.diagnostics).toMatchObject({ errorCode: 'ScriptFailed', scriptName: 'hooks/validate-service.sh' });
    expect(validate.diagnostics!.logTail).toContain(`[stderr]${missingVar}`);
    // What the workflow shows: an annotation with the hook's own line, and the execution's failure.
    expect(main.annotations.some((a) => a.startsWith('::error') && a.includes('hello.core/farewell'))).toBe(true);
    expect(main.stdout).toContain('Ion.DeploymentFailed');
    expect(main.summary).toContain(missingVar);
    // The second instance was never touched: it still runs the previous revision.
    expect(readlinkSync(join(stack.deploymentGroup.instances[1]!.root, 'apps', 'hello-ion', 'current'))).not.toBe(rev);
  });
});
