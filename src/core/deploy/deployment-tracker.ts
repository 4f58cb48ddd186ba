import type { Clock } from './clock.js';
import {
  BATCH_GET_TARGETS_MAX,
  type CodeDeployPort,
  type DeploymentOverview,
  type DeploymentSnapshot,
  type DeploymentStatus,
  type LifecycleDiagnostics,
  type LifecycleEventStatus,
  type TargetSnapshot,
  type TargetStatus,
} from './ports.js';

export interface LifecycleRecord {
  name: string;
  status: LifecycleEventStatus;
  startTime?: Date;
  endTime?: Date;
  diagnostics?: LifecycleDiagnostics;
}

export interface TargetRecord {
  targetId: string;
  status: TargetStatus;
  lastUpdatedAt?: Date;
  /** In CodeDeploy's order (the appspec's hook order). */
  events: LifecycleRecord[];
}

export type DeploymentChange =
  | { kind: 'deployment-progress'; deploymentId: string; status: DeploymentStatus; overview: DeploymentOverview; at: Date }
  | {
      kind: 'lifecycle-event';
      deploymentId: string;
      targetId: string;
      event: string;
      status: LifecycleEventStatus;
      at: Date;
      durationMs?: number;
      diagnostics?: LifecycleDiagnostics;
    }
  | { kind: 'target-finished'; deploymentId: string; targetId: string; status: TargetStatus; at: Date; durationMs?: number }
  | {
      kind: 'deployment-finished';
      deploymentId: string;
      status: DeploymentStatus;
      overview: DeploymentOverview;
      at: Date;
      errorInformation?: { code?: string; message?: string };
    };

const TERMINAL_DEPLOYMENT: ReadonlySet<DeploymentStatus> = new Set(['Succeeded', 'Failed', 'Stopped']);
const TERMINAL_TARGET: ReadonlySet<TargetStatus> = new Set(['Succeeded', 'Failed', 'Skipped']);

export const isTerminalDeployment = (status: DeploymentStatus): boolean => TERMINAL_DEPLOYMENT.has(status);
export const isTerminalTarget = (status: TargetStatus): boolean => TERMINAL_TARGET.has(status);

export interface TrackerOptions {
  /** GetDeployment (overview and overall status) at most this often, unless something suggests the end. */
  overviewEveryMs: number;
  /** Look for newly started instances at least this often (besides right after an instance finishes). */
  listEveryMs: number;
}

/**
 * The overview is for the log's progress lines and the end, which nothing in progress announces
 * anyway: every 30 s is enough. Instances start when others finish, so that is when to look for them
 * (LIST_AFTER_FREED_MS); the periodic look only catches starts nothing announced.
 */
const DEFAULTS: TrackerOptions = { overviewEveryMs: 30_000, listEveryMs: 30_000 };

/**
 * After an instance finishes, look for the instances that start in its place: at once, then again
 * after each of these delays while none has been found (CodeDeploy starts the next one within a
 * second or two, or when the rest of the batch is done: then another instance finishes first).
 */
const LIST_AFTER_FREED_MS = [0, 1_000, 3_000];

/**
 * Follows one CodeDeploy deployment and reports each change once. Cheap per poll whatever the group's
 * size: it reads the lifecycle events of the instances in progress only (one BatchGetDeploymentTargets
 * per 25), lists every target once (the list does not change during a deployment), looks for newly
 * started instances (ListDeploymentTargets filtered on InProgress) when a slot frees up (see listDue),
 * and asks for the overview every ~30 s or when nothing is in progress.
 */
export class DeploymentTracker {
  readonly targets = new Map<string, TargetRecord>();
  snapshot: DeploymentSnapshot | undefined;
  private readonly inProgress = new Set<string>();
  private readonly options: TrackerOptions;
  private knowsAllTargets = false;
  /** poll() has returned the deployment-finished change (the last one). */
  private reportedEnd = false;
  /** When an instance last finished (looking for its successors), and how many looks since. */
  private freedAt: number | undefined;
  private looksSinceFreed = 0;
  /**
   * Whether instances start while others are still in progress. A batched deploy (CodeDeploy waits for
   * the whole batch) starts none then: once looks after a finished instance found nothing, the next
   * batch is looked for when nothing is in progress, until a look finds a start while others run.
   */
  private startsWhileBusy = true;
  private listedAt = Number.NEGATIVE_INFINITY;
  private overviewAt = Number.NEGATIVE_INFINITY;
  /** The shortest time an instance took from its first event's start to its last one's end. */
  private quickestInstanceMs: number | undefined;
  /** The shortest time each lifecycle event took on the instances that finished it. */
  private readonly shortest = new Map<string, number>();
  /** Changes seen but not yet returned: a poll that fails half-way keeps what it saw for the next one. */
  private pending: DeploymentChange[] = [];

  constructor(
    readonly deploymentId: string,
    private readonly codedeploy: CodeDeployPort,
    private readonly clock: Clock,
    options: Partial<TrackerOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Nothing more to follow: the deployment ended and poll() has returned every instance's final state. */
  get fullyReported(): boolean {
    return this.reportedEnd;
  }

  /** CodeDeploy says the deployment ended (Succeeded, Failed, Stopped); its last results may not be read yet. */
  get deploymentEnded(): boolean {
    return this.snapshot !== undefined && isTerminalDeployment(this.snapshot.status);
  }

  async poll(): Promise<DeploymentChange[]> {
    if (this.reportedEnd) return this.drain();
    const changes = this.pending;
    if (!this.deploymentEnded) {
      let overviewRead = false;
      if (!this.snapshot) {
        await this.readOverview(changes);
        overviewRead = true;
      }
      if (!this.knowsAllTargets) {
        // Instances are known once the deployment has started; every one of them is Pending at first.
        const ids = await this.codedeploy.listTargetIds(this.deploymentId);
        for (const id of ids) this.know(id);
        this.knowsAllTargets = ids.length > 0;
      }
      if (!this.knowsAllTargets) {
        // Not started yet (Created, Queued): nothing to read per instance.
      } else if (this.listDue()) {
        const before = this.inProgress.size;
        // After a gap longer than the quickest instance took, an instance may have started and finished
        // unseen: finished ones are listed too, and read now, in their place in time, not at the end.
        const gap = this.quickestInstanceMs !== undefined && this.clock.now() - this.listedAt >= this.quickestInstanceMs;
        const ids = await this.codedeploy.listTargetIds(this.deploymentId, gap ? ['InProgress', 'Succeeded', 'Failed'] : ['InProgress']);
        for (const id of ids) {
          this.know(id);
          if (!isTerminalTarget(this.targets.get(id)!.status)) this.inProgress.add(id);
        }
        this.listedAt = this.clock.now();
        this.looksSinceFreed += 1;
        if (this.inProgress.size > before) {
          // Found what started in the freed place: no more looks until the next instance finishes.
          if (before > 0) this.startsWhileBusy = true;
          this.freedAt = undefined;
        } else if (this.looksSinceFreed >= LIST_AFTER_FREED_MS.length && before > 0) {
          this.startsWhileBusy = false;
        }
      }
      await this.fetchTargets([...this.inProgress], changes);
      const suggestsEnd = this.inProgress.size === 0;
      if (!overviewRead && (suggestsEnd || this.clock.now() - this.overviewAt >= this.options.overviewEveryMs)) {
        await this.readOverview(changes);
        await this.readFinishedUnseen(changes);
      }
    }
    if (this.deploymentEnded) {
      // Report the final state of every instance not yet seen finished (skipped ones, fast ones).
      if (!this.knowsAllTargets) {
        for (const id of await this.codedeploy.listTargetIds(this.deploymentId)) this.know(id);
        this.knowsAllTargets = true;
      }
      const unsettled = [...this.targets.values()].filter((t) => !isTerminalTarget(t.status)).map((t) => t.targetId);
      await this.fetchTargets(unsettled, changes);
      const s = this.snapshot!;
      changes.push({
        kind: 'deployment-finished',
        deploymentId: this.deploymentId,
        status: s.status,
        overview: s.overview,
        at: s.completeTime ?? new Date(this.clock.now()),
        errorInformation: s.errorInformation,
      });
      this.reportedEnd = true;
    }
    return this.drain();
  }

  /**
   * Whether to look for newly started instances on this poll: on the first, whenever nothing is in
   * progress (the next batch is due, or the end), after an instance finished (LIST_AFTER_FREED_MS),
   * and every listEveryMs.
   */
  private listDue(): boolean {
    const now = this.clock.now();
    if (this.inProgress.size === 0 || now - this.listedAt >= this.options.listEveryMs) return true;
    if (this.freedAt === undefined || !this.startsWhileBusy) return false;
    const wait = LIST_AFTER_FREED_MS[this.looksSinceFreed];
    return wait !== undefined && now - this.freedAt >= wait;
  }

  /**
   * The earliest time something is likely to change: each instance in progress runs a lifecycle
   * event that took at least so long on every instance that finished it, so nothing changes on it
   * before its start plus that (a failing hook can end sooner: the follow loop caps what it makes of
   * this). Undefined when no such bound is known: an instance between events or in an event not seen
   * finished yet, an instance about to start (see listDue), or the deployment not started or ending.
   */
  quietUntil(): number | undefined {
    if (this.reportedEnd || !this.knowsAllTargets || this.inProgress.size === 0 || this.deploymentEnded) return undefined;
    const now = this.clock.now();
    if (this.freedAt !== undefined && this.startsWhileBusy && LIST_AFTER_FREED_MS[this.looksSinceFreed] !== undefined) return undefined;
    let until = Number.POSITIVE_INFINITY;
    for (const id of this.inProgress) {
      const running = this.targets.get(id)?.events.find((e) => e.status === 'InProgress');
      const shortest = running ? this.shortest.get(running.name) : undefined;
      if (!running?.startTime || shortest === undefined) return undefined;
      until = Math.min(until, running.startTime.getTime() + shortest);
    }
    return until > now ? until : undefined;
  }

  /**
   * An instance that started and finished between two polls was never seen in progress: when the
   * overview counts more finished instances than were seen, read those now, in their place in time,
   * not at the deployment's end after the instances that followed them. One list, only then.
   */
  private async readFinishedUnseen(changes: DeploymentChange[]): Promise<void> {
    const overview = this.snapshot?.overview;
    if (!overview || !this.knowsAllTargets || isTerminalDeployment(this.snapshot!.status)) return;
    const seen = [...this.targets.values()].filter((t) => t.status === 'Succeeded' || t.status === 'Failed').length;
    if (overview.Succeeded + overview.Failed <= seen) return;
    const finished = await this.codedeploy.listTargetIds(this.deploymentId, ['Succeeded', 'Failed']);
    const unseen = finished.filter((id) => !isTerminalTarget(this.targets.get(id)?.status ?? 'Pending'));
    for (const id of unseen) this.know(id);
    await this.fetchTargets(unseen, changes);
  }

  private drain(): DeploymentChange[] {
    // In the order things happened; the deployment's end always last.
    const key = (c: DeploymentChange) => (c.kind === 'deployment-finished' ? Number.POSITIVE_INFINITY : c.at.getTime());
    const out = this.pending.sort((a, b) => key(a) - key(b));
    this.pending = [];
    return out;
  }

  private know(targetId: string): void {
    if (!this.targets.has(targetId)) this.targets.set(targetId, { targetId, status: 'Pending', events: [] });
  }

  private async readOverview(changes: DeploymentChange[]): Promise<void> {
    const previous = this.snapshot;
    const next = await this.codedeploy.getDeployment(this.deploymentId);
    this.overviewAt = this.clock.now();
    this.snapshot = next;
    const same = previous && previous.status === next.status && sameOverview(previous.overview, next.overview);
    // The end is reported once, by deployment-finished (with the overview).
    if (!same && !isTerminalDeployment(next.status))
      changes.push({
        kind: 'deployment-progress',
        deploymentId: this.deploymentId,
        status: next.status,
        overview: next.overview,
        at: new Date(this.clock.now()),
      });
  }

  private async fetchTargets(ids: string[], changes: DeploymentChange[]): Promise<void> {
    for (let i = 0; i < ids.length; i += BATCH_GET_TARGETS_MAX) {
      const snapshots = await this.codedeploy.batchGetTargets(this.deploymentId, ids.slice(i, i + BATCH_GET_TARGETS_MAX));
      for (const snapshot of snapshots) this.update(snapshot, changes);
    }
  }

  private update(snapshot: TargetSnapshot, changes: DeploymentChange[]): void {
    this.know(snapshot.targetId);
    const record = this.targets.get(snapshot.targetId)!;
    const base = { deploymentId: this.deploymentId, targetId: snapshot.targetId };
    for (const event of snapshot.lifecycleEvents) {
      let known = record.events.find((e) => e.name === event.name);
      if (!known) {
        known = { name: event.name, status: 'Pending' };
        record.events.push(known);
      }
      const changed = known.status !== event.status;
      Object.assign(known, { status: event.status, startTime: event.startTime, endTime: event.endTime, diagnostics: event.diagnostics });
      if (!changed || event.status === 'Pending') continue;
      const durationMs = event.startTime && event.endTime ? event.endTime.getTime() - event.startTime.getTime() : undefined;
      if (event.status === 'Succeeded' && durationMs !== undefined)
        this.shortest.set(event.name, Math.min(durationMs, this.shortest.get(event.name) ?? Number.POSITIVE_INFINITY));
      const at = event.status === 'InProgress' ? event.startTime : (event.endTime ?? event.startTime);
      changes.push({
        kind: 'lifecycle-event',
        ...base,
        event: event.name,
        status: event.status,
        at: at ?? snapshot.lastUpdatedAt ?? new Date(this.clock.now()),
        durationMs: event.status === 'InProgress' ? undefined : durationMs,
        diagnostics: event.status === 'Failed' ? event.diagnostics : undefined,
      });
    }
    const statusChanged = record.status !== snapshot.status;
    record.status = snapshot.status;
    record.lastUpdatedAt = snapshot.lastUpdatedAt;
    if (snapshot.status === 'InProgress') {
      this.inProgress.add(snapshot.targetId);
    } else if (this.inProgress.delete(snapshot.targetId)) {
      // A slot freed up: the next instance of a rolling deploy starts now.
      this.freedAt = this.clock.now();
      this.looksSinceFreed = 0;
    }
    if (statusChanged && isTerminalTarget(snapshot.status)) {
      const starts = record.events.map((e) => e.startTime?.getTime()).filter((t): t is number => t !== undefined);
      const ends = record.events.map((e) => e.endTime?.getTime()).filter((t): t is number => t !== undefined);
      const durationMs = starts.length && ends.length ? Math.max(...ends) - Math.min(...starts) : undefined;
      if (durationMs !== undefined && snapshot.status === 'Succeeded')
        this.quickestInstanceMs = Math.min(durationMs, this.quickestInstanceMs ?? Number.POSITIVE_INFINITY);
      const at = snapshot.lastUpdatedAt ?? (ends.length ? new Date(Math.max(...ends)) : new Date(this.clock.now()));
      changes.push({ kind: 'target-finished', ...base, status: snapshot.status, at, durationMs });
    }
  }
}

const sameOverview = (a: DeploymentOverview, b: DeploymentOverview): boolean =>
  a.Pending === b.Pending &&
  a.InProgress === b.InProgress &&
  a.Succeeded === b.Succeeded &&
  a.Failed === b.Failed &&
  a.Skipped === b.Skipped &&
  a.Ready === b.Ready;
