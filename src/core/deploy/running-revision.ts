import type { Manifest } from '../manifest/schema.js';
import { UserError } from '../problems.js';
import { diffManifests, type RevisionDiff } from '../revision/revision-diff.js';
import { bundleKey } from '../layout.js';
import { describeError } from '../sdk-errors.js';
import type { Emit } from './deploy-events.js';
import { commitsToOrder, isSameBundle, type OrderVerdict, pickPrevious, verdictOf } from './deploy-order.js';
import type { AncestryPort, GroupRevisionRecord, GroupRevisionsPort, RunningRevision } from './ports.js';

/**
 * Before starting: what the group runs now decides whether there is anything to do (a re-run of a
 * deployed revision is SKIPPED unless `redeploy`), whether the request is older than what runs
 * (refused unless `allow-older`), and what the revision changes (the diff). `rev: previous` is
 * resolved here too.
 */

/** What the checks report; rendered by the deploy log (src/deploy/deploy-log.ts). Names in them are outside text. */
export type GroupCheckEvent =
  | {
      kind: 'previous-resolved';
      group: string;
      rev: string;
      deploymentId: string;
      completedAt?: Date;
      rollback: boolean;
      currentRev: string;
    }
  | { kind: 'group-running'; group: string; running: GroupRevisionRecord | null }
  | { kind: 'already-deployed'; group: string; rev: string; deploymentId: string; redeploy: boolean }
  | { kind: 'deploy-order'; group: string; rev: string; runningRev: string; order: OrderVerdict; allowOlder: boolean }
  | { kind: 'revision-diff'; runningRev: string; diff: RevisionDiff }
  | { kind: 'revision-diff-unavailable'; runningRev: string; why: string };

/** What the checks found, for the job summary and the outputs. */
export interface GroupCheck {
  /** What the group ran before this deploy (null: never deployed). */
  running: GroupRevisionRecord | null;
  /** The group already runs this revision and `redeploy` is off: nothing was started. */
  skipped: boolean;
  /** `rev: previous` resolved to this deployment's revision. */
  previous?: GroupRevisionRecord;
  order?: OrderVerdict;
  diff?: RevisionDiff;
  /** Why there is no diff (the running revision's manifest could not be read). */
  diffProblem?: string;
}

export interface GroupCheckPorts {
  groupRevisions: GroupRevisionsPort;
  /** Absent: the order of commits cannot be told (warned, never refused). */
  ancestry?: AncestryPort;
}

/** How many succeeded deployments `rev: previous` looks through (redeploys of the current revision are passed over). */
export const PREVIOUS_SEARCH_LIMIT = 50;

const record = (r: RunningRevision): GroupRevisionRecord => {
  const { manifest: _m, manifestProblem: _p, ...rest } = r;
  return rest;
};

/** `rev: previous` → the revision the group ran before its current one (a one-step rollback). */
export async function resolvePrevious(
  request: { appName: string; group: string; bucket: string; prefix: string },
  ports: GroupCheckPorts,
  emit: Emit,
): Promise<GroupRevisionRecord> {
  const { appName, group } = request;
  const current = await ports.groupRevisions.running(appName, group);
  if (!current) {
    throw new UserError(
      `rev: previous: deployment group ${group} of ${appName} has no successful deployment (or does not exist), so there is no previous revision to go back to. Set \`rev\` to a pushed revision.`,
    );
  }
  const history = await ports.groupRevisions.succeeded(appName, group, PREVIOUS_SEARCH_LIMIT);
  const previous = pickPrevious(current, history);
  if (!previous) {
    throw new UserError(
      `rev: previous: deployment group ${group} has run only ${current.rev} (in its last ${history.length} successful deployments), so there is no previous revision to go back to. Set \`rev\` to a pushed revision.`,
    );
  }
  const expected = bundleKey(request.prefix, appName, previous.rev);
  if (previous.bucket !== request.bucket || previous.key !== expected) {
    throw new UserError(
      `rev: previous: the revision ${group} ran before its current one is s3://${previous.bucket}/${previous.key}, not a bundle of s3://${request.bucket}/${expected.replace(/[^/]+$/, '')}. Set \`bucket\` and \`prefix\` to where it was pushed, or set \`rev\` to the revision to deploy.`,
    );
  }
  emit({
    kind: 'previous-resolved',
    group,
    rev: previous.rev,
    deploymentId: previous.deploymentId,
    completedAt: previous.completedAt,
    rollback: previous.rollback,
    currentRev: current.rev,
  });
  return previous;
}

/**
 * Compares the requested revision with what the group runs: SKIPPED, refused as older, or go — with
 * the diff either way. Throws a UserError when the request is older and `allowOlder` is off.
 */
export async function checkGroup(
  request: { appName: string; group: string; rev: string; redeploy: boolean; allowOlder: boolean },
  next: { bucket: string; key: string; eTag?: string; manifest: Manifest },
  ports: GroupCheckPorts,
  emit: Emit,
): Promise<GroupCheck> {
  const { appName, group, rev } = request;
  const running = await ports.groupRevisions.running(appName, group);
  emit({ kind: 'group-running', group, running: running && record(running) });
  if (!running) return { running: null, skipped: false };

  if (isSameBundle(running, next)) {
    emit({ kind: 'already-deployed', group, rev, deploymentId: running.deploymentId, redeploy: request.redeploy });
    if (!request.redeploy) return { running: record(running), skipped: true };
  }

  const check: GroupCheck = { running: record(running), skipped: false };
  if (running.manifest) {
    check.diff = diffManifests(running.manifest, next.manifest);
    emit({ kind: 'revision-diff', runningRev: running.rev, diff: check.diff });
  } else {
    check.diffProblem = running.manifestProblem ?? 'its manifest could not be read';
    emit({ kind: 'revision-diff-unavailable', runningRev: running.rev, why: check.diffProblem });
  }

  check.order = await order(running, next.manifest, ports.ancestry);
  emit({ kind: 'deploy-order', group, rev, runningRev: running.rev, order: check.order, allowOlder: request.allowOlder });
  if (check.order.verdict === 'older' && !request.allowOlder) {
    const o = check.order;
    throw new UserError(
      `Refusing to deploy ${rev} (commit ${o.requestedCommit}) to ${group}: the group runs ${running.rev} (commit ${o.runningCommit}), a later commit that already contains it (${o.source ?? 'ancestry'}). Deploying it would put an older revision over a newer one. To roll back on purpose, set \`allow-older: true\` (or deploy with \`rev: previous\`).`,
    );
  }
  return check;
}

async function order(running: RunningRevision, requested: Manifest, ancestry: AncestryPort | undefined): Promise<OrderVerdict> {
  if (!running.manifest) {
    return { verdict: 'unknown', why: `the running ${running.rev}'s manifest could not be read, so its commit is unknown` };
  }
  const pair = commitsToOrder(running.manifest, requested);
  if ('unordered' in pair) return { verdict: 'unordered', why: pair.unordered };
  if (pair.runningCommit === pair.requestedCommit) return { verdict: 'same-commit', ...pair, source: 'manifests' };
  if (!ancestry) return { verdict: 'unknown', ...pair, why: 'no way to compare commits was given' };
  try {
    const answer = await ancestry.relate(pair.runningCommit, pair.requestedCommit);
    return { verdict: verdictOf(answer), ...pair, source: answer.source, why: answer.why };
  } catch (err) {
    // Ordering is a safety net, not a gate on AWS: a failure to tell is "unknown" (warned), never a failed deploy.
    return { verdict: 'unknown', ...pair, why: describeError(err) };
  }
}
