/**
 * npm run bench:deploy — the deploy action following a scripted 50-instance rolling deploy.
 *
 * The built action (dist/deploy/index.js) runs as the runner runs it, against the local Step Functions
 * and CodeDeploy servers of the tests and a real S3 (s3rver). Time is scripted: the servers and the
 * action share a clock running SCALE× real time, so a ~17-minute deploy replays in about a minute. All
 * times below are scripted time (what a real deploy would see); CPU time is real.
 *
 * Prints: API calls per minute by operation (whole follow, and steady state), the delay between a
 * change on the server and its line in the log (median, p90, worst), and the action's CPU time.
 * Targets (issue 3): median delay < 3 s; < 60 calls/min in steady state. Asserts nothing.
 *
 *   npm run bench:deploy [-- --instances 50 --batch 2 --scale 20]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDeployWorld } from '../test/support/deploy-scenarios.js';
import { DIST_DIR, QUIET_SDK_NODE_WARNING, actionNodeArgs, parseOutputFile } from '../local-cloud/run-action.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const INSTANCES = arg('instances', 50);
const BATCH = arg('batch', 2);
const SCALE = arg('scale', 20);
// This process talks to the local servers through the SDK too (see QUIET_SDK_NODE_WARNING).
Object.assign(process.env, QUIET_SDK_NODE_WARNING);

// Reports the action's own CPU time when it exits (user + system, microseconds).
const CPU_PROBE = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('BENCH_CPU '+u.user+' '+u.system+'\\n')})`;

async function main(): Promise<void> {
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
    const child = spawn(process.execPath, [...actionNodeArgs(env), '--import', CPU_PROBE, join(DIST_DIR, 'deploy', 'index.js')], {
      env,
    });
    child.stdout.on('data', (chunk: Buffer) => {
      const at = world.clock.now();
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
    console.log(`| **total** | **${whole.rate().toFixed(1)}** | **${steady.rate().toFixed(1)}** (busiest minute: ${busiest}) |`);
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
    console.log(`| lifecycle events finished but never printed | ${missingTerminal} |`);
    console.log('');
    console.log('Targets: median delay < 3 s; < 60 calls/min in steady state.');
  } finally {
    await world.close();
  }
}

/** The most calls in any 60-second window. */
function busiestMinute(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! > 60_000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
