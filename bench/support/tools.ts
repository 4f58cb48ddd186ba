/**
 * The uploaders the bench compares, each run as its own process through the same S3 proxy:
 * the push action (built), `aws s3 sync`, `rclone sync` and the raw PutObject floor.
 */
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { DIST_DIR, QUIET_SDK_NODE_WARNING, actionNodeArgs, parseOutputFile } from '../../local-cloud/run-action.js';
import { S3RVER_CREDENTIALS } from '../../local-cloud/s3-server.js';
import { measure, type Measured } from './measure.js';
import type { Workload } from './workload.js';

export type Scenario = 'cold' | 'warm-same' | 'warm-new-commit' | 'source-change';

export const SCENARIO_TITLES: Record<Scenario, string> = {
  cold: 'cold (empty bucket)',
  'warm-same': 'warm, same commit',
  'warm-new-commit': 'warm, new commit (one source file, no dependency change)',
  'source-change': 'one source change (uncommitted, pushed with a uname)',
};

export interface ToolRun extends Measured {
  /** What the tool said it did, for the notes column. */
  note: string;
}

export interface Tool {
  name: string;
  /** Why the tool cannot run here (with how to install it), or null. */
  missing: string | null;
  scenarios: readonly Scenario[];
  run(scenario: Scenario, bucket: string, runTag: string): Promise<ToolRun>;
}

export interface ToolWorld {
  workload: Workload;
  /** The S3 proxy's URL: every tool talks to S3 through it. */
  s3Url: string;
  /** The local CodeDeploy (behind a latency proxy of its own), and how many calls it has had so far. */
  codedeployUrl: string;
  codedeployCalls(): number;
  /** The node binary that runs the push action (default: this process's). */
  node?: string;
  /** Extra node options for the push action (e.g. --cpu-prof), before the entry script. */
  nodeArgs?: readonly string[];
  /** Sees the push action's stdout as it comes, with the ms since its start (a timeline of its log). */
  onPushStdout?: (text: string, ms: number) => void;
}

const ALL: readonly Scenario[] = ['cold', 'warm-same', 'warm-new-commit', 'source-change'];

/** The first executable among `candidates` (absolute paths, or names looked up on PATH). */
export function findExecutable(...candidates: string[]): string | null {
  for (const c of candidates) {
    const paths = c.startsWith('/') ? [c] : (process.env.PATH ?? '').split(delimiter).map((d) => join(d, c));
    for (const p of paths) {
      try {
        accessSync(p, constants.X_OK);
        return p;
      } catch {}
    }
  }
  return null;
}

/** This process's environment without anything that would change how a tool behaves (runner, AWS profile, loader). */
function baseEnv(world: ToolWorld): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(GITHUB_|INPUT_|AWS_|RCLONE_)/.test(k) && k !== 'NODE_OPTIONS') env[k] = v;
  return {
    ...env,
    ...QUIET_SDK_NODE_WARNING,
    HOME: world.workload.home,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** The built push action, started the way the runner starts it (inputs as INPUT_*, outputs through GITHUB_OUTPUT). */
export function pushTool(world: ToolWorld): Tool {
  const entry = join(DIST_DIR, 'push', 'index.js');
  let missing: string | null = null;
  try {
    accessSync(entry);
  } catch {
    missing = `no built action at ${entry}: run npm run build, or set ION_ACTIONS_DIST to a build`;
  }
  return {
    name: 'push',
    missing,
    scenarios: ALL,
    async run(scenario, bucket, runTag) {
      const dir = mkdtempSync(join(tmpdir(), 'bench-push-'));
      const outputFile = join(dir, 'output');
      writeFileSync(outputFile, '');
      writeFileSync(join(dir, 'summary'), '');
      const inputs: Record<string, string> = { bucket, classpath: world.workload.classpath };
      if (scenario === 'source-change') inputs.uname = `bench-change-${runTag}`;
      // What push keeps on the runner (RUNNER_TOOL_CACHE: jar facts, compiled code) lives across a run's
      // scenarios, as on a self-hosted runner; a cold push starts without it.
      const toolCache = runnerToolCache(world);
      if (scenario === 'cold') rmSync(toolCache, { recursive: true, force: true });
      const env: Record<string, string> = {
        ...baseEnv(world),
        AWS_ENDPOINT_URL_S3: world.s3Url,
        AWS_ENDPOINT_URL_CODEDEPLOY: world.codedeployUrl,
        GITHUB_WORKSPACE: world.workload.project,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: join(dir, 'summary'),
        GITHUB_ACTIONS: 'true',
        RUNNER_TOOL_CACHE: toolCache,
      };
      for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
      const callsBefore = world.codedeployCalls();
      const node = world.node ?? process.execPath;
      const m = await measure(node, [...actionNodeArgs(env), ...(world.nodeArgs ?? []), entry], {
        env,
        cwd: world.workload.project,
        onStdout: world.onPushStdout,
      });
      const codedeployCalls = world.codedeployCalls() - callsBefore;
      const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'));
      rmSync(dir, { recursive: true, force: true });
      if (m.exitCode !== 0) throw new Error(`push (${scenario}) exited with ${m.exitCode}:\n${m.stdout}\n${m.stderr}`);
      return {
        ...m,
        note: `uploaded ${outputs['uploaded-files'] ?? '?'}, reused ${outputs['reused-files'] ?? '?'}; ${codedeployCalls} CodeDeploy calls`,
      };
    },
  };
}

/** The bench's RUNNER_TOOL_CACHE for push. */
export const runnerToolCache = (world: ToolWorld): string => join(dirname(world.workload.home), 'runner-tool-cache');

/** What the sync tools upload: the jars and the project's classpath directories, from HOME. */
const syncIncludes = (w: Workload) => ({
  aws: ['--exclude', '*', '--include', '.m2/repository/*.jar', ...w.projectPaths.flatMap((p) => ['--include', `app/${p}/*`])],
  rclone: ['--include', '/.m2/repository/**.jar', ...w.projectPaths.flatMap((p) => ['--include', `/app/${p}/**`])],
});

/** A sync tool run over HOME with the filters above; the bucket is a fresh one per tool and run. */
function syncTool(
  name: string,
  executable: string | null,
  install: string,
  args: (bucket: string) => string[],
  env: Record<string, string>,
  world: ToolWorld,
): Tool {
  return {
    name,
    missing: executable ? null : `${name.split(' ')[0]} not found: ${install}`,
    scenarios: ALL,
    async run(scenario, bucket) {
      const m = await measure(executable!, args(bucket), { env, cwd: world.workload.home });
      if (m.exitCode !== 0) throw new Error(`${name} (${scenario}) exited with ${m.exitCode}:\n${m.stdout}\n${m.stderr}`);
      return { ...m, note: '' };
    },
  };
}

/** Debian's awscli, `aws s3 sync` with its defaults (10 requests at once; compares size and modification time). */
export function awsTool(world: ToolWorld): Tool {
  // Debian's first: another aws on PATH may be a different aws-cli.
  const aws = findExecutable('/usr/bin/aws', 'aws');
  const args = (bucket: string) => [
    's3',
    'sync',
    world.workload.home,
    `s3://${bucket}/sync`,
    '--only-show-errors',
    '--endpoint-url',
    world.s3Url,
    ...syncIncludes(world.workload).aws,
  ];
  return syncTool('aws s3 sync', aws, 'apt-get install -y awscli', args, baseEnv(world), world);
}

/**
 * How rclone decides a file is already there. `checksum` (the default here): size and MD5 from the
 * listing's ETag, as rclone's S3 page recommends ("Avoiding HEAD requests to read the modification
 * time"). `modtime`: rclone's own default, size and modification time, which costs a HEAD per object.
 */
export type RcloneMode = 'checksum' | 'modtime';

/**
 * Debian's rclone, `rclone sync` configured by environment (no config file): `--fast-list` (one
 * recursive listing instead of one per directory, from rclone's "Reducing costs"; against s3rver it
 * is also needed at all: without it rclone's listing of the destination came back empty and every
 * warm sync uploaded everything again), `--s3-no-check-bucket` (the bucket exists), the comparison
 * of `mode`; otherwise its defaults (4 transfers, 8 checkers).
 */
export function rcloneTool(world: ToolWorld, mode: RcloneMode = 'checksum'): Tool {
  const rclone = findExecutable('/usr/bin/rclone', 'rclone');
  const env = {
    ...baseEnv(world),
    RCLONE_CONFIG_LOC_TYPE: 's3',
    RCLONE_CONFIG_LOC_PROVIDER: 'Other',
    RCLONE_CONFIG_LOC_ENDPOINT: world.s3Url,
    RCLONE_CONFIG_LOC_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    RCLONE_CONFIG_LOC_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    RCLONE_CONFIG_LOC_FORCE_PATH_STYLE: 'true',
  };
  // rclone fails on a local endpoint when AWS_CA_BUNDLE is set (baseEnv drops every AWS_ variable it did not set).
  const args = (bucket: string) => [
    'sync',
    world.workload.home,
    `loc:${bucket}/sync`,
    '-q',
    '--s3-no-check-bucket',
    '--fast-list',
    ...(mode === 'checksum' ? ['--checksum'] : []),
    ...syncIncludes(world.workload).rclone,
  ];
  return syncTool(RCLONE_TOOL_NAMES[mode], rclone, 'apt-get install -y rclone', args, env, world);
}

/** `rclone sync` with its own comparison (the baseline), and with --checksum (the faster one here). */
export const RCLONE_TOOL_NAMES: Record<RcloneMode, string> = { modtime: 'rclone sync', checksum: 'rclone sync --checksum' };

/**
 * The floor's fixed cost, a variant for reading the floor, not a new floor: put-floor.mjs with no
 * objects, so node's start and the load of the SDK from node_modules (its CommonJS build, many
 * files, unbundled) without a single request. floor − this = what the floor's transfer takes; the
 * push action pays its own start (one bundled file) instead, so a push/floor ratio also compares
 * the two start-ups. Measured this way on the bench machine: ~0.55–0.75 s of CPU, more than
 * `node -e 0`'s ~0.15 s.
 */
export function floorStartupTool(world: ToolWorld): Tool {
  const script = join(import.meta.dirname, 'put-floor.mjs');
  return {
    name: 'PutObject floor start-up (no objects)',
    missing: null,
    scenarios: ['cold'],
    async run(_scenario, bucket) {
      const dir = mkdtempSync(join(tmpdir(), 'bench-floor-start-'));
      const list = join(dir, 'files.json');
      writeFileSync(list, '[]');
      const env = { ...baseEnv(world), AWS_ENDPOINT_URL_S3: world.s3Url };
      const m = await measure(process.execPath, [script, list, bucket], { env, cwd: world.workload.home });
      rmSync(dir, { recursive: true, force: true });
      if (m.exitCode !== 0) throw new Error(`the PutObject floor start-up exited with ${m.exitCode}:\n${m.stdout}\n${m.stderr}`);
      return { ...m, note: '0 objects' };
    },
  };
}

/** The raw PutObject floor (put-floor.mjs): every file the sync tools send, 16 at once; cold only. */
export function floorTool(world: ToolWorld): Tool {
  const script = join(import.meta.dirname, 'put-floor.mjs');
  return {
    name: 'PutObject floor',
    missing: null,
    scenarios: ['cold'],
    async run(_scenario, bucket) {
      const dir = mkdtempSync(join(tmpdir(), 'bench-floor-'));
      const list = join(dir, 'files.json');
      const files = world.workload.files().map((f) => ({ key: `floor/${f.key}`, path: f.path }));
      writeFileSync(list, JSON.stringify(files));
      const env = { ...baseEnv(world), AWS_ENDPOINT_URL_S3: world.s3Url };
      const m = await measure(process.execPath, [script, list, bucket], { env, cwd: world.workload.home });
      rmSync(dir, { recursive: true, force: true });
      if (m.exitCode !== 0) throw new Error(`the PutObject floor exited with ${m.exitCode}:\n${m.stdout}\n${m.stderr}`);
      return { ...m, note: `${files.length} objects` };
    },
  };
}
