/**
 * npm run bench:startup — how long each built action takes from process start to its first log line.
 *
 * Spawns dist/<action>/index.js as the runner does (inputs as INPUT_* variables) and times the first
 * line on stdout, then stops the process: push (a given classpath, with credentials), deploy (against
 * the local Step Functions, CodeDeploy and S3 of the tests) and the deploy post step. `node -e 0` runs
 * in the same rounds, since node's own start (110–150 ms on a 2-core runner, more when busy) is not the
 * action's: what counts is the time beyond it. Rounds interleave the programs so load hits all alike.
 * Asserts nothing.
 *
 *   npm run bench:startup [-- --runs 9]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DIST_DIR, QUIET_SDK_NODE_WARNING, REPO_ROOT } from '../local-cloud/run-action.js';
import { startDeployWorld } from '../test/support/deploy-scenarios.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('runs', 9);
// This process talks to the local servers through the SDK too (see QUIET_SDK_NODE_WARNING).
Object.assign(process.env, QUIET_SDK_NODE_WARNING);

interface Program {
  name: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

/** Milliseconds from spawn to the first complete line on stdout (the process is then stopped), and that line. */
function firstLine(p: Program): Promise<{ ms: number; line: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, p.args, { env: p.env, cwd: p.cwd ?? REPO_ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    let done = false;
    child.stdout.on('data', (c: Buffer) => {
      if (done) return;
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      done = true;
      const ms = performance.now() - t0;
      child.kill('SIGKILL');
      resolve({ ms, line: out.slice(0, nl) });
    });
    child.on('error', reject);
    child.on('close', () => {
      // `node -e 0` prints nothing: its time is its exit.
      if (!done) resolve({ ms: performance.now() - t0, line: '' });
    });
  });
}

async function main(): Promise<void> {
  const world = await startDeployWorld({ scale: 1 });
  try {
    const base: Record<string, string> = { ...QUIET_SDK_NODE_WARNING, PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
    const dir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
    const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'summary'), GITHUB_STATE: join(dir, 'state') };
    for (const f of Object.values(files)) writeFileSync(f, '');
    const runner = { ...base, ...files, GITHUB_ACTIONS: 'true', RUNNER_TEMP: dir };
    const inputs = (values: Record<string, string>) =>
      Object.fromEntries(Object.entries(values).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));
    const sample = join(REPO_ROOT, 'test', 'fixtures', 'sample-app');
    const programs: Program[] = [
      { name: 'node -e 0', args: ['-e', '0'], env: base },
      {
        name: 'push',
        args: [join(DIST_DIR, 'push', 'index.js')],
        env: {
          ...runner,
          ...world.env(),
          GITHUB_WORKSPACE: sample,
          ...inputs({ bucket: 'ion-code-test', classpath: 'src:resources', 'dry-run': 'true' }),
        },
        cwd: sample,
      },
      {
        name: 'deploy',
        args: [join(DIST_DIR, 'deploy', 'index.js')],
        env: { ...runner, ...world.env(), ...inputs(world.inputs()) },
      },
      {
        name: 'deploy post step',
        args: [join(DIST_DIR, 'deploy-cleanup', 'index.js')],
        env: { ...runner, ...world.env(), GITHUB_STATE: files.GITHUB_STATE },
      },
    ];
    // The deploy starts executions: none of them may make the next round wait for its group.
    const times = new Map<string, number[]>(programs.map((p) => [p.name, []]));
    const lines = new Map<string, string>();
    console.log(`${RUNS} rounds of ${programs.map((p) => p.name).join(', ')} (${DIST_DIR})…`);
    for (let round = 0; round < RUNS; round++) {
      for (const p of programs) {
        const { ms, line } = await firstLine(p);
        times.get(p.name)!.push(ms);
        lines.set(p.name, line);
        world.reset();
      }
    }
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const pct = (xs: number[], p: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
    const nodeMedian = pct(times.get('node -e 0')!, 0.5);
    console.log('');
    console.log('| process start → first log line | median | p90 | median beyond `node -e 0` | first line |');
    console.log('|---|---:|---:|---:|---|');
    for (const p of programs) {
      const xs = times.get(p.name)!;
      const beyond = p.name === 'node -e 0' ? '' : `${(pct(xs, 0.5) - nodeMedian).toFixed(0)} ms`;
      const line = (lines.get(p.name) ?? '').slice(0, 90).replace(/\|/g, '\\|');
      console.log(
        `| ${p.name} | ${pct(xs, 0.5).toFixed(0)} ms | ${pct(xs, 0.9).toFixed(0)} ms | ${beyond} | ${line ? `\`${line}\`` : ''} |`,
      );
    }
    console.log('');
    console.log('Target (issue 9): the first line within 150 ms beyond node’s own start.');
  } finally {
    await world.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
