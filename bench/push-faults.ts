/**
 * npm run bench:push-faults (tsx bench/push-faults.ts) — the soak behind test/integration/push-faults.test.ts:
 * every fault scenario of test/support/push-faults.ts with many seeds (PUSH_FAULTS_RUNS, default 20),
 * against the built push (ION_ACTIONS_DIST or dist/), then a probe of an upload that stalls forever.
 * Prints the table of docs/guarantees.md (fault, runs, lost); asserts nothing, exits 1 if anything was lost.
 */
import { performance } from 'node:perf_hooks';
import { SCENARIOS, seeded, startFaultWorld } from '../test/support/push-faults.js';

const RUNS = Number(process.env.PUSH_FAULTS_RUNS ?? 20);
const STALL_LIMIT_MS = Number(process.env.PUSH_FAULTS_STALL_LIMIT_MS ?? 120_000);

const world = await startFaultWorld();
const rows: string[] = [
  '| fault | scenario runs | push runs | requests broken | not succeeded at once | wrong status | lost |',
  '|---|---|---|---|---|---|---|',
];
let lostTotal = 0;
try {
  for (const [index, scenario] of SCENARIOS.entries()) {
    const t0 = performance.now();
    const total = { runs: 0, faults: 0, notSucceeded: 0, problems: [] as string[], lost: [] as string[] };
    for (let seed = 1; seed <= RUNS; seed++) {
      const o = await scenario.run(world, seeded(100_000 + 1000 * index + seed));
      total.runs += o.runs;
      total.faults += o.faults;
      total.notSucceeded += o.notSucceeded;
      total.problems.push(...o.problems.map((p) => `seed ${seed}: ${p}`));
      total.lost.push(...o.lost.map((p) => `seed ${seed}: ${p}`));
    }
    lostTotal += total.lost.length;
    rows.push(
      `| ${scenario.name} | ${RUNS} | ${total.runs} | ${total.faults} | ${total.notSucceeded} | ${total.problems.length} | ${total.lost.length} |`,
    );
    console.error(`${scenario.name}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    for (const p of [...total.problems, ...total.lost]) console.error(`  ${p}`);
  }

  // An upload that stalls and never ends (a black-holed connection): does push give up by itself?
  world.change(seeded(7));
  const t0 = performance.now();
  let stalled = false;
  const probe = await world.push({
    fault: (method, _path, headers) => {
      if (method !== 'PUT' || stalled || Number(headers['content-length'] ?? 0) < 10_000) return undefined;
      stalled = true;
      return { kind: 'stall', afterBytes: 1000 };
    },
    limitMs: STALL_LIMIT_MS,
  });
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  const verdict =
    probe.signal === 'SIGKILL'
      ? `still running after ${seconds} s (killed by the bench)`
      : `ended by itself in ${seconds} s, exit ${probe.exitCode}`;
  rows.push(`| upload stalled forever (probe) | 1 | 1 | 1 | ${probe.exitCode === 0 ? 0 : 1} | – | ${(await world.lost()).length} |`);
  console.error(`stall forever: ${verdict}`);
} finally {
  await world.close();
}
console.log(rows.join('\n'));
process.exit(lostTotal > 0 ? 1 : 0);
