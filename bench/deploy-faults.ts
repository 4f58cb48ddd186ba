/**
 * npm run bench:deploy-faults (tsx bench/deploy-faults.ts) — the soak behind test/integration/deploy-faults.test.ts:
 * every network fault of test/support/aws-fault-proxy.ts (CI tries one of each kind), DEPLOY_FAULT_RUNS times
 * each (default 5), against the built deploy (ION_ACTIONS_DIST or dist/). Each run: a 3-instance rolling
 * deploy; when the first instance's BeforeInstall ends, the fault hits Step Functions and CodeDeploy at once
 * for two failed polls. Prints the table of docs/guarantees.md (fault, runs, final status right, events lost
 * or doubled against a fault-free run); asserts nothing, exits 1 if any run went wrong.
 */
import { performance } from 'node:perf_hooks';
import { NETWORK_FAULTS } from '../test/support/aws-fault-proxy.js';
import { changeLines, deployWithFaults } from '../test/support/deploy-faults.js';
import { startDeployWorld } from '../test/support/deploy-scenarios.js';
import { QUIET_SDK_NODE_WARNING } from '../local-cloud/run-action.js';

const RUNS = Number(process.env.DEPLOY_FAULT_RUNS ?? 5);
// GitHub runs the action on node24; on an older local Node the SDK's end-of-support warning (printed when
// this process makes its first client) only buries the table.
Object.assign(process.env, QUIET_SDK_NODE_WARNING);

/** How many lines of `a` are not matched one for one in `b` (a multiset difference). */
function unmatched(a: string[], b: string[]): number {
  const left = [...b];
  let n = 0;
  for (const line of a) {
    const i = left.indexOf(line);
    if (i < 0) n += 1;
    else left.splice(i, 1);
  }
  return n;
}

const world = await startDeployWorld({ scale: 50 });
const rows = ['| fault (both services at once, mid-deploy) | runs | final status right | events lost or doubled |', '|---|---|---|---|'];
let wrong = 0;
try {
  world.scenario = { instances: 3, batchSize: 1 };
  const reference = await deployWithFaults(world, undefined, 0);
  if (reference.exitCode !== 0) throw new Error(`the fault-free reference deploy failed:\n${reference.stdout}`);
  const baseline = changeLines(reference.stdout);

  for (const fault of NETWORK_FAULTS) {
    const t0 = performance.now();
    let statusRight = 0;
    let eventsWrong = 0;
    for (let run = 1; run <= RUNS; run++) {
      world.reset();
      world.scenario = { instances: 3, batchSize: 1 };
      const r = await deployWithFaults(world, fault, 2);
      if (r.exitCode === 0 && r.outputs.status === 'SUCCEEDED') statusRight += 1;
      const lines = changeLines(r.stdout);
      // Lost (in the reference, not here) plus doubled or made up (here, not in the reference).
      const off = unmatched(baseline, lines) + unmatched(lines, baseline);
      eventsWrong += off;
      if (off > 0 || r.exitCode !== 0) console.error(`${fault} run ${run}: exit ${r.exitCode}, ${off} lines off\n${r.stdout}`);
    }
    wrong += RUNS - statusRight + eventsWrong;
    rows.push(`| ${fault} | ${RUNS} | ${statusRight} | ${eventsWrong} |`);
    console.error(`${fault}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
} finally {
  await world.close();
}
console.log(rows.join('\n'));
process.exit(wrong > 0 ? 1 : 0);
