import type { ExecutionInput, ExecutionLambda } from './contract.js';
import type { DeploymentChange } from './deployment-tracker.js';
import type { TimelineChange } from './execution-timeline.js';
import type { RollbackEvent } from './follow-rollback.js';
import type { ExecutionStatus } from './ports.js';
import type { GroupCheckEvent } from './running-revision.js';

/**
 * Everything the deploy core reports while it works, in order. The GitHub layer turns these into log
 * lines, annotations, outputs and saved state; tests collect them.
 */
export type DeployEvent =
  | TimelineChange
  /** What the group runs, re-runs, order and the diff (running-revision.ts). */
  | GroupCheckEvent
  | DeploymentChange
  /** CodeDeploy's automatic rollback after a failed deployment (follow-rollback.ts). */
  | RollbackEvent
  | { kind: 'bundle-read'; bucket: string; key: string; eTag?: string; lambdas: ExecutionLambda[] }
  /** Every object the revision names is in the bucket with its size (verify-revision-objects.ts). */
  | { kind: 'objects-verified'; bucket: string; objects: number }
  | { kind: 'revision-registered'; appName: string; rev: string; registeredAt?: Date }
  | { kind: 'group-found'; appName: string; group: string }
  | { kind: 'group-busy'; executionArn: string; name: string; startDate: Date; group: string }
  | { kind: 'group-still-busy'; executionArn: string; waitedMs: number }
  | { kind: 'group-free'; executionArn: string; status: ExecutionStatus; waitedMs: number }
  | { kind: 'execution-started'; executionArn: string; name: string; startDate: Date; input: ExecutionInput }
  | { kind: 'following'; executionArn: string; name: string; status: ExecutionStatus; startDate: Date }
  | { kind: 'transient-error'; error: string; throttled: boolean; retryInMs: number; streak: number }
  | { kind: 'recovered'; streak: number }
  | { kind: 'heartbeat'; at: Date; quietMs: number }
  | { kind: 'timed-out'; timeoutMs: number }
  /** Following ended before the execution did (AWS unreachable too long, or the credentials expired). */
  | { kind: 'stopped-following'; executionArn: string; reason: 'unreachable' | 'credentials-expired'; error: string; failingForMs?: number }
  | { kind: 'stopping'; executionArn: string; deploymentIds: string[]; reason: string }
  | { kind: 'stop-failed'; what: string; error: string };

export type Emit = (event: DeployEvent) => void;
