/**
 * The built push action against s3rver and the local CodeDeploy, on the sample app with its
 * classpath from the real tools.deps (Debian's, offline): what a revision changes on a group that
 * runs an earlier one (the running revision's manifest read from the bucket), and a dependency
 * conflict — a hand-made Maven artifact that carries clojure/data/json.clj, from a file:// Maven
 * repository, next to the real org.clojure/data.json — as warnings on deps.edn, a summary table
 * and the `dependency-conflicts` output.
 *
 * Client configuration against s3rver: the action's own (path-style because AWS_ENDPOINT_URL_S3 is set).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import yazl from 'yazl';
import { type LocalCodeDeploy, type LocalDeployment, startLocalCodeDeploy } from '../../local-cloud/codedeploy.js';
import { STAND_IN_BIN } from '../../local-cloud/clojure-stand-in.js';
import { type ActionResult, runAction } from '../../local-cloud/run-action.js';
import { S3RVER_CREDENTIALS, type S3Server, startS3Server } from '../../local-cloud/s3-server.js';
import { makeSampleProject } from '../support/sample-project.js';
import { runnerCommands } from '../support/runner-commands.js';

const BUCKET = 'ion-code';
/** A group id no real project uses: tools.deps copies the artifact into ~/.m2 (Java's user.home). */
const SHADOW = { group: 'ion-actions-test', artifact: 'json-shadow', version: '1.0.0' };

let s3: S3Server;
let cd: LocalCodeDeploy;
let root: string;
let mavenRepoUrl: string;

/** A Maven repository (file://) holding one hand-made artifact whose jar carries clojure/data/json.clj. */
async function makeShadowRepository(dir: string): Promise<string> {
  const at = join(dir, SHADOW.group, SHADOW.artifact, SHADOW.version);
  mkdirSync(at, { recursive: true });
  const base = `${SHADOW.artifact}-${SHADOW.version}`;
  writeFileSync(
    join(at, `${base}.pom`),
    `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>${SHADOW.group}</groupId><artifactId>${SHADOW.artifact}</artifactId><version>${SHADOW.version}</version><packaging>jar</packaging></project>
`,
  );
  await new Promise<void>((resolve, reject) => {
    const z = new yazl.ZipFile();
    const mtime = new Date(Date.UTC(2020, 0, 1));
    z.addBuffer(Buffer.from('Manifest-Version: 1.0\n'), 'META-INF/MANIFEST.MF', { mtime });
    z.addBuffer(Buffer.from('(ns clojure.data.json)\n(defn read-str [s] :shadowed)\n'), 'clojure/data/json.clj', { mtime });
    z.addBuffer(Buffer.from('(ns acme.shadow)\n'), 'acme/shadow.clj', { mtime });
    z.end();
    const chunks: Buffer[] = [];
    z.outputStream
      .on('data', (c: Buffer) => chunks.push(c))
      .on('end', () => {
        writeFileSync(join(at, `${base}.jar`), Buffer.concat(chunks));
        resolve();
      })
      .on('error', reject);
  });
  return `file://${dir}`;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'push-diff-'));
  s3 = await startS3Server();
  await s3.createBucket(BUCKET);
  cd = await startLocalCodeDeploy({ root, s3: () => s3.client(), s3Endpoint: s3.endpoint });
  cd.createApplication('sample-app');
  cd.createDeploymentGroup('sample-app', 'sample-prod', { instances: 0 });
  cd.createDeploymentGroup('sample-app', 'sample-dev', { instances: 0 });
  mavenRepoUrl = await makeShadowRepository(join(root, 'maven'));
});

afterAll(async () => {
  await Promise.all([s3?.close(), cd?.close()]);
  rmSync(root, { recursive: true, force: true });
});

const env = (dir: string) => ({
  AWS_ENDPOINT_URL_S3: s3.endpoint,
  AWS_ENDPOINT_URL_CODEDEPLOY: cd.url,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_EC2_METADATA_DISABLED: 'true',
  PATH: `${STAND_IN_BIN}${delimiter}${process.env.PATH}`,
  GITHUB_WORKSPACE: dir,
  HOME: homedir(),
});

const push = (dir: string, inputs: Record<string, string> = {}): Promise<ActionResult> =>
  runAction('push', { bucket: BUCKET, 'working-directory': '.', ...inputs }, { cwd: dir, env: env(dir) });

/**
 * Records a finished, successful deployment of a pushed bundle on the group, as CodeDeploy would
 * after deploying it (a real deployment needs instances and a JVM on them; what push reads is only
 * GetDeploymentGroup's lastSuccessfulDeployment, GetDeployment's revision and the bundle in S3).
 */
function recordSucceeded(group: string, key: string): void {
  const now = Date.now();
  const deploymentId = 'd-PUSHDIFF1';
  cd.deployments.set(deploymentId, {
    deploymentId,
    applicationName: 'sample-app',
    deploymentGroupName: group,
    revision: { bucket: BUCKET, key, bundleType: 'zip' },
    status: 'Succeeded',
    createTime: now,
    startTime: now,
    completeTime: now,
    targets: [],
    stopRequested: false,
    creator: 'user',
    done: Promise.resolve(),
  } as unknown as LocalDeployment);
  cd.applications.get('sample-app')!.groups.get(group)!.lastSuccessfulDeployment = {
    deploymentId,
    status: 'Succeeded',
    createTime: now / 1000,
    endTime: now / 1000,
  };
}

const DEPS_WITH_SHADOW = (repo: string) => `;; The sample app, with a library that bundles a copy of clojure.data.json.
{:paths ["src" "resources"]
 :deps {org.clojure/clojure {:mvn/version "1.11.1"}
        ion-actions-test/json-shadow {:mvn/version "1.0.0"}
        org.clojure/data.json {:mvn/version "2.4.0"}}
 :mvn/repos {"central" nil
             "clojars" nil
             "debian" {:url "file:///usr/share/maven-repo" :releases {:checksum :ignore}}
             "shadow" {:url "${repo}" :releases {:checksum :ignore}}}}
`;

test('a group that runs an earlier revision: the log line, the summary table, also in a dry run; a conflict warned on deps.edn', async () => {
  const project = makeSampleProject();
  const first = await push(project.dir);
  expect(first.exitCode).toBe(0);
  expect(first.stdout).toContain('Group sample-prod has no successful deployment yet');
  expect(first.outputs['dependency-conflicts']).toBe('[]');
  expect(first.stdout).toContain('No dependency conflicts');
  recordSucceeded('sample-prod', first.outputs.bundle!.replace(`s3://${BUCKET}/`, ''));

  project.write('deps.edn', DEPS_WITH_SHADOW(mavenRepoUrl));
  project.write('src/sample/extra.clj', '(ns sample.extra)\n(defn ping [_] "pong")\n');
  project.write(
    'resources/datomic/ion-config.edn',
    `{:app-name "sample-app"
 :allow [sample.core/items-by-type]
 :lambdas {:echo {:fn sample.core/echo :description "echoes its input" :timeout-secs 30}
           :ping {:fn sample.extra/ping}}
 :http-direct {:handler-fn sample.core/handler}}
`,
  );
  const rev1 = first.outputs.rev!;
  project.commit();

  const runs: Record<string, string>[] = [{ 'dry-run': 'true', bucket: '' }, {}];
  for (const inputs of runs) {
    const second = await push(project.dir, inputs);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain(`Group sample-prod runs ${rev1}: 1 library added; resources, src changed; lambdas +ping`);
    expect(second.stdout).toContain('Group sample-dev has no successful deployment yet');
    expect(second.summary).toContain('### What this revision changes');
    expect(second.summary).toContain('| library added | ion-actions-test/json-shadow | — | 1.0.0 |');
    expect(second.summary).toContain('| lambda added | ping | — | added |');

    // The conflict: both jars carry clojure/data/json.clj; tools.deps puts them in some order, the first wins.
    const conflicts = JSON.parse(second.outputs['dependency-conflicts']!) as { namespace?: string; entries: string[]; winner: string }[];
    expect(conflicts).toHaveLength(1);
    const [c] = conflicts;
    expect(c!.namespace).toBe('clojure.data.json');
    expect([...c!.entries].sort()).toEqual(['ion-actions-test/json-shadow 1.0.0', 'org.clojure/data.json 2.4.0']);
    expect(c!.winner).toBe(c!.entries[0]);
    const warnings = runnerCommands(second.stdout).filter((w) => w.name === 'warning');
    const onDeps = warnings.filter((w) => w.data.startsWith('Dependency conflict'));
    expect(onDeps).toHaveLength(1);
    // Placed on the winner's coordinate in deps.edn (both are top-level deps there: line 4 or 5, column 9).
    const line = c!.winner.startsWith('ion-actions-test') ? '4' : '5';
    expect(onDeps[0]!.properties).toEqual({ file: 'deps.edn', line, col: '9' });
    expect(second.stdout).toMatch(/::group::Dependency conflicts: 1 namespace or class provided/);
    expect(second.summary).toContain('### Dependency conflicts');
    expect(second.summary).toContain('1: clojure.data.json');
  }
});
