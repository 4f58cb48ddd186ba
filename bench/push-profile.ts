/**
 * npx tsx bench/push-profile.ts — where a push's time goes, by CPU profile: the built push action alone,
 * cold once, then `--runs` times each of its warm paths (the same commit again; a new commit that
 * changes one source file), on the bench's workload, through the same latency proxies as bench:push.
 *
 * With `--cpu-prof` each push runs under `node --cpu-prof`, and the profile is split into phases:
 * loading (process start to the first sample inside the action's `run`: reading and compiling the
 * bundle, running its module factories) and running (the rest), each by kind of work: JavaScript of
 * the bundle's libraries (AWS SDK, @actions/*, …), the action's own code, Node's internals, native
 * work V8 reports as "(program)" (parsing and compiling among it), garbage collection, and idle time
 * (waiting on requests, git, the disk). CPU figures do not depend on the machine's load as much as
 * wall times do: on a shared machine, compare those.
 *
 *   npx tsx bench/push-profile.ts [--node /path/to/node] [--runs 5] [--latency-ms 20] [--cpu-prof] [--jars 200]
 *
 * The action keeps V8's compiled code of its chunks in RUNNER_TOOL_CACHE beside its jar facts
 * (src/github/compiled-code-cache.ts), and the bench keeps that directory across a run's pushes, as
 * bench:push does (a self-hosted runner, a re-run): `--compile-cache kept` (the default).
 * `--compile-cache cold` removes the compiled code before every push (the jar facts stay): the
 * compiling a push does when the runner kept nothing of it. Asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DIST_DIR, QUIET_SDK_NODE_WARNING, REPO_ROOT } from '../local-cloud/run-action.js';
import { startS3Server } from '../local-cloud/s3-server.js';
import { startFakeCodeDeployRevisions } from '../test/support/fake-codedeploy-revisions.js';
import { holdBenchLock } from './support/lock.js';
import { startBenchProxy } from './support/s3-proxy.js';
import { median } from './support/table.js';
import { pushTool, runnerToolCache, type Scenario, type ToolWorld } from './support/tools.js';
import { prepareWorkload } from './support/workload.js';

const ROOT = resolve(REPO_ROOT, '.bench', 'push');
const progress = (line: string) => process.stderr.write(`${line}\n`);
Object.assign(process.env, QUIET_SDK_NODE_WARNING);

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const NODE = option('node') ?? process.execPath;
const RUNS = Number(option('runs') ?? 3);
const LATENCY = Number(option('latency-ms') ?? 20);
const JARS = Number(option('jars') ?? 200);
const PROFILE = process.argv.includes('--cpu-prof');
const COMPILE_CACHE = option('compile-cache') ?? 'kept';
/** Print each log line of the warm pushes with the ms since the process started (where the time goes, in wall time). */
const TIMELINE = process.argv.includes('--timeline');
/** Keep the profiles in this directory (open them in Chrome's DevTools) instead of deleting them. */
const KEEP = option('keep');

/** A V8 CPU profile as `node --cpu-prof` writes it. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

type Kind = 'libraries' | 'action' | 'node' | 'program' | 'gc' | 'idle';
const KINDS: readonly Kind[] = ['libraries', 'action', 'node', 'program', 'gc', 'idle'];

/** CPU ms by phase (loading / running) and kind of work, from one profile. */
export function splitProfile(profile: CpuProfile): Record<'loading' | 'running', Record<Kind, number>> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // The chunk that holds the action's own code: where the entry's call of `run` lands (other chunks have functions named run too).
  const entryUrl = (url: string) => /\/index\.js$/.test(url) && !/\/\d+\.index\.js$/.test(url);
  const runUrls = new Set(
    profile.nodes
      .filter((n) => n.callFrame.functionName === 'run' && /\.index\.js$/.test(n.callFrame.url))
      .filter((n) => {
        const up = parent.get(n.id);
        return up !== undefined && entryUrl(byId.get(up)!.callFrame.url);
      })
      .map((n) => n.callFrame.url),
  );
  const inRun = (id: number): boolean => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      if (f.functionName === 'run' && runUrls.has(f.url)) return true;
    }
    return false;
  };
  const kindOf = (id: number): Kind => {
    const f = byId.get(id)!.callFrame;
    if (f.functionName === '(idle)') return 'idle';
    if (f.functionName === '(garbage collector)') return 'gc';
    if (f.functionName === '(program)' || f.functionName === '(root)') return 'program';
    if (f.url.startsWith('node:') || f.url === '') return 'node';
    return runUrls.has(f.url) ? 'action' : 'libraries';
  };
  const zero = (): Record<Kind, number> => ({ libraries: 0, action: 0, node: 0, program: 0, gc: 0, idle: 0 });
  const out = { loading: zero(), running: zero() };
  let running = false;
  profile.samples.forEach((id, i) => {
    if (!running && inRun(id)) running = true;
    out[running ? 'running' : 'loading'][kindOf(id)] += (profile.timeDeltas[i] ?? 0) / 1000;
  });
  return out;
}

async function main(): Promise<void> {
  mkdirSync(ROOT, { recursive: true });
  await holdBenchLock(join(ROOT, '.lock'), progress);
  const s3 = await startS3Server();
  const proxy = await startBenchProxy(s3.endpoint, LATENCY);
  const codedeploy = await startFakeCodeDeployRevisions({ 'bench-app': ['bench-prod'] });
  const codedeployProxy = await startBenchProxy(codedeploy.url, LATENCY);
  const profiles = mkdtempSync(join(tmpdir(), 'push-profile-'));
  try {
    const workload = await prepareWorkload(ROOT, { jars: JARS, jarKiB: 300, sourceFiles: 60, directoryFiles: 0 }, progress);
    const world: ToolWorld = {
      workload,
      s3Url: proxy.url,
      codedeployUrl: codedeployProxy.url,
      codedeployCalls: () => codedeploy.calls.length,
      node: NODE,
      nodeArgs: PROFILE ? ['--cpu-prof', '--cpu-prof-dir', profiles] : [],
      onPushStdout: TIMELINE
        ? (text, ms) => {
            for (const line of text.split('\n'))
              if (line.trim()) progress(`    ${Math.round(ms).toString().padStart(6)} ms  ${line.slice(0, 140)}`);
          }
        : undefined,
    };
    const tool = pushTool(world);
    if (tool.missing) throw new Error(tool.missing);
    const bucket = `profile-${Date.now().toString(36)}`;
    await s3.createBucket(bucket);
    const rows: Record<
      string,
      { wall: number[]; first: number[]; cpu: number[]; s3: number[]; cd: number[]; split: ReturnType<typeof splitProfile>[] }
    > = {};
    const once = async (scenario: Scenario, tag: string) => {
      if (COMPILE_CACHE === 'cold') rmSync(join(runnerToolCache(world), 'ion-actions', 'compiled-code'), { recursive: true, force: true });
      await proxy.reset();
      const cd = codedeploy.calls.length;
      const r = await tool.run(scenario, bucket, tag);
      const stats = await proxy.stats();
      const row = (rows[scenario] ??= { wall: [], first: [], cpu: [], s3: [], cd: [], split: [] });
      row.wall.push(r.wallMs);
      row.first.push(r.firstOutputMs ?? Number.NaN);
      row.cpu.push(r.cpuMs ?? Number.NaN);
      row.s3.push(stats.requests);
      row.cd.push(codedeploy.calls.length - cd);
      if (PROFILE) {
        const file = readdirSync(profiles).find((f) => f.endsWith('.cpuprofile'));
        if (file) {
          row.split.push(splitProfile(JSON.parse(readFileSync(join(profiles, file), 'utf8')) as CpuProfile));
          if (KEEP) {
            mkdirSync(KEEP, { recursive: true });
            renameSync(join(profiles, file), join(KEEP, `${scenario}-${tag}.cpuprofile`));
          } else rmSync(join(profiles, file));
        }
      }
      progress(`  ${scenario.padEnd(15)} ${(r.wallMs / 1000).toFixed(2)} s  ${stats.requests} S3 requests  ${r.note}`);
    };
    await once('cold', 'cold');
    for (let i = 0; i < RUNS; i++) {
      await once('warm-same', `same-${i}`);
      const tag = `${Date.now().toString(36)}-${i}`;
      workload.commitSourceChange(tag);
      await once('warm-new-commit', tag);
    }
    const version = execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim();
    const lines = [
      `- push: ${join(DIST_DIR, 'push', 'index.js')} on Node ${version}; ${LATENCY} ms added to every S3 and CodeDeploy request; ${JARS} jars; compile cache ${COMPILE_CACHE}; medians of ${RUNS} (cold: 1); load average at the end ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
      '',
      '| scenario | wall ms (min) | first line ms (min) | CPU ms (min) | S3 requests | CodeDeploy calls |',
      '|---|---:|---:|---:|---:|---:|',
    ];
    const m = (xs: number[]) => Math.round(median(xs));
    // The fastest run is the one the machine's other work disturbed least: on a shared machine, compare those too.
    const both = (xs: number[]) => `${m(xs)} (${Math.round(Math.min(...xs))})`;
    for (const [scenario, r] of Object.entries(rows))
      lines.push(`| ${scenario} | ${both(r.wall)} | ${both(r.first)} | ${both(r.cpu)} | ${m(r.s3)} | ${m(r.cd)} |`);
    if (PROFILE) {
      lines.push(
        '',
        `CPU profile, ms: the median and the least busy run (min); busy = all but idle; loading = start to the first sample inside run(); ${KINDS.join(', ')}`,
        '',
      );
      lines.push(`| scenario | phase | run | busy | ${KINDS.join(' | ')} |`, `|---|---|---|---:|${KINDS.map(() => '---:').join('|')}|`);
      const busy = (s: Record<Kind, number>) => KINDS.reduce((n, k) => n + (k === 'idle' ? 0 : s[k]), 0);
      for (const [scenario, r] of Object.entries(rows))
        for (const phase of ['loading', 'running'] as const) {
          const per = KINDS.map((k) => m(r.split.map((s) => s[phase][k])));
          lines.push(`| ${scenario} | ${phase} | median | ${m(r.split.map((s) => busy(s[phase])))} | ${per.join(' | ')} |`);
          const least = [...r.split].sort((a, b) => busy(a[phase]) - busy(b[phase]))[0];
          if (least)
            lines.push(
              `| ${scenario} | ${phase} | min | ${Math.round(busy(least[phase]))} | ${KINDS.map((k) => Math.round(least[phase][k])).join(' | ')} |`,
            );
        }
    }
    console.log(lines.join('\n'));
  } finally {
    rmSync(profiles, { recursive: true, force: true });
    await codedeployProxy.close();
    await proxy.close();
    await codedeploy.close();
    await s3.close();
  }
}

await main();
