import type { Manifest } from '../manifest/schema.js';
import type { AncestryAnswer, AncestryPort, GroupRevisionRecord } from './ports.js';

/**
 * Pure rules for re-runs and order: is the requested revision what the group already runs, which
 * revision `rev: previous` means, and whether the requested commit is older than the running one.
 */

/** The `rev` value that means "the revision the group ran before its current one". */
export const PREVIOUS = 'previous';

interface BundleLocation {
  bucket: string;
  key: string;
  eTag?: string;
}

const bareETag = (eTag: string | undefined): string | undefined => eTag?.replace(/^W\//, '').replace(/"/g, '');

/**
 * The same bundle: same bucket and key, and the same ETag when both are known. Push never replaces a
 * bundle (a revision name means one thing forever), so the key decides when an ETag is missing.
 */
export function isSameBundle(a: BundleLocation, b: BundleLocation): boolean {
  if (a.bucket !== b.bucket || a.key !== b.key) return false;
  const [x, y] = [bareETag(a.eTag), bareETag(b.eTag)];
  return !x || !y || x === y;
}

/**
 * What `rev: previous` resolves to: the newest succeeded deployment whose bundle is not the one the
 * group runs now (redeploys of the current revision are passed over; rollbacks count like any other).
 */
export function pickPrevious(current: GroupRevisionRecord, succeeded: readonly GroupRevisionRecord[]): GroupRevisionRecord | undefined {
  return succeeded.find((r) => r.deploymentId !== current.deploymentId && !isSameBundle(r, current));
}

/**
 * The outcome of the order check, for the log and the summary: the requested revision is newer,
 * older, the same commit, diverged from the running one, or it could not be told (`unknown`: warned,
 * deployed anyway), or an unreproducible revision is involved (`unordered`: such revisions have no order).
 */
export interface OrderVerdict {
  verdict: 'newer' | 'older' | 'same-commit' | 'diverged' | 'unknown' | 'unordered';
  runningCommit?: string;
  requestedCommit?: string;
  /** Who told (`git`, `GitHub`, `manifests`). */
  source?: string;
  /** Why it could not be told, or why it is unordered (may hold outside text: print it inert). */
  why?: string;
}

/** The two commits to order, or why there are none (an unreproducible revision on either side, or no commit). */
export function commitsToOrder(
  running: Pick<Manifest, 'rev' | 'commit' | 'reproducible'>,
  requested: Pick<Manifest, 'rev' | 'commit' | 'reproducible'>,
): { runningCommit: string; requestedCommit: string } | { unordered: string } {
  const unreproducible = [
    !requested.reproducible || !requested.commit ? `the requested ${requested.rev}` : '',
    !running.reproducible || !running.commit ? `the running ${running.rev}` : '',
  ].filter(Boolean);
  if (unreproducible.length) {
    return {
      unordered: `${unreproducible.join(' and ')} ${unreproducible.length > 1 ? 'are' : 'is'} unreproducible (a uname revision): such revisions have no commit that orders them`,
    };
  }
  return { runningCommit: running.commit!, requestedCommit: requested.commit! };
}

/** What the ancestry answer means for the requested revision. `descendant`: the group runs a later commit, so the request is older. */
export function verdictOf(answer: AncestryAnswer): 'newer' | 'older' | 'same-commit' | 'diverged' | 'unknown' {
  switch (answer.relation) {
    case 'descendant':
      return 'older';
    case 'ancestor':
      return 'newer';
    case 'same':
      return 'same-commit';
    case 'diverged':
      return 'diverged';
    default:
      return 'unknown';
  }
}

/** Asks each in turn; the first that can tell answers. When none can, the answer is unknown with every reason. */
export function firstKnown(ports: readonly AncestryPort[]): AncestryPort {
  return {
    async relate(runningCommit, requestedCommit) {
      const whys: string[] = [];
      for (const port of ports) {
        const answer = await port.relate(runningCommit, requestedCommit);
        if (answer.relation !== 'unknown') return answer;
        if (answer.why) whys.push(answer.source ? `${answer.source}: ${answer.why}` : answer.why);
      }
      return { relation: 'unknown', why: whys.join('; ') || 'nothing could tell' };
    },
  };
}
