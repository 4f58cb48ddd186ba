/**
 * Execution names: readable in the Step Functions console and unique per run attempt, e.g.
 * `my-compute-prod-1a2b3c4-9876543210-1` (group, short rev, run id, run attempt).
 *
 * Step Functions allows 80 characters and rejects whitespace, brackets and most punctuation; CloudWatch
 * logging wants only [A-Za-z0-9-_], so that is all we use. The name is deterministic on purpose:
 * StartExecution with the same name and input as a running execution returns that execution, so a
 * retried request cannot start a second deploy.
 */
export const EXECUTION_NAME_MAX = 80;
const VALID = /^[A-Za-z0-9_-]{1,80}$/;

export interface ExecutionNameParts {
  group: string;
  rev: string;
  /** GITHUB_RUN_ID / GITHUB_RUN_ATTEMPT; absent outside Actions. */
  runId?: string;
  runAttempt?: string;
  /** Used instead of the run when there is none. */
  now: Date;
  random: () => number;
  /** 2, 3, …: when the plain name was already used (another deploy step of the same run attempt). */
  collision?: number;
}

const clean = (s: string): string =>
  s
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');

export function executionName(parts: ExecutionNameParts): string {
  const shortRev = /^[0-9a-f]{40}$/i.test(parts.rev) ? parts.rev.slice(0, 7) : clean(parts.rev).slice(0, 20) || 'rev';
  const run = parts.runId
    ? `${clean(parts.runId)}-${clean(parts.runAttempt ?? '') || '1'}`
    : `${parts.now
        .toISOString()
        .replace(/[-:]|\.\d+Z$/g, '')
        .replace('T', 't')}-${Math.floor(parts.random() * 0xffff)
        .toString(16)
        .padStart(4, '0')}`;
  const tail = `-${shortRev}-${run}${parts.collision ? `-${parts.collision}` : ''}`;
  // The group is the part people scan for, but the tail makes the name unique: shorten the group.
  const group = (clean(parts.group) || 'group').slice(0, Math.max(1, EXECUTION_NAME_MAX - tail.length));
  const name = `${group}${tail}`.slice(0, EXECUTION_NAME_MAX);
  if (!VALID.test(name)) throw new Error(`bug: execution name ${JSON.stringify(name)} breaks the Step Functions rules`);
  return name;
}

export const isValidExecutionName = (name: string): boolean => VALID.test(name);
