/**
 * What the deploy core needs from AWS, as narrow interfaces over plain data. The adapters in src/aws/
 * implement them with the SDK; tests can implement them with arrays.
 */

import type { Manifest } from '../manifest/schema.js';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
}

export interface ExecutionSummary {
  executionArn: string;
  name: string;
  startDate: Date;
}

/**
 * One Step Functions history event, reduced to what the deploy reads. The adapter folds the many
 * `*EventDetails` shapes into these few fields.
 */
export interface HistoryEvent {
  id: number;
  previousEventId?: number;
  type: string;
  timestamp: Date;
  /** StateEntered / StateExited events: the state's name. */
  stateName?: string;
  /** State input (entered), state output (exited), task result (TaskSucceeded) or execution output. */
  data?: string;
  /** Task / Lambda / Activity resource, e.g. `aws-sdk:codedeploy` + `createDeployment`. */
  resource?: string;
  /** Failure events (TaskFailed, ExecutionFailed, ExecutionAborted, …). */
  error?: string;
  cause?: string;
}

export interface HistoryPage {
  events: HistoryEvent[];
  nextToken?: string;
}

export interface StepFunctionsPort {
  startExecution(request: { stateMachineArn: string; name: string; input: string }): Promise<{ executionArn: string; startDate: Date }>;
  /** null when the execution does not exist. */
  describeExecution(executionArn: string): Promise<ExecutionDescription | null>;
  /** Every RUNNING execution of the state machine (all pages). */
  listRunningExecutions(stateMachineArn: string): Promise<ExecutionSummary[]>;
  getHistoryPage(request: { executionArn: string; reverseOrder: boolean; maxResults: number; nextToken?: string }): Promise<HistoryPage>;
  stopExecution(request: { executionArn: string; error: string; cause: string }): Promise<void>;
}

export type DeploymentStatus = 'Created' | 'Queued' | 'InProgress' | 'Baking' | 'Succeeded' | 'Failed' | 'Stopped' | 'Ready';
export type TargetStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' | 'Ready' | 'Unknown';
export type LifecycleEventStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' | 'Unknown';

export interface DeploymentOverview {
  Pending: number;
  InProgress: number;
  Succeeded: number;
  Failed: number;
  Skipped: number;
  Ready: number;
}

export interface DeploymentSnapshot {
  deploymentId: string;
  status: DeploymentStatus;
  overview: DeploymentOverview;
  applicationName?: string;
  deploymentGroupName?: string;
  createTime?: Date;
  completeTime?: Date;
  errorInformation?: { code?: string; message?: string };
  /** The S3 bundle it deploys (a rollback's is the revision the group goes back to). */
  revision?: { bucket: string; key: string; eTag?: string };
  /** `user`, `codeDeployRollback` (CodeDeploy's automatic rollback), … */
  creator?: string;
  /** The deployment's automatic rollback settings (the group's, unless CreateDeployment overrode them). */
  autoRollback?: { enabled: boolean; events: string[] };
  /** On a failed deployment: the rollback it triggered (or why none); on a rollback: what triggered it. */
  rollbackInfo?: { rollbackDeploymentId?: string; rollbackTriggeringDeploymentId?: string; rollbackMessage?: string };
}

export interface LifecycleDiagnostics {
  errorCode?: string;
  scriptName?: string;
  message?: string;
  logTail?: string;
}

export interface LifecycleEventSnapshot {
  name: string;
  status: LifecycleEventStatus;
  startTime?: Date;
  endTime?: Date;
  diagnostics?: LifecycleDiagnostics;
}

export interface TargetSnapshot {
  targetId: string;
  status: TargetStatus;
  lastUpdatedAt?: Date;
  lifecycleEvents: LifecycleEventSnapshot[];
}

export type RevisionLookup = { found: true; registeredAt?: Date } | { found: false; missing: 'application' | 'revision' };

export interface CodeDeployPort {
  getApplicationRevision(request: { applicationName: string; bucket: string; key: string; eTag?: string }): Promise<RevisionLookup>;
  /** false when the group does not exist. */
  deploymentGroupExists(applicationName: string, groupName: string): Promise<boolean>;
  listDeploymentGroups(applicationName: string): Promise<string[]>;
  getDeployment(deploymentId: string): Promise<DeploymentSnapshot>;
  /** Target ids (all pages), optionally only those in the given statuses. */
  listTargetIds(deploymentId: string, statuses?: TargetStatus[]): Promise<string[]>;
  /** At most BATCH_GET_TARGETS_MAX ids per call. */
  batchGetTargets(deploymentId: string, targetIds: string[]): Promise<TargetSnapshot[]>;
  stopDeployment(deploymentId: string, autoRollback: boolean): Promise<void>;
}

/** BatchGetDeploymentTargets takes at most 25 target ids. */
export const BATCH_GET_TARGETS_MAX = 25;

export interface BundlePort {
  /** The bundle zip's bytes and ETag, or null when there is no such object. */
  getBundle(bucket: string, key: string): Promise<{ bytes: Buffer; eTag?: string } | null>;
}

/** Whether the objects a revision names are in the bucket (verify-revision-objects.ts). */
export interface ObjectPresencePort {
  /** The object's size in bytes, or null when there is no such object; throws when S3 cannot tell (403, 5xx). */
  objectSize(bucket: string, key: string): Promise<number | null>;
}

/**
 * What a failed read-only call means for following, as the AWS side tells it (src/aws/poll-errors.ts):
 * - `throttled` / `transient`: wait and poll again (throttling, 5xx, dropped connections, garbled answers);
 * - `credentials-expired`: the session ran out; only new credentials help;
 * - `fatal`: anything else (access denied, a bug): following ends with the error.
 */
export interface PollFailure {
  kind: 'throttled' | 'transient' | 'credentials-expired' | 'fatal';
  /** One line naming the error, for the log (outside text: printed inert). */
  description: string;
}

export type PollErrorClassifier = (err: unknown) => PollFailure;

/** A revision a deployment put on a group: its bundle, which deployment, and whether it was a rollback. */
export interface GroupRevisionRecord {
  /** The revision name from the bundle key (`…/revisions/<rev>.zip`); the whole key when it is not such a key. */
  rev: string;
  bucket: string;
  key: string;
  eTag?: string;
  deploymentId: string;
  completedAt?: Date;
  /** CodeDeploy started it as an automatic rollback (it still counts as what the group ran). */
  rollback: boolean;
}

/** What a group runs now, with its revision's manifest when the bundle could be read. */
export interface RunningRevision extends GroupRevisionRecord {
  manifest?: Manifest;
  /** Why the manifest could not be read (then no diff and no order check, with a warning). */
  manifestProblem?: string;
}

export interface GroupRevisionsPort {
  /** The revision of the group's last successful deployment; null when the group was never deployed (or does not exist). */
  running(appName: string, group: string): Promise<RunningRevision | null>;
  /** Revisions of the group's succeeded deployments (rollbacks included), newest first, at most `limit`. */
  succeeded(appName: string, group: string, limit: number): Promise<GroupRevisionRecord[]>;
}

/** How the commit a group runs relates to the requested one: `descendant` = the group runs a later commit built on it. */
export type Ancestry = 'descendant' | 'ancestor' | 'same' | 'diverged' | 'unknown';

export interface AncestryAnswer {
  relation: Ancestry;
  /** Who answered (`git`, `GitHub`). */
  source?: string;
  /** When unknown: why it could not tell (outside text may be in it: print it inert). */
  why?: string;
}

export interface AncestryPort {
  relate(runningCommit: string, requestedCommit: string): Promise<AncestryAnswer>;
}
