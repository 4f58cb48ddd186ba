import type { Clock } from './clock.js';
import type { Emit } from './deploy-events.js';
import { readExecutionTarget } from './execution-input.js';
import type { PollPacer } from './poll-pacer.js';
import type { ExecutionSummary, PollErrorClassifier, StepFunctionsPort } from './ports.js';

export interface GroupQueueOptions {
  sfn: StepFunctionsPort;
  stateMachineArn: string;
  appName: string;
  group: string;
  clock: Clock;
  pacer: PollPacer;
  emit: Emit;
  classifyError: PollErrorClassifier;
  deadline?: number;
  heartbeatMs?: number;
}

/**
 * One deploy at a time per group: waits while another execution of the state machine deploys to the
 * same group (read from its input), instead of colliding with it in CodeDeploy. Returns false if the
 * deadline passed first.
 *
 * Two workflows checking at the same moment can both go ahead; a `concurrency:` group in the workflow
 * closes that gap (docs/deploy.md).
 */
export async function waitForGroup(o: GroupQueueOptions): Promise<boolean> {
  const heartbeatMs = o.heartbeatMs ?? 60_000;
  for (;;) {
    const blocking = await retryTransient(o, () => findBlocking(o));
    if (!blocking) return true;
    o.emit({ kind: 'group-busy', executionArn: blocking.executionArn, name: blocking.name, startDate: blocking.startDate, group: o.group });
    const since = o.clock.now();
    let saidAt = since;
    for (;;) {
      if (o.deadline !== undefined && o.clock.now() >= o.deadline) return false;
      await o.clock.sleep(Math.min(o.pacer.nextDelayMs, o.deadline === undefined ? Infinity : Math.max(0, o.deadline - o.clock.now())));
      const described = await retryTransient(o, () => o.sfn.describeExecution(blocking.executionArn));
      // Nothing changes while we wait on another deploy: let the interval stretch to its maximum.
      o.pacer.polled(false);
      if (described?.status !== 'RUNNING') {
        o.emit({
          kind: 'group-free',
          executionArn: blocking.executionArn,
          status: described?.status ?? 'ABORTED',
          waitedMs: o.clock.now() - since,
        });
        break;
      }
      if (o.clock.now() - saidAt >= heartbeatMs) {
        saidAt = o.clock.now();
        o.emit({ kind: 'group-still-busy', executionArn: blocking.executionArn, waitedMs: saidAt - since });
      }
    }
    o.pacer.polled(true);
  }
}

/** The oldest running execution deploying to our group, if any. */
async function findBlocking(o: GroupQueueOptions): Promise<ExecutionSummary | undefined> {
  const running = (await o.sfn.listRunningExecutions(o.stateMachineArn)).sort((a, b) => a.startDate.getTime() - b.startDate.getTime());
  for (const execution of running) {
    const described = await o.sfn.describeExecution(execution.executionArn);
    if (described?.status !== 'RUNNING') continue;
    const target = readExecutionTarget(described.input);
    if (target?.group === o.group && (target.appName === undefined || target.appName === o.appName)) return execution;
  }
  return undefined;
}

async function retryTransient<T>(o: GroupQueueOptions, call: () => Promise<T>): Promise<T> {
  for (let streak = 1; ; streak++) {
    try {
      return await call();
    } catch (err) {
      const failure = o.classifyError(err);
      const waitable = failure.kind === 'throttled' || failure.kind === 'transient';
      if (!waitable || (o.deadline !== undefined && o.clock.now() >= o.deadline)) throw err;
      const retryInMs = o.pacer.throttledPoll();
      o.emit({ kind: 'transient-error', error: failure.description, throttled: failure.kind === 'throttled', retryInMs, streak });
      await o.clock.sleep(retryInMs);
    }
  }
}
