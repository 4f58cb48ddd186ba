/**
 * Deploy under network faults, shared by test/integration/deploy-faults.test.ts (one fault of each kind,
 * once) and bench/deploy-faults.ts (every fault, many runs): the built deploy action follows a scripted
 * rolling deploy through test/support/aws-fault-proxy.ts, which starts answering with a fault mid-deploy.
 */
import { runAction, type ActionResult } from '../../local-cloud/run-action.js';
import type { NetworkFault } from './aws-fault-proxy.js';
import { streamLines, type DeployWorld } from './deploy-scenarios.js';

/**
 * One fault of each kind the SDK and the action handle differently, the ones CI tries: a `200` the SDK
 * cannot parse (never retried by the SDK), a connection broken before answering, a 5xx, throttling. Their
 * siblings (HTML `200`, a plain reset, 500) take the same paths; bench/deploy-faults.ts tries all seven.
 */
export const FAULT_KINDS: readonly NetworkFault[] = ['truncated', 'stall-reset', 'status-503', 'throttle'];

/**
 * What a user must see exactly once: states, each lifecycle event's result, each instance's result, the
 * deployment's end, the execution's end (deployment ids normalised). Not a hook's start (`▶`): a short
 * hook can start and end between two polls, with or without faults, so whether its start is seen depends
 * on timing.
 */
export const changeLines = (stdout: string): string[] =>
  streamLines(stdout)
    .filter(
      (l) =>
        /^[▶✔⚠] /.test(l) ||
        (/^ {2}i-/.test(l) && !/^ {2}i-\S+ ▶ /.test(l)) ||
        /^ {2}CodeDeploy deployment /.test(l) ||
        /^ {2}d-\w+ (Succeeded|Failed|Stopped):/.test(l) ||
        /^Execution /.test(l),
    )
    .map((l) => l.replace(/d-[0-9A-F]{9}/g, 'd-ID'))
    .sort();

/**
 * Runs the deploy action; `fault` is injected when the first instance's BeforeInstall ends (mid-deploy,
 * while both services are polled), on both services at once, for enough requests to make `polls` polls fail.
 */
export async function deployWithFaults(world: DeployWorld, fault: NetworkFault | undefined, polls: number): Promise<ActionResult> {
  // The SDK retries all but unparseable 200s 3 times itself: so many requests make one poll fail.
  const requests = fault === 'truncated' || fault === 'html' ? polls : polls * 3;
  let injected = false;
  let seen = '';
  return runAction('deploy', world.inputs(), {
    env: world.env(),
    onStdout: (chunk) => {
      seen += chunk;
      // A hook's end is always printed (its start may fall between two polls).
      if (!fault || injected || !seen.includes('✔ BeforeInstall')) return;
      injected = true;
      world.faults.sfn.inject({ fault, count: requests, operation: 'GetExecutionHistory' });
      world.faults.codedeploy.inject({ fault, count: requests });
    },
  });
}
