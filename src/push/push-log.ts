import { EOL } from 'node:os';
import * as runner from '../github/workflow-commands.js';
import type { SyncProgress } from '../core/content/sync.js';
import { formatBytes } from '../core/format-bytes.js';
import type { Problem } from '../core/problems.js';
import { type ConflictGroup, conflictCount } from '../core/classpath/dependency-conflicts.js';
import type { GroupDiff, PushEvent, PushPhase } from '../core/push/push-events.js';
import { diffOneLine } from '../core/revision/revision-diff.js';
import type { PushReport } from '../core/push/push-revision.js';
import { inertMessage, reportProblems } from '../github/annotations.js';
import { inert } from '../github/inert-text.js';

/** The few runner facilities push's log uses; injectable so the rendering is testable without a runner. */
export interface PushIO {
  /** One line, or several joined with EOL (each already inert). */
  info(line: string): void;
  startGroup(title: string): void;
  endGroup(): void;
  notice(message: string): void;
  /** Problems as annotations (see src/github/annotations.ts). */
  problems(problems: readonly Problem[]): void;
  /** The step's closing error (runner.setFailed: an error annotation and exit code 1). */
  fail(message: string): void;
}

export const runnerPushIO: PushIO = {
  info: (line) => runner.info(line),
  startGroup: (title) => runner.startGroup(title),
  endGroup: () => runner.endGroup(),
  notice: (message) => runner.notice(message),
  problems: (problems) => reportProblems(problems),
  fail: (message) => runner.setFailed(message),
};

/**
 * Turns push events into the workflow log. The one place where push prints: everything that did not
 * come from this code (paths, classpath origins, S3 keys and bucket, ion-config values, AWS and git
 * messages) goes through inert() here, so no file name or config value can become a workflow command.
 */
export class PushLog {
  constructor(private readonly io: PushIO = runnerPushIO) {}

  /**
   * The classpath's lines, emitted one event per entry in one synchronous loop, go out in one write
   * (the same bytes as one write each): 200 jars made 200 writes to the runner's pipe.
   */
  private entryLines: string[] = [];

  readonly handle = (e: PushEvent): void => {
    const io = this.io;
    if (e.kind === 'classpath-entry') {
      if (this.entryLines.push(`${e.entryKind.padEnd(7)} ${inert(e.origin)}`) === 1) queueMicrotask(() => this.flushEntries());
      return;
    }
    this.flushEntries();
    switch (e.kind) {
      case 'phase-started':
        io.startGroup(phaseTitle(e));
        return;
      case 'phase-ended':
        io.endGroup();
        return;
      case 'classpath-given':
        io.info('Using the classpath from the `classpath` input.');
        return;
      case 'classpath-resolving':
        io.info(`Running clojure -Spath${e.aliases ? ` -A${inert(e.aliases)}` : ''} in ${inert(e.projectDir)}`);
        return;
      case 'ion-config-validated':
        io.info(`Validated ${inert(e.file)}: ${e.errors === 0 ? 'ok' : `${e.errors} error(s)`}`);
        return;
      case 'pack-note':
        io.info(inert(e.message));
        return;
      case 'sync-progress':
        io.info(progressLine(e.progress));
        return;
      case 'object-index':
        io.info(objectIndexLine(e));
        return;
      case 'bundle-found':
        io.info(
          e.match === 'identical'
            ? `${s3Url(e.bucket, e.key)} already holds this exact revision, so the bucket has all ${e.objects} objects it names.`
            : `${s3Url(e.bucket, e.key)} already holds this revision, pushed by another version of ion-actions (the same manifest, other instance hooks): it is kept as it is, with all ${e.objects} objects it names.`,
        );
        return;
      case 'bundle-stored':
        io.info(`${e.uploaded ? 'Uploaded' : 'Reused'} revision bundle ${s3Url(e.bucket, e.key)}`);
        return;
      case 'revision-registered':
        io.info(`Registered revision ${inert(e.rev)} of CodeDeploy application ${inert(e.appName)}`);
        return;
      case 'dependency-conflicts':
        this.conflicts(e.groups);
        return;
      case 'group-diff':
        io.info(groupDiffLine(e.diff));
        return;
      case 'group-diffs-skipped':
        io.info(`${e.groups} more deployment groups not compared (push compares the first 20).`);
        return;
    }
  };

  /** Every conflict, in a collapsible group: which entries, which one wins, every namespace and class. */
  private conflicts(groups: readonly ConflictGroup[]): void {
    if (groups.length === 0) {
      this.io.info('No dependency conflicts: no namespace or class is provided by more than one classpath entry.');
      return;
    }
    const n = conflictCount(groups);
    this.io.startGroup(
      `Dependency conflicts: ${n} ${n === 1 ? 'namespace or class' : 'namespaces and classes'} provided by more than one classpath entry`,
    );
    for (const g of groups) {
      this.io.info(`${inert(g.entries.join(', '))}: ${inert(g.winner)} wins (first on the classpath)`);
      for (const ns of g.namespaces) this.io.info(`  namespace ${inert(ns)}`);
      for (const cls of g.classes) this.io.info(`  class ${inert(cls)}`);
    }
    this.io.endGroup();
  }

  /** Warnings of a push that succeeded, what it skipped, and its last line. */
  private flushEntries(): void {
    if (this.entryLines.length === 0) return;
    const lines = this.entryLines;
    this.entryLines = [];
    this.io.info(lines.join(EOL));
  }

  finished(report: PushReport): void {
    this.flushEntries();
    this.io.problems(report.warnings);
    for (const s of report.skipped) this.io.notice(`Skipped ${inert(s)}`);
    this.io.info(`${report.dryRun ? 'Validated' : 'Pushed'} ${inert(report.appName)} revision ${inert(report.rev)}`);
  }

  /** Problems first (at most 9 error annotations), then the one closing error. */
  failed(message: string, problems: readonly Problem[] = []): void {
    this.flushEntries();
    this.io.problems(problems);
    this.io.fail(inertMessage(message));
  }
}

/** One short line per deployment group: what this revision changes there. */
function groupDiffLine(d: GroupDiff): string {
  const group = inert(d.group);
  switch (d.state) {
    case 'running':
      return `Group ${group} runs ${inert(d.rev)}: ${inert(d.diff.same ? 'this revision changes no library, project path or lambda' : diffOneLine(d.diff))}`;
    case 'none':
      return `Group ${group} has no successful deployment yet: everything in this revision is new there.`;
    case 'unreadable':
      return `Group ${group}: cannot tell what it runs (${inert(d.reason)}); no diff.`;
  }
}

function phaseTitle(p: PushPhase): string {
  switch (p.phase) {
    case 'classpath':
      return 'Classpath';
    case 'pack':
      return `Hashing ${p.entries} classpath entries`;
    case 'upload':
      return p.dryRun ? 'Checking what the bucket has (dry run)' : 'Uploading';
  }
}

/** `s3://bucket/key`, inert; never `s3:///…` (a dry run may have no bucket). */
export const s3Url = (bucket: string, key: string): string =>
  bucket ? `s3://${inert(bucket)}/${inert(key)}` : `key ${inert(key)} (no bucket given)`;

function objectIndexLine(e: Extract<PushEvent, { kind: 'object-index' }>): string {
  const at = s3Url(e.bucket, e.key);
  switch (e.state) {
    case 'found':
      return `Object index ${at}: ${e.objects} objects known to be in the bucket (not asked about again)`;
    case 'none':
      return `No object index at ${at} yet: objects go up with create-only writes`;
    case 'ignored':
      return `Object index ${at} ignored (${inert(e.reason)}): every object is checked in S3`;
    case 'written':
      return `Object index ${at} now lists ${e.objects} objects`;
  }
}

function progressLine(p: SyncProgress): string {
  const verb = p.phase === 'check' ? 'Checked' : 'Uploaded';
  return `${verb} ${p.done}/${p.total} objects (${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)})`;
}
