/**
 * npm run bench:deploy — the deploy action following a scripted 50-instance rolling deploy.
 *
 * The built action (dist/deploy/index.js) runs as the runner runs it, against the local Step Functions
 * and CodeDeploy servers of the tests and a real S3 (s3rver). Time is scripted: the servers and the
 * action share a clock running SCALE× real time, so a ~17-minute deploy replays in about a minute. All
 * times below are scripted time (what a real deploy would see); CPU time is real.
 *
 * Prints: API calls per minute by operation (whole follow, and steady state), the most calls in any
 * 60-second window, the delay between a change on the server and its line in the log (median, p90,
 * worst), the action's CPU time, and the real time from process start to its first log line next to
 * `node -e 0` measured in the same run (node's own start is not the action's). With --runs N, one
 * line per run and the median of the runs (runs vary: the machine is shared, the clock is scaled).
 * Targets (issue 9): median delay < 1 s and p90 < 2.5 s for both kinds of line, at most 45 calls in
 * any minute, the first line within 150 ms beyond node's start. Asserts nothing.
 *
 *   npm run bench:deploy [-- --instances 50 --batch 2 --scale 20 --runs 3 --details]
 *
 * --details also prints each state line's delay and every API call of the first minute (the pre-flight
 * included): where a slow line's time went.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startDeployWorld } from '../test/support/deploy-scenarios.js';
import { DIST_DIR, QUIET_SDK_NODE_WARNING, actionNodeArgs, parseOutputFile } from '../local-cloud/run-action.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const INSTANCES = arg('instances', 50);
const BATCH = arg('batch', 2);
const SCALE = arg('scale', 20);
const RUNS = arg('runs', 1);
/** --details: each state line's delay, and every API call of the first minute (where the delay comes from). */
const DETAILS = process.argv.includes('--details');
// This process talks to the local servers through the SDK too (see QUIET_SDK_NODE_WARNING).
Object.assign(process.env, QUIET_SDK_NODE_WARNING);

// Reports the action's own CPU time when it exits (user + system, microseconds).
const CPU_PROBE = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('BENCH_CPU '+u.user+' '+u.system+'\\n')})`;

/** One run's figures, for the summary of several. */
interface RunFigures {
  steadyPerMinute: number;
  busiestMinute: number;
  instance: { median: number; p90: number; worst: number };
  state: { median: number; p90: number; worst: number };
  firstLineMs: number;
  nodeMs: number;
}

async function main(): Promise<void> {
  const runs: RunFigures[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await runOnce());
  if (RUNS < 2) return;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log('');
  console.log(
    '| run | calls/min (steady) | busiest minute | instance median | p90 | worst | state median | p90 | worst | first line (node -e 0) |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const row = (name: string, f: RunFigures) =>
    console.log(
      `| ${name} | ${f.steadyPerMinute.toFixed(1)} | ${f.busiestMinute} | ${s(f.instance.median)} | ${s(f.instance.p90)} | ${s(f.instance.worst)} | ${s(f.state.median)} | ${s(f.state.p90)} | ${s(f.state.worst)} | ${f.firstLineMs.toFixed(0)} ms (${f.nodeMs.toFixed(0)} ms) |`,
    );
  for (const [i, f] of runs.entries()) row(String(i + 1), f);
  const m = (pick: (f: RunFigures) => number) => median(runs.map(pick));
  row('median', {
    steadyPerMinute: m((f) => f.steadyPerMinute),
    busiestMinute: m((f) => f.busiestMinute),
    instance: { median: m((f) => f.instance.median), p90: m((f) => f.instance.p90), worst: m((f) => f.instance.worst) },
    state: { median: m((f) => f.state.median), p90: m((f) => f.state.p90), worst: m((f) => f.state.worst) },
    firstLineMs: m((f) => f.firstLineMs),
    nodeMs: m((f) => f.nodeMs),
  });
}

/** Real milliseconds for `node <args> -e 0` (node's own start, with the action's preloads). */
function nodeAlone(args: string[], env: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...args, '-e', '0'], { env, stdio: 'ignore' });
  return new Promise((resolve) => child.on('close', () => resolve(performance.now() - t0)));
}

async function runOnce(): Promise<RunFigures> {
  const world = await startDeployWorld({ scale: SCALE, scenario: { instances: INSTANCES, batchSize: BATCH } });
  const scripted = (realMs: number) => world.epoch + (realMs - world.epoch) * SCALE;
  try {
    const dir = mkdtempSync(join(tmpdir(), 'bench-deploy-'));
    const outputFile = join(dir, 'output');
    writeFileSync(outputFile, '');
    writeFileSync(join(dir, 'summary'), '');
    const env: Record<string, string> = { ...QUIET_SDK_NODE_WARNING };
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && !k.startsWith('GITHUB_') && !k.startsWith('INPUT_') && k !== 'NODE_OPTIONS') env[k] = v;
    Object.assign(env, world.env(), { GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: join(dir, 'summary'), GITHUB_ACTIONS: 'true' });
    for (const [k, v] of Object.entries(world.inputs({ 'timeout-minutes': '60' }))) env[`INPUT_${k.toUpperCase()}`] = v;

    console.log(`Replaying a ${INSTANCES}-instance rolling deploy (${BATCH} at a time) at ${SCALE}× real time…`);
    const lines: { text: string; at: number }[] = [];
    let partial = '';
    let stderr = '';
    const realStart = Date.now();
    const nodeArgs = [...actionNodeArgs(env), '--import', CPU_PROBE];
    const nodeMs = await nodeAlone(nodeArgs, env);
    const t0 = performance.now();
    let firstLineMs = Number.NaN;
    const child = spawn(process.execPath, [...nodeArgs, join(DIST_DIR, 'deploy', 'index.js')], {
      env,
    });
    child.stdout.on('data', (chunk: Buffer) => {
      const at = world.clock.now();
      if (Number.isNaN(firstLineMs) && chunk.includes(10)) firstLineMs = performance.now() - t0;
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop()!;
      for (const text of parts) lines.push({ text, at });
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
    const realMs = Date.now() - realStart;
    const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'));
    const cpu = /BENCH_CPU (\d+) (\d+)/.exec(stderr);
    if (exitCode !== 0) {
      console.log(lines.map((l) => l.text).join('\n'));
      console.log(stderr);
      throw new Error(`the action exited with ${exitCode}`);
    }

    // What changed on the server, and when (scripted time).
    const execution = world.sfn.executions.get(outputs['execution-arn']!)!;
    const deployment = world.codedeploy.deployments.get(outputs['deployment-id']!)!;
    const changes: { key: string; at: number; kind: 'instance' | 'state' }[] = [];
    for (const t of deployment.targets) {
      for (const e of t.events) {
        if (e.status === 'Skipped') continue;
        changes.push({ key: `  ${t.targetId} ▶ ${e.name}`, at: e.startMs, kind: 'instance' });
        changes.push({ key: `  ${t.targetId} ✔ ${e.name}`, at: e.endMs, kind: 'instance' });
      }
    }
    const visits = new Map<string, number>();
    for (const e of execution.events) {
      const name = (e.details?.name as string | undefined) ?? '';
      if (e.type.endsWith('StateEntered')) {
        const n = (visits.get(name) ?? 0) + 1;
        visits.set(name, n);
        changes.push({ key: `▶ ${name}#${n}`, at: execution.startMs + e.offsetMs, kind: 'state' });
      } else if (e.type.endsWith('StateExited')) {
        changes.push({ key: `✔ ${name}#${visits.get(name)}`, at: execution.startMs + e.offsetMs, kind: 'state' });
      }
    }

    // Match each log line to its change. Instance lines are unique; state lines are counted per visit.
    const seen = new Map<string, number>();
    const printedAt = new Map<string, number>();
    for (const { text, at } of lines) {
      const body = text.replace(/^\[[\d:]+\] /, '').replace(/ \(.*$/, '');
      if (/^ {2}i-/.test(body)) printedAt.set(body, at);
      else if (/^[▶✔] /.test(body)) {
        const n = (seen.get(body) ?? 0) + 1;
        seen.set(body, n);
        printedAt.set(`${body}#${n}`, at);
      }
    }
    const delays = (kind: 'instance' | 'state') =>
      changes
        .filter((c) => c.kind === kind && printedAt.has(c.key))
        .map((c) => printedAt.get(c.key)! - c.at)
        .sort((a, b) => a - b);
    const instanceDelays = delays('instance');
    const stateDelays = delays('state');
    const printedInstanceChanges = changes.filter((c) => c.kind === 'instance' && printedAt.has(c.key)).length;
    const missingTerminal = changes.filter((c) => c.kind === 'instance' && c.key.includes(' ✔ ') && !printedAt.has(c.key)).length;

    // API calls by operation, per scripted minute: over the whole follow, and in steady state (the
    // deployment's middle, one minute in from each end).
    const calls = [...world.sfn.calls, ...world.codedeploy.calls].map((c) => ({ operation: c.operation, at: scripted(c.at) }));
    const followStart = execution.startMs;
    const followEnd = Math.max(...calls.map((c) => c.at));
    const steadyStart = deployment.startMs + 60_000;
    const steadyEnd = deployment.endMs - 60_000;
    const perMinute = (from: number, to: number) => {
      const counts = new Map<string, number>();
      for (const c of calls) if (c.at >= from && c.at <= to) counts.set(c.operation, (counts.get(c.operation) ?? 0) + 1);
      const minutes = (to - from) / 60_000;
      return {
        counts,
        minutes,
        rate: (op?: string) => (op ? (counts.get(op) ?? 0) : [...counts.values()].reduce((a, b) => a + b, 0)) / minutes,
      };
    };
    const whole = perMinute(followStart, followEnd);
    const steady = perMinute(steadyStart, steadyEnd);
    const busiest = busiestMinute(calls.filter((c) => c.at >= steadyStart && c.at <= steadyEnd).map((c) => c.at));

    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    if (DETAILS) {
      const since = (at: number) => `${at >= followStart ? '+' : ''}${((at - followStart) / 1000).toFixed(2)} s`;
      console.log('');
      console.log('State lines (change → printed, delay):');
      for (const c of changes.filter((c) => c.kind === 'state' && printedAt.has(c.key)))
        console.log(`  ${c.key.padEnd(36)} ${since(c.at)} → ${since(printedAt.get(c.key)!)}  ${s(printedAt.get(c.key)! - c.at)}`);
      console.log('API calls of the first minute (scripted time since the execution started):');
      const early = [...calls].sort((a, b) => a.at - b.at).filter((c) => c.at < followStart + 60_000);
      console.log(`  ${early.map((c) => `${since(c.at)} ${c.operation}`).join('\n  ')}`);
    }
    const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;
    console.log('');
    console.log(
      `Deploy: ${INSTANCES} instances, ${BATCH} at a time, ${((deployment.endMs - deployment.startMs) / 60_000).toFixed(1)} min of CodeDeploy, ${((followEnd - followStart) / 60_000).toFixed(1)} min followed (scripted); ${(realMs / 1000).toFixed(1)} s real`,
    );
    console.log('');
    console.log('| API calls per minute | whole follow | steady state |');
    console.log('|---|---:|---:|');
    const ops = [...new Set([...whole.counts.keys()])].sort();
    for (const op of ops) console.log(`| ${op} | ${whole.rate(op).toFixed(1)} | ${steady.rate(op).toFixed(1)} |`);
    const busiestWhole = busiestMinute(calls.map((c) => c.at));
    console.log(
      `| **total** | **${whole.rate().toFixed(1)}** (busiest minute: ${busiestWhole}) | **${steady.rate().toFixed(1)}** (busiest minute: ${busiest}) |`,
    );
    console.log('');
    console.log('| Delay, server change → log line | median | p90 | worst | lines |');
    console.log('|---|---:|---:|---:|---:|');
    console.log(
      `| instance lifecycle events | ${s(pct(instanceDelays, 0.5))} | ${s(pct(instanceDelays, 0.9))} | ${s(instanceDelays.at(-1) ?? NaN)} | ${printedInstanceChanges} |`,
    );
    console.log(
      `| state transitions (shown visits) | ${s(pct(stateDelays, 0.5))} | ${s(pct(stateDelays, 0.9))} | ${s(stateDelays.at(-1) ?? NaN)} | ${stateDelays.length} |`,
    );
    console.log('');
    console.log(`| Action | |`);
    console.log('|---|---:|');
    if (cpu) console.log(`| CPU time (user + system) | ${((Number(cpu[1]) + Number(cpu[2])) / 1e6).toFixed(2)} s |`);
    console.log(`| log lines | ${lines.length} |`);
    console.log(`| process start → first log line (real) | ${firstLineMs.toFixed(0)} ms (\`node -e 0\`: ${nodeMs.toFixed(0)} ms) |`);
    console.log(`| lifecycle events finished but never printed | ${missingTerminal} |`);
    console.log('');
    console.log(
      'Targets: median delay < 1 s and p90 < 2.5 s for both; at most 45 calls in any minute; first line within 150 ms beyond node.',
    );
    return {
      steadyPerMinute: steady.rate(),
      busiestMinute: busiestWhole,
      instance: { median: pct(instanceDelays, 0.5), p90: pct(instanceDelays, 0.9), worst: instanceDelays.at(-1) ?? Number.NaN },
      state: { median: pct(stateDelays, 0.5), p90: pct(stateDelays, 0.9), worst: stateDelays.at(-1) ?? Number.NaN },
      firstLineMs,
      nodeMs,
    };
  } finally {
    await world.close();
  }
}

/** The most calls in any 60-second window. */
function busiestMinute(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 60_000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
