import type { Clock } from './clock.js';
import type { Emit } from './deploy-events.js';
import { revOfBundleKey } from '../layout.js';
import { DeploymentTracker, type TrackerOptions } from './deployment-tracker.js';
import { FollowSchedule } from './follow-schedule.js';
import type { PollPacer } from './poll-pacer.js';
import type { CodeDeployPort, DeploymentSnapshot, DeploymentStatus, PollErrorClassifier } from './ports.js';

/**
 * CodeDeploy's automatic rollback, followed: when the deployment the execution ran failed and the group
 * rolls back (AutoRollbackConfiguration), CodeDeploy starts a new deployment of the last successful
 * revision and names it in the failed one's `rollbackInfo`. This follows that deployment to its end with
 * the same tracker (instance lines, hook failures), so the log can say which revision the group runs now.
 */

/**
 * How long to wait for `rollbackInfo.rollbackDeploymentId` after the execution failed. CodeDeploy marks
 * the deployment Failed first and creates the rollback a moment later, asynchronously; the state machine
 * notices the failure only on its next poll (up to ~10 s later), so the rollback is usually named by the
 * time the execution ends. 30 s covers a slow start without making every failed deploy of a group with
 * auto rollback but nothing to roll back to (its first deployment) wait long.
 */
export const ROLLBACK_APPEARS_WITHIN_MS = 30_000;
/** GetDeployment of the failed deployment this often while waiting: at most ~10 calls. */
export const ROLLBACK_CHECK_EVERY_MS = 3_000;

export interface RevisionLocation {
  bucket: string;
  key: string;
  eTag?: string;
}

export type RollbackUnfinishedReason = 'deadline' | 'unreachable' | 'credentials-expired' | 'fatal';

/** What the deploy reports about a rollback, in order. */
export type RollbackEvent =
  /** The failed deployment does not name its rollback yet: waiting a bounded time. */
  | { kind: 'rollback-awaited'; failedDeploymentId: string; withinMs: number; at: Date }
  /** No rollback: off for this deployment, or CodeDeploy started none (its message says why, when it gave one). */
  | { kind: 'rollback-none'; failedDeploymentId: string; why: 'auto-rollback-off' | 'not-started'; message?: string; waitedMs?: number }
  | {
      kind: 'rollback-started';
      failedDeploymentId: string;
      rollbackDeploymentId: string;
      group?: string;
      message?: string;
      at: Date;
    }
  /** The rollback deployment ended: the group runs `rev` again when it succeeded. */
  | {
      kind: 'rollback-finished';
      rollbackDeploymentId: string;
      status: DeploymentStatus;
      group?: string;
      revision?: RevisionLocation;
      rev?: string;
      at: Date;
    }
  /** Following the rollback stopped before it ended; it goes on in CodeDeploy. */
  | { kind: 'rollback-unfinished'; rollbackDeploymentId: string; reason: RollbackUnfinishedReason; error?: string };

/** What became of the rollback, for the outputs and the job summary. */
export type RollbackOutcome =
  | { kind: 'none'; failedDeploymentId: string; why: 'auto-rollback-off' | 'not-started'; message?: string }
  | {
      kind: 'ended' | 'unfinished';
      failedDeploymentId: string;
      rollbackDeploymentId: string;
      tracker: DeploymentTracker;
      group?: string;
      /** The revision the rollback deploys (the group's last successful one), once read. */
      revision?: RevisionLocation;
      rev?: string;
      /** ended: the rollback deployment's final status. */
      status?: DeploymentStatus;
      /** unfinished: why following stopped. */
      reason?: RollbackUnfinishedReason;
      error?: string;
    };

/** The group is back on its last good revision: CodeDeploy's rollback deployment succeeded. */
export const rolledBack = (o: RollbackOutcome | undefined): boolean => o?.kind === 'ended' && o.status === 'Succeeded';

/** The rollback deployment's id, when CodeDeploy started one. */
export const rollbackDeploymentId = (o: RollbackOutcome | undefined): string | undefined =>
  o && o.kind !== 'none' ? o.rollbackDeploymentId : undefined;

export interface FollowRollbackOptions {
  codedeploy: CodeDeployPort;
  clock: Clock;
  pacer: PollPacer;
  emit: Emit;
  classifyError: PollErrorClassifier;
  /** Clock time at which to stop following (the deploy's timeout). */
  deadline?: number;
  tracker?: Partial<TrackerOptions>;
}

/** The deployment whose failure may have triggered a rollback: the last one the execution ran, if it ended Failed or Stopped. */
export function failedDeployment(trackers: readonly DeploymentTracker[]): DeploymentTracker | undefined {
  const last = trackers[trackers.length - 1];
  const status = last?.snapshot?.status;
  return status === 'Failed' || status === 'Stopped' ? last : undefined;
}

/**
 * Waits (bounded) for CodeDeploy to name the rollback of `failed`, then follows it to its end, the
 * deadline, or until AWS stops answering. Never throws for AWS errors: the deploy has failed already,
 * and the rollback is reported as far as it could be followed.
 */
export async function followRollback(failed: DeploymentTracker, o: FollowRollbackOptions): Promise<RollbackOutcome> {
  const failedDeploymentId = failed.deploymentId;
  const found = await awaitRollback(failedDeploymentId, failed.snapshot, o);
  if (found.kind === 'none') {
    o.emit({ kind: 'rollback-none', failedDeploymentId, why: found.why, message: found.message, waitedMs: found.waitedMs });
    return { kind: 'none', failedDeploymentId, why: found.why, message: found.message };
  }
  const { rollbackDeploymentId, snapshot } = found;
  const group = snapshot.deploymentGroupName;
  const tracker = new DeploymentTracker(rollbackDeploymentId, o.codedeploy, o.clock, o.tracker);
  // The heading goes out with the tracker's first answer, stamped when CodeDeploy created the rollback:
  // its first instance lines may be older than this moment, and they come after the heading.
  let announced = false;
  const announce = () => {
    if (announced) return;
    announced = true;
    o.emit({
      kind: 'rollback-started',
      failedDeploymentId,
      rollbackDeploymentId,
      group,
      message: snapshot.rollbackInfo?.rollbackMessage,
      at: tracker.snapshot?.createTime ?? new Date(o.clock.now()),
    });
  };
  const base = { failedDeploymentId, rollbackDeploymentId, tracker, group };
  const where = () => {
    const revision = tracker.snapshot?.revision;
    return revision ? { revision, rev: revOfBundleKey(revision.key) } : {};
  };
  const end = await followToEnd(tracker, {
    ...o,
    emit: (e) => {
      announce();
      o.emit(e);
    },
  });
  announce();
  if (end.kind === 'ended') {
    const status = tracker.snapshot!.status;
    o.emit({
      kind: 'rollback-finished',
      rollbackDeploymentId,
      status,
      group,
      ...where(),
      at: tracker.snapshot!.completeTime ?? new Date(o.clock.now()),
    });
    return { kind: 'ended', ...base, ...where(), status };
  }
  o.emit({ kind: 'rollback-unfinished', rollbackDeploymentId, reason: end.reason, error: end.error });
  return { kind: 'unfinished', ...base, ...where(), reason: end.reason, error: end.error };
}

type RollbackLookup =
  | { kind: 'found'; rollbackDeploymentId: string; snapshot: DeploymentSnapshot }
  | { kind: 'none'; why: 'auto-rollback-off' | 'not-started'; message?: string; waitedMs?: number };

/**
 * Reads the failed deployment's rollbackInfo until it names a rollback or says there is none, for at
 * most ROLLBACK_APPEARS_WITHIN_MS (and never past the deadline). The snapshot the tracker last read may
 * be seconds old (the execution ends only when the state machine notices), so it is read once more at once.
 */
async function awaitRollback(
  deploymentId: string,
  last: DeploymentSnapshot | undefined,
  o: FollowRollbackOptions,
): Promise<RollbackLookup> {
  const { clock } = o;
  const started = clock.now();
  const until = Math.min(started + ROLLBACK_APPEARS_WITHIN_MS, o.deadline ?? Number.POSITIVE_INFINITY);
  let snapshot = last;
  const read = async (): Promise<boolean> => {
    try {
      snapshot = await o.codedeploy.getDeployment(deploymentId);
      return true;
    } catch (err) {
      // Throttling and the like: the wait is bounded, the next round tries again. Anything else ends it.
      const { kind } = o.classifyError(err);
      return kind === 'throttled' || kind === 'transient';
    }
  };
  const settled = () => (snapshot ? decide(snapshot) : undefined);
  const none = (): RollbackLookup => ({
    kind: 'none',
    why: 'not-started',
    message: snapshot?.rollbackInfo?.rollbackMessage,
    waitedMs: clock.now() - started,
  });

  let decided = settled();
  if (decided) return decided;
  if (!(await read())) return none();
  decided = settled();
  if (decided) return decided;
  o.emit({
    kind: 'rollback-awaited',
    failedDeploymentId: deploymentId,
    withinMs: Math.max(0, until - clock.now()),
    at: new Date(clock.now()),
  });
  while (clock.now() < until) {
    await clock.sleep(Math.min(ROLLBACK_CHECK_EVERY_MS, until - clock.now()));
    if (!(await read())) break;
    decided = settled();
    if (decided) return decided;
  }
  return none();
}

/** What a snapshot of the failed deployment already settles. */
function decide(snapshot: DeploymentSnapshot): RollbackLookup | undefined {
  const info = snapshot.rollbackInfo;
  if (info?.rollbackDeploymentId) return { kind: 'found', rollbackDeploymentId: info.rollbackDeploymentId, snapshot };
  // A message without a rollback id: CodeDeploy says why it started none (e.g. nothing to roll back to).
  if (info?.rollbackMessage) return { kind: 'none', why: 'not-started', message: info.rollbackMessage };
  // GetDeployment carries the deployment's autoRollbackConfiguration; without one, nothing rolls it back.
  if (!expectsRollback(snapshot.status, snapshot.autoRollback ?? { enabled: false, events: [] }))
    return { kind: 'none', why: 'auto-rollback-off' };
  return undefined;
}

/**
 * Whether the deployment's settings call for a rollback after it ended so. A stop asks for one itself
 * (StopDeployment's autoRollbackEnabled, which the deploy action sets), so a Stopped deployment may roll
 * back whatever its settings: wait for it.
 */
function expectsRollback(status: DeploymentStatus, config: { enabled: boolean; events: string[] }): boolean {
  if (status === 'Stopped') return true;
  return config.enabled && config.events.includes('DEPLOYMENT_FAILURE');
}

/** Polls the rollback's tracker to its end, paced like the main follow loop. */
async function followToEnd(
  tracker: DeploymentTracker,
  o: FollowRollbackOptions,
): Promise<{ kind: 'ended' } | { kind: 'stopped'; reason: RollbackUnfinishedReason; error?: string }> {
  const { clock, pacer, deadline } = o;
  const schedule = new FollowSchedule(clock);
  pacer.startPolling();
  for (;;) {
    try {
      const changes = await tracker.poll();
      const failedBefore = schedule.pollAnswered();
      if (failedBefore > 0) o.emit({ kind: 'recovered', streak: failedBefore });
      for (const change of changes) o.emit(change);
      if (changes.length) schedule.news();
      pacer.polled(changes.length > 0);
    } catch (err) {
      const failure = o.classifyError(err);
      if (failure.kind === 'fatal' || failure.kind === 'credentials-expired')
        return { kind: 'stopped', reason: failure.kind, error: failure.description };
      const { inARow, failingForMs, giveUp } = schedule.pollFailed();
      if (giveUp)
        return { kind: 'stopped', reason: 'unreachable', error: `${failure.description} (for ${Math.round(failingForMs / 1000)}s)` };
      o.emit({
        kind: 'transient-error',
        error: failure.description,
        throttled: failure.kind === 'throttled',
        retryInMs: pacer.throttledPoll(),
        streak: inARow,
      });
    }
    if (tracker.fullyReported) return { kind: 'ended' };
    if (deadline !== undefined && clock.now() >= deadline) return { kind: 'stopped', reason: 'deadline' };
    const quietMs = schedule.quietTooLongMs;
    if (quietMs !== undefined) {
      o.emit({ kind: 'heartbeat', at: new Date(clock.now()), quietMs });
      schedule.news();
    }
    const delay = pacer.nextDelayMs;
    await clock.sleep(deadline === undefined ? delay : Math.min(delay, Math.max(0, deadline - clock.now())));
  }
}
