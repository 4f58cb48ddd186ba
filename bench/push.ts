/**
 * npm run bench:push — the push action side by side with `aws s3 sync`, `rclone sync` and a raw
 * PutObject floor, in one run on the same data (docs/performance.md says what each column means).
 *
 * Workload: real jars (zips of .clj sources and .class files) in a private ~/.m2, a project of source
 * files in a git repository (bench/support/workload.ts). Every tool is its own process, talks to the
 * same s3rver through the same proxy (its own process too: it adds --latency-ms to every request and
 * counts requests by method and bytes), and gets a fresh bucket per run. Tools are alternated within
 * each scenario, --runs times; medians (and min–max) are printed. The push is the built action
 * (dist/, or ION_ACTIONS_DIST), started the way the runner starts it, registering with a local
 * CodeDeploy served by this process (which therefore never waits synchronously).
 *
 * Scenarios: cold (empty bucket); warm, same commit; warm, new commit that changes one source file
 * and no dependency; one uncommitted source change, pushed with a uname (the sync tools sync the same
 * change). The floor runs cold only. --scale runs push (and the floor) on 1,000 jars and push on a
 * 100,000-file directory instead, for time, requests and peak RSS as the project grows.
 *
 * Asserts nothing: speed is measured, not asserted.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { DIST_DIR, QUIET_SDK_NODE_WARNING, REPO_ROOT } from '../local-cloud/run-action.js';
import { startS3Server, type S3Server } from '../local-cloud/s3-server.js';
import { startFakeCodeDeployRevisions } from '../test/support/fake-codedeploy-revisions.js';
import { parseBenchArgs, type BenchOptions } from './support/args.js';
import { holdBenchLock } from './support/lock.js';
import { RSS_METHOD, measure } from './support/measure.js';
import { startBenchProxy, type BenchProxy } from './support/s3-proxy.js';
import { formatKinds, median, ratiosTable, resultsTable, summarize, type ResultRow, type Sample, type Summary } from './support/table.js';
import {
  SCENARIO_TITLES,
  awsTool,
  findExecutable,
  floorTool,
  pushTool,
  rcloneTool,
  RCLONE_TOOL_NAMES,
  type RcloneMode,
  type Scenario,
  type Tool,
  type ToolWorld,
} from './support/tools.js';
import { prepareWorkload, type Workload, type WorkloadSpec } from './support/workload.js';

const ROOT = resolve(REPO_ROOT, '.bench', 'push');
const SCENARIOS: readonly Scenario[] = ['cold', 'warm-same', 'warm-new-commit', 'source-change'];
const progress = (line: string) => process.stderr.write(`${line}\n`);
// This process talks to s3rver through the SDK too (creating buckets): no Node-version warning.
Object.assign(process.env, QUIET_SDK_NODE_WARNING);

interface Servers {
  s3: S3Server;
  proxy: BenchProxy;
  codedeployUrl: string;
  codedeployCalls(): number;
  /** The node binary that runs the push action. */
  node: string;
}

type Results = Map<Scenario, Map<string, Sample[]>>;

let bucketSeq = 0;

/**
 * Runs every tool `runs` times over `scenarios`: each run gives each tool a fresh bucket, then plays
 * the scenarios in order; within a scenario the tools take turns, starting with a different one each run.
 */
async function runSuite(
  servers: Servers,
  workload: Workload,
  makeTools: (world: ToolWorld) => Tool[],
  runs: number,
  scenarios: readonly Scenario[],
): Promise<{ results: Results; tools: Tool[] }> {
  const world: ToolWorld = {
    workload,
    s3Url: servers.proxy.url,
    codedeployUrl: servers.codedeployUrl,
    codedeployCalls: servers.codedeployCalls,
    node: servers.node,
  };
  const tools = makeTools(world);
  for (const t of tools.filter((t) => t.missing)) progress(`skipping ${t.name}: ${t.missing}`);
  const present = tools.filter((t) => !t.missing);
  const results: Results = new Map(scenarios.map((s) => [s, new Map(present.map((t) => [t.name, []]))]));
  for (let run = 1; run <= runs; run++) {
    const order = present.map((_, i) => present[(i + run - 1) % present.length]!);
    const buckets = new Map<string, string>();
    for (const t of present) {
      const bucket = `bench-${++bucketSeq}-${t.name.split(' ')[0]!.toLowerCase()}`;
      await servers.s3.createBucket(bucket);
      buckets.set(t.name, bucket);
    }
    const tag = `${Date.now().toString(36)}-${run}`;
    for (const scenario of scenarios) {
      if (scenario === 'warm-new-commit') workload.commitSourceChange(tag);
      if (scenario === 'source-change') workload.changeSourceUncommitted(tag);
      for (const tool of order.filter((t) => t.scenarios.includes(scenario))) {
        await servers.proxy.reset();
        const r = await tool.run(scenario, buckets.get(tool.name)!, tag);
        const stats = await servers.proxy.stats();
        results
          .get(scenario)!
          .get(tool.name)!
          .push({ ...r, stats });
        progress(
          `  run ${run}/${runs} ${scenario.padEnd(15)} ${tool.name.padEnd(15)} ${(r.wallMs / 1000).toFixed(2).padStart(6)} s  ${String(stats.requests).padStart(5)} requests  ${r.note}`,
        );
      }
      if (scenario === 'source-change') workload.commitAll(`commit the change of run ${tag}`);
    }
    // Each run's buckets are never read again: free the disk (s3rver keeps a bucket as a directory).
    for (const bucket of buckets.values()) rmSync(join(servers.s3.directory, bucket), { recursive: true, force: true });
  }
  return { results, tools };
}

const summaryOf = (results: Results, scenario: string, tool: string): Summary | undefined => {
  const samples = results.get(scenario as Scenario)?.get(tool);
  return samples?.length ? summarize(samples) : undefined;
};

function rowsOf(results: Results, label = ''): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const [scenario, byTool] of results)
    for (const [tool, samples] of byTool)
      if (samples.length) rows.push({ scenario: `${label}${SCENARIO_TITLES[scenario]}`, tool, summary: summarize(samples) });
  return rows;
}

function toolVersion(command: string | null, args: string[]): string {
  if (!command) return 'not installed';
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      .split('\n')[0]!
      .trim();
  } catch {
    return 'version unknown';
  }
}

/** The version of the node binary that runs the push action. */
function nodeVersion(node: string): string {
  return node === process.execPath ? process.version : toolVersion(node, ['--version']);
}

/** `node -e 0`, median of 5: the start-up any Node tool pays, to set beside push's first line. */
async function nodeStartMs(node: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) times.push((await measure(node, ['-e', '0'], { env: { PATH: process.env.PATH ?? '' } })).wallMs);
  return median(times);
}

function header(options: BenchOptions, nodeMs: { start: number; end: number }): string {
  const cpu = cpus();
  return [
    `Machine: ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${new Date().toISOString()}`,
    `Load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (the tools share the machine with s3rver and the proxies: compare them by the ratios of one run).`,
    `S3 and CodeDeploy: s3rver and a local CodeDeploy, each behind a proxy in its own process adding ${options.latencyMs} ms to every request; ${options.runs} run(s), medians.`,
    `Push: ${join(DIST_DIR, 'push', 'index.js')} on Node ${nodeVersion(options.node)}${options.node === process.execPath ? '' : ` (${options.node})`}. aws: ${toolVersion(findExecutable('/usr/bin/aws', 'aws'), ['--version'])}. rclone: ${toolVersion(findExecutable('/usr/bin/rclone', 'rclone'), ['--version'])} (--fast-list; \`rclone sync\`: rclone's own comparison, size and modification time; \`--checksum\`: size and MD5 from the listing).`,
    `Peak RSS and CPU: ${RSS_METHOD === 'time' ? '/usr/bin/time' : RSS_METHOD === 'python' ? 'getrusage of the child (python3 wrapper)' : 'not measured (install GNU time)'}; wall times are whole processes, start-up included (\`node -e 0\`: ${Math.round(nodeMs.start)} ms at the start, ${Math.round(nodeMs.end)} ms at the end, medians of 5).`,
  ]
    .map((line) => `- ${line}`)
    .join('\n');
}

/** Push's requests on a warm new commit, per project size: the cost that must not grow with the jars. */
function growthTable(points: { jars: number; directoryFiles: number; summary: Summary }[]): string {
  const lines = [
    '| jars | directory files | push warm new commit: S3 requests | by method | MB sent | wall s |',
    '|---:|---:|---:|---|---:|---:|',
  ];
  for (const p of points)
    lines.push(
      `| ${p.jars} | ${p.directoryFiles} | ${p.summary.requests} | ${formatKinds(p.summary.byKind)} | ${(p.summary.bytesSent / 1e6).toFixed(1)} | ${(p.summary.wallMs.median / 1000).toFixed(2)} |`,
    );
  return lines.join('\n');
}

const rcloneModes = (mode: BenchOptions['rcloneMode']): RcloneMode[] => (mode === 'both' ? ['modtime', 'checksum'] : [mode]);

async function comparison(servers: Servers, options: BenchOptions): Promise<string[]> {
  const spec: WorkloadSpec = { jars: options.jars, jarKiB: options.jarKiB, sourceFiles: options.sourceFiles, directoryFiles: 0 };
  const workload = await prepareWorkload(ROOT, spec, progress);
  progress(`Comparing on ${spec.jars} jars (${(workload.totalJarBytes / 1e6).toFixed(1)} MB) + ${spec.sourceFiles} source files…`);
  const { results, tools } = await runSuite(
    servers,
    workload,
    (w) => [pushTool(w), awsTool(w), ...rcloneModes(options.rcloneMode).map((mode) => rcloneTool(w, mode)), floorTool(w)],
    options.runs,
    SCENARIOS,
  );

  const smallSpec: WorkloadSpec = { ...spec, jars: options.smallJars };
  const small = await prepareWorkload(ROOT, smallSpec, progress);
  progress(`Push alone on ${smallSpec.jars} jars, for the request count of a warm new commit…`);
  const smallRuns = await runSuite(servers, small, (w) => [pushTool(w)], Math.min(options.runs, 3), ['cold', 'warm-new-commit']);

  const present = new Set(tools.filter((t) => !t.missing).map((t) => t.name));
  const others = [
    { tool: 'PutObject floor', label: 'push ÷ floor' },
    { tool: RCLONE_TOOL_NAMES.modtime, label: 'push ÷ rclone' },
    { tool: RCLONE_TOOL_NAMES.checksum, label: 'push ÷ rclone --checksum' },
    { tool: 'aws s3 sync', label: 'push ÷ aws' },
  ].filter((o) => present.has(o.tool));
  const growth = [smallRuns.results, results].flatMap((r, i) => {
    const s = summaryOf(r, 'warm-new-commit', 'push');
    return s ? [{ jars: i === 0 ? smallSpec.jars : spec.jars, directoryFiles: 0, summary: s }] : [];
  });
  return [
    `- Workload: ${spec.jars} jars × ~${spec.jarKiB} KiB (${(workload.totalJarBytes / 1e6).toFixed(1)} MB of real zips) in ~/.m2, ${spec.sourceFiles} source files; the sync tools and the floor send the jars and the files of src/ and resources/.`,
    '',
    resultsTable(rowsOf(results)),
    '',
    'push ÷ each other tool, wall time: median of the ratios within each run (their range), below 1: push is faster:',
    '',
    ratiosTable(
      SCENARIOS.map((id) => ({ id, title: SCENARIO_TITLES[id] })),
      (sc, tool) => results.get(sc as Scenario)?.get(tool),
      'push',
      others,
    ),
    '',
    growthTable(growth),
  ];
}

async function scale(servers: Servers, options: BenchOptions): Promise<string[]> {
  const manyJars: WorkloadSpec = { jars: options.scaleJars, jarKiB: options.jarKiB, sourceFiles: options.sourceFiles, directoryFiles: 0 };
  const jarsWorkload = await prepareWorkload(ROOT, manyJars, progress);
  progress(`Scale: push and the floor on ${manyJars.jars} jars…`);
  const jarsRun = await runSuite(servers, jarsWorkload, (w) => [pushTool(w), floorTool(w)], options.runs, [
    'cold',
    'warm-same',
    'warm-new-commit',
  ]);

  const bigDir: WorkloadSpec = {
    jars: options.smallJars,
    jarKiB: options.jarKiB,
    sourceFiles: options.sourceFiles,
    directoryFiles: options.scaleFiles,
  };
  const dirWorkload = await prepareWorkload(ROOT, bigDir, progress);
  progress(`Scale: push on a ${bigDir.directoryFiles}-file directory (and ${bigDir.jars} jars)…`);
  const dirRun = await runSuite(servers, dirWorkload, (w) => [pushTool(w)], options.runs, ['cold', 'warm-same', 'warm-new-commit']);

  const growth = [
    { r: jarsRun.results, spec: manyJars },
    { r: dirRun.results, spec: bigDir },
  ].flatMap(({ r, spec }) => {
    const s = summaryOf(r, 'warm-new-commit', 'push');
    return s ? [{ jars: spec.jars, directoryFiles: spec.directoryFiles, summary: s }] : [];
  });
  return [
    `- Scale workloads: (a) ${manyJars.jars} jars × ~${manyJars.jarKiB} KiB (${(jarsWorkload.totalJarBytes / 1e6).toFixed(0)} MB) + ${manyJars.sourceFiles} source files; (b) ${bigDir.jars} jars + a ${bigDir.directoryFiles}-file directory on the classpath (pushed as one zip; no per-file floor: it would measure s3rver's cost per request).`,
    '',
    resultsTable([
      ...rowsOf(jarsRun.results, `(a) ${manyJars.jars} jars: `),
      ...rowsOf(dirRun.results, `(b) ${bigDir.directoryFiles} files: `),
    ]),
    '',
    `push ÷ floor, cold, ${manyJars.jars} jars: ${ratioText(jarsRun.results.get('cold')?.get('push'), jarsRun.results.get('cold')?.get('PutObject floor'))}`,
    '',
    growthTable(growth),
  ];
}

const ratioText = (a: readonly Sample[] | undefined, b: readonly Sample[] | undefined) =>
  a?.length && b?.length ? median(a.slice(0, b.length).map((s, i) => s.wallMs / b[i]!.wallMs)).toFixed(2) : '–';

async function main(): Promise<number> {
  const options = parseBenchArgs(process.argv.slice(2));
  if ('help' in options) {
    console.log(options.help);
    return 0;
  }
  if ('error' in options) {
    console.error(options.error);
    return 2;
  }
  mkdirSync(ROOT, { recursive: true });
  await holdBenchLock(join(ROOT, '.lock'), progress);
  const s3 = await startS3Server();
  const proxy = await startBenchProxy(s3.endpoint, options.latencyMs);
  const codedeploy = await startFakeCodeDeployRevisions({ 'bench-app': ['bench-prod'] });
  // CodeDeploy is as far away as S3: its calls get the same added latency (not counted in the S3 columns).
  const codedeployProxy = await startBenchProxy(codedeploy.url, options.latencyMs);
  try {
    const nodeAtStart = await nodeStartMs(options.node);
    const servers = { s3, proxy, codedeployUrl: codedeployProxy.url, codedeployCalls: () => codedeploy.calls.length, node: options.node };
    const body = options.scale ? await scale(servers, options) : await comparison(servers, options);
    const nodeMs = { start: nodeAtStart, end: await nodeStartMs(options.node) };
    console.log(['', header(options, nodeMs), '', ...body].join('\n'));
    return 0;
  } finally {
    await codedeployProxy.close();
    await proxy.close();
    await codedeploy.close();
    await s3.close();
  }
}

process.exitCode = await main();
