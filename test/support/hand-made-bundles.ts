/**
 * Revision bundles made by hand for the integration tests that exercise the deploy action's side (no
 * push, no JVM): what push would leave in the bucket, small enough to make in milliseconds. A bundle is
 * an appspec whose hooks are the given shell scripts, and an ion-manifest.json whose classpath names
 * small objects uploaded at their content-addressed keys with their real size and SHA-256 (the deploy's
 * pre-flight checks each one: src/core/deploy/verify-revision-objects.ts). The bundle is registered
 * with the local CodeDeploy, as push registers it.
 *
 * Also the deploy step's inputs and job environment, shared by the tests that run the built deploy
 * action on these bundles. S3 client against s3rver: PutObject with a Buffer body (s3rver stores
 * buffers intact; a stream body with the SDK's default checksums would be stored with its chunk framing).
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipFiles } from '../../src/core/content/deterministic-zip.js';
import { bundleKey, objectKey } from '../../src/core/layout.js';
import { type EntryKind, MANIFEST_FORMAT, MANIFEST_VERSION, type Manifest, type ManifestEntry } from '../../src/core/manifest/schema.js';
import type { LocalCloud, LocalStack } from '../../local-cloud/index.js';
import { parseOutputFile, TEST_CLOCK_ENV } from '../../local-cloud/run-action.js';

/** One classpath entry: its origin as push records it (`org.clojure/clojure 1.11.1`, or a project path) and its bytes. */
export interface HandMadeEntry {
  origin: string;
  kind: EntryKind;
  /** The object's content; any small text will do (only its size and SHA-256 are checked). Defaults to the origin. */
  data?: string;
}

export interface HandMadeBundle {
  rev: string;
  /** The commit the revision was built from (orders revisions with the workspace's git); null for none. */
  commit?: string | null;
  /** Hook name (ApplicationStart, ValidateService, …) → the hook's shell script, run by the local agent. */
  hooks: Record<string, string>;
  classpath?: HandMadeEntry[];
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** What push would leave for `bundle`: its classpath objects, the bundle at its key, registered with CodeDeploy. Returns the bundle's key. */
export async function pushHandMadeBundle(cloud: LocalCloud, s: LocalStack, bundle: HandMadeBundle): Promise<string> {
  const client = cloud.s3.client();
  try {
    const classpath: ManifestEntry[] = [];
    for (const entry of bundle.classpath ?? []) {
      const data = Buffer.from(entry.data ?? `${entry.origin}\n`);
      const packaging = entry.kind === 'maven' ? 'jar' : 'dir';
      const hash = sha256(data);
      const key = objectKey(s.prefix, hash, packaging);
      await client.send(new PutObjectCommand({ Bucket: s.bucket, Key: key, Body: data }));
      classpath.push({ key, sha256: hash, size: data.length, kind: entry.kind, packaging, origin: entry.origin });
    }
    const commit = bundle.commit ?? null;
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      version: MANIFEST_VERSION,
      appName: s.appName,
      rev: bundle.rev,
      bucket: s.bucket,
      commit,
      // A revision named by its commit is reproducible (push names the others by uname): only those are ordered.
      reproducible: commit !== null,
      classpath,
      lambdas: [],
      ionConfig: {},
    };
    const hookNames = Object.keys(bundle.hooks);
    const appspec = [
      'version: 0.0',
      'os: linux',
      'hooks:',
      ...hookNames.flatMap((name) => [`  ${name}:`, `    - location: hooks/${name}.sh`, '      timeout: 60']),
      '',
    ].join('\n');
    const zip = await zipFiles([
      { name: 'appspec.yml', data: appspec },
      ...hookNames.map((name) => ({ name: `hooks/${name}.sh`, data: bundle.hooks[name]!, mode: 0o755 })),
      { name: 'ion-manifest.json', data: JSON.stringify(manifest) },
    ]);
    const key = bundleKey(s.prefix, s.appName, bundle.rev);
    await client.send(new PutObjectCommand({ Bucket: s.bucket, Key: key, Body: zip }));
    await cloud.codedeploy.handlers.RegisterApplicationRevision!(
      { applicationName: s.appName, revision: { revisionType: 'S3', s3Location: { bucket: s.bucket, key, bundleType: 'zip' } } },
      { operation: 'RegisterApplicationRevision', input: {}, at: Date.now() },
    );
    return key;
  } finally {
    client.destroy();
  }
}

/** The deploy step's inputs for a deploy of `rev` to the stack's group. */
export const deployInputs = (s: LocalStack, rev: string): Record<string, string> => ({
  group: s.group,
  'state-machine-arn': s.stateMachineArn,
  bucket: s.bucket,
  prefix: s.prefix,
  rev,
  'app-name': s.appName,
  // On the action's clock (LOCAL_CLOUD_ACTION_CLOCK_SCALE): 6 minutes real.
  'timeout-minutes': '60',
});

let runId = 9000;

/**
 * How much faster than real time the deploy action's clock runs against the local cloud. The action
 * paces its polls for real AWS: at most 45 calls a minute (src/core/deploy/poll-pacer.ts), which on
 * the real clock leaves ~6 s between its first poll rounds, while a deploy of these trivial hooks ends
 * within a second; so on the real clock the deploy tests mostly waited for the call budget to refill.
 * The local cloud already runs the state machine's waits 20× fast (timeScale 0.05); 10× on the action's
 * clock shortens its waits the same way and keeps its own time limits roomy on a busy machine (the
 * 30 s it waits for CodeDeploy's rollback to appear is 3 s real, against the local CodeDeploy's 0.5 s;
 * deployInputs' timeout-minutes is 6 minutes real). The local cloud's timestamps stay real, so the action's own
 * stamps (a heartbeat, "waiting for the rollback") run ahead of the ones it reads from AWS: the tests
 * assert none of those stamps.
 */
export const LOCAL_CLOUD_ACTION_CLOCK_SCALE = 10;

/**
 * The job's environment for one deploy step (a new run id each); its saved state goes to a file, as on the runner (not to the log).
 * The action runs on the scaled clock of LOCAL_CLOUD_ACTION_CLOCK_SCALE, starting at real time now.
 */
export function deployStepEnv(
  cloud: LocalCloud,
  rev: string,
  extra: Record<string, string> = {},
): { env: Record<string, string>; savedState: () => Record<string, string> } {
  runId += 1;
  const stateFile = join(mkdtempSync(join(tmpdir(), 'action-state-')), 'state');
  writeFileSync(stateFile, '');
  return {
    env: {
      ...cloud.awsEnv(),
      GITHUB_RUN_ID: String(runId),
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_REPOSITORY: 'local/shop',
      GITHUB_SHA: rev,
      GITHUB_STATE: stateFile,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      [TEST_CLOCK_ENV]: `${Date.now()}:${LOCAL_CLOUD_ACTION_CLOCK_SCALE}`,
      ...extra,
    },
    savedState: () => parseOutputFile(readFileSync(stateFile, 'utf8')),
  };
}
