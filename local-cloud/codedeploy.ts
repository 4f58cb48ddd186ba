/**
 * A local CodeDeploy (EC2/on-premises, in-place) speaking the AWS JSON 1.1 protocol
 * (`CodeDeploy_20141006.*`), with the request and response shapes of the CodeDeploy API reference for
 * the operations push, deploy and the state machine use. CreateDeployment really deploys: the local
 * agent (codedeploy-agent.ts) downloads the bundle from the local S3 and runs its hooks on each of the
 * group's local instances, one instance after another (CodeDeployDefault.OneAtATime), so the first
 * failing instance fails the deployment and the rest are skipped.
 *
 * Automatic rollback as CodeDeploy does it (API reference: AutoRollbackConfiguration, RollbackInfo,
 * DeploymentInfo.creator): a group (or one CreateDeployment) has `autoRollbackConfiguration`
 * {enabled, events}. When a deployment fails with DEPLOYMENT_FAILURE among the events (or is stopped
 * with StopDeployment's autoRollbackEnabled), it shows `Failed` (or `Stopped`) first; a moment later a
 * new deployment, `creator: codeDeployRollback`, redeploys the group's last successful revision to every
 * instance, and the failed one's `rollbackInfo` names it (`rollbackDeploymentId`, and
 * `rollbackTriggeringDeploymentId` on the rollback). With no successful deployment before, nothing is
 * started and `rollbackMessage` says so. A rollback is never rolled back. The messages' wording is this
 * fake's own: the deploy action shows rollbackMessage as it is and never parses it.
 *
 * Not modelled: load balancers (traffic events are Skipped), other deployment configurations,
 * CloudWatch alarms (DEPLOYMENT_STOP_ON_ALARM), tag-based instance discovery (a group is given its
 * instances when it is created), CreateDeploymentGroup / UpdateDeploymentGroup (a group's settings,
 * auto rollback included, are given when it is created: `createDeploymentGroup`, or set on the object).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AwsServiceError, startAwsJsonServer, type AwsJsonServer, type Authorizer, type Handler } from './aws-json-server.js';
import { makeInstanceBin } from './instance.js';
import { deployToInstance, newLifecycleEvents, type LifecycleEventRecord, type LocalInstance } from './codedeploy-agent.js';

const seconds = (ms: number) => ms / 1000;

interface S3Revision {
  bucket: string;
  key: string;
  bundleType: string;
  eTag?: string;
}

interface RegisteredRevision extends S3Revision {
  description?: string;
  registerTime: number;
  firstUsedTime?: number;
  lastUsedTime?: number;
  deploymentGroups: Set<string>;
}

export interface LocalApplication {
  applicationId: string;
  applicationName: string;
  createTime: number;
  revisions: RegisteredRevision[];
  groups: Map<string, LocalDeploymentGroup>;
}

export interface LocalDeploymentGroup {
  deploymentGroupId: string;
  deploymentGroupName: string;
  applicationName: string;
  instances: LocalInstance[];
  /** Environment for the hooks on every instance (what /etc/ion/ion.env holds on EC2). */
  env: Record<string, string>;
  lastSuccessfulDeployment?: { deploymentId: string; status: string; endTime?: number; createTime: number };
  lastAttemptedDeployment?: { deploymentId: string; status: string; endTime?: number; createTime: number };
  targetRevision?: S3Revision;
  /** Redeploy the last successful revision when a deployment fails (infra/template.yaml's AutoRollback). */
  autoRollbackConfiguration: AutoRollbackConfiguration;
}

export type AutoRollbackEvent = 'DEPLOYMENT_FAILURE' | 'DEPLOYMENT_STOP_ON_ALARM' | 'DEPLOYMENT_STOP_ON_REQUEST';
const AUTO_ROLLBACK_EVENTS: readonly string[] = ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'];

export interface AutoRollbackConfiguration {
  enabled: boolean;
  events: AutoRollbackEvent[];
}

/** What the template's `AutoRollback: 'true'` gives a group. */
export const AUTO_ROLLBACK_ON: AutoRollbackConfiguration = { enabled: true, events: ['DEPLOYMENT_FAILURE'] };
export const AUTO_ROLLBACK_OFF: AutoRollbackConfiguration = { enabled: false, events: [] };

export interface RollbackInfo {
  rollbackDeploymentId?: string;
  rollbackTriggeringDeploymentId?: string;
  rollbackMessage?: string;
}

export interface LocalTarget {
  targetId: string;
  instance: LocalInstance;
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped';
  lastUpdatedAt: number;
  lifecycleEvents: LifecycleEventRecord[];
}

export interface LocalDeployment {
  deploymentId: string;
  applicationName: string;
  deploymentGroupName: string;
  revision: S3Revision;
  description?: string;
  status: 'Created' | 'Queued' | 'InProgress' | 'Succeeded' | 'Failed' | 'Stopped';
  createTime: number;
  startTime?: number;
  completeTime?: number;
  errorInformation?: { code: string; message: string };
  targets: LocalTarget[];
  stopRequested: boolean;
  /** `user` (CreateDeployment, the default) or `codeDeployRollback` (an automatic rollback). */
  creator?: 'user' | 'codeDeployRollback';
  /** The group's, or CreateDeployment's own; default off. */
  autoRollbackConfiguration?: AutoRollbackConfiguration;
  /** Set by StopDeployment: roll back after stopping (its autoRollbackEnabled, else the group's DEPLOYMENT_STOP_ON_REQUEST). */
  rollbackOnStop?: boolean;
  rollbackInfo?: RollbackInfo;
  /** Settles when the deployment, and the rollback it triggered if any, have ended (for tests and the demo). */
  done: Promise<void>;
}

export interface LocalCodeDeployOptions {
  /** Where instance directories are created. */
  root: string;
  /** The S3 client the agents download bundles with (with the instances' credentials). */
  s3: () => S3Client;
  s3Endpoint: string;
  region?: string;
  account?: string;
}

export interface LocalCodeDeploy extends AwsJsonServer {
  applications: Map<string, LocalApplication>;
  deployments: Map<string, LocalDeployment>;
  createApplication(name: string): LocalApplication;
  /** A deployment group with `instances` new local instances (`i-local01`, …) under root/instances/. */
  createDeploymentGroup(
    applicationName: string,
    groupName: string,
    options: { instances: number; env?: Record<string, string>; autoRollback?: AutoRollbackConfiguration },
  ): LocalDeploymentGroup;
  /** The operations, callable in-process (the state machine's `aws-sdk:codedeploy:*` tasks use them). */
  handlers: Record<string, Handler>;
  /** Per operation, what IAM checks for a call (resource ARNs of this account and region). */
  authorize: Record<string, Authorizer>;
}

/** Page sizes as small as the real ones are large enough not to matter here; small enough to page in tests. */
const PAGE = 50;
/** The only deployment configuration modelled. */
const DEPLOYMENT_CONFIG = 'CodeDeployDefault.OneAtATime';
const HEALTH_CONSTRAINTS =
  'The overall deployment failed because too many individual instances failed deployment, too few healthy instances are available for deployment, or some instances in your deployment group are experiencing problems.';

/** The fake's state, shared by the operations. */
interface CodeDeployState {
  applications: Map<string, LocalApplication>;
  deployments: Map<string, LocalDeployment>;
  options: LocalCodeDeployOptions;
  region: string;
  account: string;
}

// ---- lookups, failing with CodeDeploy's own errors ----

function app(s: CodeDeployState, name: unknown): LocalApplication {
  if (typeof name !== 'string' || name === '')
    throw new AwsServiceError('ApplicationNameRequiredException', 'The minimum number of required application names was not specified.');
  const found = s.applications.get(name);
  if (!found) throw new AwsServiceError('ApplicationDoesNotExistException', `No application found for name: ${name}`);
  return found;
}

function group(s: CodeDeployState, appName: unknown, groupName: unknown): LocalDeploymentGroup {
  const a = app(s, appName);
  if (typeof groupName !== 'string' || groupName === '')
    throw new AwsServiceError('DeploymentGroupNameRequiredException', 'Deployment Group name is required');
  const g = a.groups.get(groupName);
  if (!g) throw new AwsServiceError('DeploymentGroupDoesNotExistException', `No Deployment Group found for name: ${groupName}`);
  return g;
}

function deployment(s: CodeDeployState, id: unknown): LocalDeployment {
  if (typeof id !== 'string' || id === '')
    throw new AwsServiceError('DeploymentIdRequiredException', 'At least one deployment ID must be specified.');
  const d = s.deployments.get(id);
  if (!d) throw new AwsServiceError('DeploymentDoesNotExistException', `The deployment ${id} could not be found.`);
  return d;
}

function s3Revision(revision: any): S3Revision {
  if (!revision) throw new AwsServiceError('RevisionRequiredException', 'Revision is required');
  const s3 = revision.s3Location;
  if (revision.revisionType !== 'S3' || !s3?.bucket || !s3?.key) {
    throw new AwsServiceError('InvalidRevisionException', 'The local CodeDeploy takes S3 revisions with a bucket and key only');
  }
  if (s3.bundleType && !['zip', 'tar', 'tgz', 'YAML', 'JSON'].includes(s3.bundleType))
    throw new AwsServiceError('InvalidBundleTypeException', `Invalid bundle type: ${String(s3.bundleType)}`);
  return { bucket: s3.bucket, key: s3.key, bundleType: s3.bundleType ?? 'zip', ...(s3.eTag ? { eTag: s3.eTag } : {}) };
}

const revisionJson = (r: S3Revision) => ({
  revisionType: 'S3',
  s3Location: { bucket: r.bucket, key: r.key, bundleType: r.bundleType, ...(r.eTag ? { eTag: r.eTag } : {}) },
});

const findRevision = (a: LocalApplication, r: S3Revision) =>
  a.revisions.find((x) => x.bucket === r.bucket && x.key === r.key && (!x.eTag || !r.eTag || x.eTag === r.eTag));

function register(a: LocalApplication, r: S3Revision, description?: string): RegisteredRevision {
  let found = findRevision(a, r);
  if (!found) {
    found = { ...r, registerTime: Date.now(), deploymentGroups: new Set() };
    a.revisions.push(found);
  }
  if (description !== undefined) found.description = description;
  return found;
}

function overview(d: LocalDeployment) {
  const o = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 };
  for (const t of d.targets) o[t.status] += 1;
  return o;
}

const summary = (d: LocalDeployment) => ({
  deploymentId: d.deploymentId,
  status: d.status,
  createTime: seconds(d.createTime),
  ...(d.completeTime ? { endTime: seconds(d.completeTime) } : {}),
});

const ended = (d: LocalDeployment) => ['Succeeded', 'Failed', 'Stopped'].includes(d.status);

/** Runs a deployment: instances one at a time; the first failure fails it and skips the rest. */
async function carryOut(s: CodeDeployState, d: LocalDeployment, g: LocalDeploymentGroup): Promise<void> {
  // A moment in Created, as CodeDeploy has, before the instances are known.
  await new Promise((r) => setTimeout(r, 200));
  d.status = 'InProgress';
  d.startTime = Date.now();
  let failed: LocalTarget | undefined;
  for (const t of d.targets) {
    if (failed || d.stopRequested) {
      t.status = 'Skipped';
      for (const e of t.lifecycleEvents) e.status = 'Skipped';
      t.lastUpdatedAt = Date.now();
      continue;
    }
    t.status = 'InProgress';
    t.lastUpdatedAt = Date.now();
    const outcome = await deployToInstance(
      t.instance,
      {
        deploymentId: d.deploymentId,
        applicationName: d.applicationName,
        deploymentGroupName: d.deploymentGroupName,
        deploymentGroupId: g.deploymentGroupId,
        revision: d.revision,
        s3: s.options.s3,
        s3Endpoint: s.options.s3Endpoint,
        env: g.env,
        stopped: () => d.stopRequested,
      },
      t.lifecycleEvents,
    );
    t.status = outcome === 'Stopped' ? 'Skipped' : outcome;
    t.lastUpdatedAt = Date.now();
    if (outcome === 'Failed') failed = t;
  }
  d.completeTime = Date.now();
  if (d.stopRequested) d.status = 'Stopped';
  else if (failed) {
    d.status = 'Failed';
    d.errorInformation = { code: 'HEALTH_CONSTRAINTS', message: HEALTH_CONSTRAINTS };
  } else d.status = 'Succeeded';
  g.lastAttemptedDeployment = summary(d);
  if (d.status === 'Succeeded') g.lastSuccessfulDeployment = summary(d);
  if (rollbackTriggered(d)) await rollBack(s, d, g);
}

/** How long a failed deployment shows no rollbackInfo yet: CodeDeploy starts the rollback a moment after the failure. */
const ROLLBACK_STARTS_AFTER_MS = 500;

/** Whether CodeDeploy rolls this deployment back: its configuration and how it ended (a rollback is never rolled back). */
function rollbackTriggered(d: LocalDeployment): boolean {
  if (d.creator === 'codeDeployRollback') return false;
  const { enabled, events } = d.autoRollbackConfiguration ?? AUTO_ROLLBACK_OFF;
  if (d.status === 'Stopped') return d.rollbackOnStop === true;
  return d.status === 'Failed' && enabled && events.includes('DEPLOYMENT_FAILURE');
}

/**
 * The automatic rollback: a new deployment of the group's last successful revision, to every instance,
 * created a moment after the failure, named in the failed deployment's rollbackInfo (whose message
 * follows the rollback: in progress, then succeeded or failed). Resolves when the rollback has ended.
 */
async function rollBack(s: CodeDeployState, failed: LocalDeployment, g: LocalDeploymentGroup): Promise<void> {
  const last = g.lastSuccessfulDeployment ? s.deployments.get(g.lastSuccessfulDeployment.deploymentId) : undefined;
  if (!last) {
    failed.rollbackInfo = {
      rollbackMessage: `No rollback: deployment group ${g.deploymentGroupName} has no earlier successful deployment to roll back to.`,
    };
    return;
  }
  await new Promise((r) => setTimeout(r, ROLLBACK_STARTS_AFTER_MS));
  // The local cloud is closing (it stops every deployment): start nothing new.
  if (failed.stopRequested && failed.status !== 'Stopped') return;
  const active = activeDeployment(s, g);
  if (active) {
    failed.rollbackInfo = { rollbackMessage: `No rollback: deployment ${active.deploymentId} is already in progress on the group.` };
    return;
  }
  const rollback = startDeployment(s, app(s, g.applicationName), g, last.revision, {
    creator: 'codeDeployRollback',
    autoRollbackConfiguration: failed.autoRollbackConfiguration,
    rollbackInfo: { rollbackTriggeringDeploymentId: failed.deploymentId },
  });
  failed.rollbackInfo = {
    rollbackDeploymentId: rollback.deploymentId,
    rollbackMessage: `Rollback deployment ${rollback.deploymentId} is in progress.`,
  };
  await rollback.done;
  failed.rollbackInfo.rollbackMessage =
    rollback.status === 'Succeeded'
      ? `Rolled back by deployment ${rollback.deploymentId}.`
      : `Rollback deployment ${rollback.deploymentId} ${rollback.status.toLowerCase()}.`;
}

const activeDeployment = (s: CodeDeployState, g: LocalDeploymentGroup): LocalDeployment | undefined =>
  [...s.deployments.values()].find(
    (d) => d.applicationName === g.applicationName && d.deploymentGroupName === g.deploymentGroupName && !ended(d),
  );

/** A new deployment of `revision` to every instance of the group, carried out in the background. */
function startDeployment(
  s: CodeDeployState,
  a: LocalApplication,
  g: LocalDeploymentGroup,
  revision: S3Revision,
  o: Pick<LocalDeployment, 'creator' | 'autoRollbackConfiguration' | 'rollbackInfo' | 'description'>,
): LocalDeployment {
  // CreateDeployment registers a revision it has not seen (as CodeDeploy does).
  const registered = register(a, revision);
  registered.deploymentGroups.add(g.deploymentGroupName);
  registered.firstUsedTime ??= Date.now();
  registered.lastUsedTime = Date.now();
  g.targetRevision = revision;
  const deploymentId = `d-${randomBytes(8)
    .toString('hex')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 9)}`;
  const d: LocalDeployment = {
    deploymentId,
    applicationName: a.applicationName,
    deploymentGroupName: g.deploymentGroupName,
    revision,
    ...(o.description !== undefined ? { description: o.description } : {}),
    status: 'Created',
    createTime: Date.now(),
    targets: g.instances.map((instance) => ({
      targetId: instance.instanceId,
      instance,
      status: 'Pending',
      lastUpdatedAt: Date.now(),
      lifecycleEvents: newLifecycleEvents(),
    })),
    stopRequested: false,
    creator: o.creator,
    autoRollbackConfiguration: o.autoRollbackConfiguration,
    ...(o.rollbackInfo ? { rollbackInfo: o.rollbackInfo } : {}),
    done: Promise.resolve(),
  };
  s.deployments.set(deploymentId, d);
  g.lastAttemptedDeployment = summary(d);
  d.done = carryOut(s, d, g).catch((err: unknown) => {
    // A bug here, not a deployment failure: say so in the deployment rather than leaving it running.
    d.status = 'Failed';
    d.completeTime = Date.now();
    d.errorInformation = { code: 'INTERNAL_ERROR', message: `local CodeDeploy: ${(err as Error).stack ?? String(err)}` };
  });
  return d;
}

/** CreateDeployment's (or a group's) autoRollbackConfiguration, checked as CodeDeploy checks it. */
function autoRollbackConfiguration(value: any, fallback: AutoRollbackConfiguration): AutoRollbackConfiguration {
  if (value === undefined || value === null) return fallback;
  const events: unknown = value.events ?? [];
  if (
    typeof value !== 'object' ||
    (value.enabled !== undefined && typeof value.enabled !== 'boolean') ||
    !Array.isArray(events) ||
    events.some((e) => !AUTO_ROLLBACK_EVENTS.includes(e))
  )
    throw new AwsServiceError(
      'InvalidAutoRollbackConfigException',
      'The automatic rollback configuration was specified in an invalid format.',
    );
  return { enabled: value.enabled === true, events: [...events] as AutoRollbackEvent[] };
}

// ---- the operations, one function each ----

function getApplication(s: CodeDeployState, input: any) {
  const a = app(s, input.applicationName);
  return {
    application: {
      applicationId: a.applicationId,
      applicationName: a.applicationName,
      createTime: seconds(a.createTime),
      linkedToGitHub: false,
      computePlatform: 'Server',
    },
  };
}

function listDeploymentGroups(s: CodeDeployState, input: any) {
  const a = app(s, input.applicationName);
  const names = [...a.groups.keys()].sort();
  const start = input.nextToken ? Number(input.nextToken) : 0;
  const next = start + PAGE;
  return {
    applicationName: a.applicationName,
    deploymentGroups: names.slice(start, next),
    ...(next < names.length ? { nextToken: String(next) } : {}),
  };
}

function getDeploymentGroup(s: CodeDeployState, input: any) {
  const g = group(s, input.applicationName, input.deploymentGroupName);
  return {
    deploymentGroupInfo: {
      applicationName: g.applicationName,
      deploymentGroupId: g.deploymentGroupId,
      deploymentGroupName: g.deploymentGroupName,
      deploymentConfigName: DEPLOYMENT_CONFIG,
      ec2TagFilters: [],
      onPremisesInstanceTagFilters: [],
      autoScalingGroups: [],
      serviceRoleArn: `arn:aws:iam::${s.account}:role/local-codedeploy`,
      ...(g.targetRevision ? { targetRevision: revisionJson(g.targetRevision) } : {}),
      triggerConfigurations: [],
      alarmConfiguration: { enabled: false, ignorePollAlarmFailure: false, alarms: [] },
      autoRollbackConfiguration: g.autoRollbackConfiguration,
      deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' },
      outdatedInstancesStrategy: 'UPDATE',
      ...(g.lastSuccessfulDeployment ? { lastSuccessfulDeployment: g.lastSuccessfulDeployment } : {}),
      ...(g.lastAttemptedDeployment ? { lastAttemptedDeployment: g.lastAttemptedDeployment } : {}),
      computePlatform: 'Server',
    },
  };
}

function registerApplicationRevision(s: CodeDeployState, input: any) {
  const a = app(s, input.applicationName);
  if (typeof input.description === 'string' && input.description.length > 100) {
    throw new AwsServiceError('DescriptionTooLongException', 'The description is too long.');
  }
  register(a, s3Revision(input.revision), input.description);
  return {};
}

function getApplicationRevision(s: CodeDeployState, input: any) {
  const a = app(s, input.applicationName);
  const r = findRevision(a, s3Revision(input.revision));
  if (!r) throw new AwsServiceError('RevisionDoesNotExistException', 'No application revision found for revision.');
  return {
    applicationName: a.applicationName,
    revision: revisionJson(r),
    revisionInfo: {
      ...(r.description !== undefined ? { description: r.description } : {}),
      deploymentGroups: [...r.deploymentGroups],
      registerTime: seconds(r.registerTime),
      ...(r.firstUsedTime ? { firstUsedTime: seconds(r.firstUsedTime), lastUsedTime: seconds(r.lastUsedTime!) } : {}),
    },
  };
}

function createDeployment(s: CodeDeployState, input: any) {
  const a = app(s, input.applicationName);
  const g = group(s, input.applicationName, input.deploymentGroupName);
  const revision = s3Revision(input.revision);
  const active = activeDeployment(s, g);
  if (active)
    throw new AwsServiceError(
      'DeploymentLimitExceededException',
      `The Deployment Group '${g.deploymentGroupName}' already has an active Deployment '${active.deploymentId}'`,
    );
  if (g.instances.length === 0)
    throw new AwsServiceError('InvalidDeploymentGroupNameException', `Deployment group ${g.deploymentGroupName} has no instances`);
  const d = startDeployment(s, a, g, revision, {
    creator: 'user',
    autoRollbackConfiguration: autoRollbackConfiguration(input.autoRollbackConfiguration, g.autoRollbackConfiguration),
    ...(typeof input.description === 'string' ? { description: input.description } : {}),
  });
  return { deploymentId: d.deploymentId };
}

function getDeployment(s: CodeDeployState, input: any) {
  const d = deployment(s, input.deploymentId);
  return {
    deploymentInfo: {
      applicationName: d.applicationName,
      deploymentGroupName: d.deploymentGroupName,
      deploymentConfigName: DEPLOYMENT_CONFIG,
      deploymentId: d.deploymentId,
      revision: revisionJson(d.revision),
      status: d.status,
      ...(d.errorInformation ? { errorInformation: d.errorInformation } : {}),
      createTime: seconds(d.createTime),
      ...(d.startTime ? { startTime: seconds(d.startTime) } : {}),
      ...(d.completeTime ? { completeTime: seconds(d.completeTime) } : {}),
      deploymentOverview: overview(d),
      ...(d.description !== undefined ? { description: d.description } : {}),
      creator: d.creator ?? 'user',
      ignoreApplicationStopFailures: false,
      autoRollbackConfiguration: d.autoRollbackConfiguration ?? AUTO_ROLLBACK_OFF,
      ...(d.rollbackInfo ? { rollbackInfo: { ...d.rollbackInfo } } : {}),
      updateOutdatedInstancesOnly: false,
      deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' },
      instanceTerminationWaitTimeStarted: false,
      fileExistsBehavior: 'DISALLOW',
      deploymentStatusMessages: [],
      computePlatform: 'Server',
    },
  };
}

const DEPLOYMENT_STATUSES = ['Created', 'Queued', 'InProgress', 'Baking', 'Succeeded', 'Failed', 'Stopped', 'Ready'];

/** ListDeployments: the group's deployments (or the account's), newest first, filtered by status and create time, paged. */
function listDeployments(s: CodeDeployState, input: any) {
  // applicationName and deploymentGroupName come together or not at all (API reference).
  const scope =
    input.applicationName !== undefined || input.deploymentGroupName !== undefined
      ? group(s, input.applicationName, input.deploymentGroupName)
      : undefined;
  const statuses: unknown = input.includeOnlyStatuses;
  if (statuses !== undefined && (!Array.isArray(statuses) || statuses.some((x) => !DEPLOYMENT_STATUSES.includes(x))))
    throw new AwsServiceError('InvalidDeploymentStatusException', 'The deployment status was specified in an invalid format.');
  const range = input.createTimeRange as { start?: number; end?: number } | undefined;
  if (range && range.start !== undefined && range.end !== undefined && range.start > range.end)
    throw new AwsServiceError('InvalidTimeRangeException', 'The specified time range was specified in an invalid format.');
  const ids = [...s.deployments.values()]
    .filter(
      (d) =>
        (!scope || (d.applicationName === scope.applicationName && d.deploymentGroupName === scope.deploymentGroupName)) &&
        (!Array.isArray(statuses) || statuses.includes(d.status)) &&
        (range?.start === undefined || seconds(d.createTime) >= range.start) &&
        (range?.end === undefined || seconds(d.createTime) <= range.end),
    )
    .reverse() // insertion order reversed: newest first even within one millisecond
    .sort((a, b) => b.createTime - a.createTime)
    .map((d) => d.deploymentId);
  const start = input.nextToken ? Number(input.nextToken) : 0;
  if (!Number.isInteger(start) || start < 0 || start > ids.length)
    throw new AwsServiceError('InvalidNextTokenException', 'The next token was specified in an invalid format.');
  const next = start + PAGE;
  return { deployments: ids.slice(start, next), ...(next < ids.length ? { nextToken: String(next) } : {}) };
}

/** BatchGetDeployments: GetDeployment's deploymentInfo for each known id (unknown ids are left out), at most 25. */
function batchGetDeployments(s: CodeDeployState, input: any) {
  const ids: unknown = input.deploymentIds;
  if (!Array.isArray(ids) || ids.length === 0)
    throw new AwsServiceError('DeploymentIdRequiredException', 'At least one deployment ID must be specified.');
  if (ids.length > 25)
    throw new AwsServiceError(
      'BatchLimitExceededException',
      'The maximum number of names or IDs allowed for this request (25) was exceeded.',
    );
  return {
    deploymentsInfo: ids
      .filter((id) => typeof id === 'string' && s.deployments.has(id))
      .map((id) => getDeployment(s, { deploymentId: id }).deploymentInfo),
  };
}

function listDeploymentTargets(s: CodeDeployState, input: any) {
  const d = deployment(s, input.deploymentId);
  const statuses: string[] | undefined = input.targetFilters?.TargetStatus;
  // Instances are known once the deployment has started.
  const ids = d.status === 'Created' ? [] : d.targets.filter((t) => !statuses || statuses.includes(t.status)).map((t) => t.targetId);
  const start = input.nextToken ? Number(input.nextToken) : 0;
  const next = start + PAGE;
  return { targetIds: ids.slice(start, next), ...(next < ids.length ? { nextToken: String(next) } : {}) };
}

function batchGetDeploymentTargets(s: CodeDeployState, input: any) {
  const d = deployment(s, input.deploymentId);
  const ids: unknown = input.targetIds;
  if (!Array.isArray(ids) || ids.length === 0)
    throw new AwsServiceError('DeploymentTargetIdRequiredException', 'A deployment target ID was not provided.');
  if (ids.length > 25)
    throw new AwsServiceError(
      'DeploymentTargetListSizeExceededException',
      'The maximum number of deployment target IDs you can specify is 25.',
    );
  return {
    deploymentTargets: ids.map((id) => {
      const t = d.targets.find((x) => x.targetId === id);
      if (!t)
        throw new AwsServiceError(
          'DeploymentTargetDoesNotExistException',
          `The provided target ID ${String(id)} does not belong to the deployment ${d.deploymentId}.`,
        );
      return {
        deploymentTargetType: 'InstanceTarget',
        instanceTarget: {
          deploymentId: d.deploymentId,
          targetId: t.targetId,
          targetArn: `arn:aws:ec2:${s.region}:${s.account}:instance/${t.targetId}`,
          status: t.status,
          lastUpdatedAt: seconds(t.lastUpdatedAt),
          lifecycleEvents: t.lifecycleEvents.map((e) => ({
            lifecycleEventName: e.lifecycleEventName,
            status: e.status,
            ...(e.startTime ? { startTime: seconds(e.startTime) } : {}),
            ...(e.endTime ? { endTime: seconds(e.endTime) } : {}),
            ...(e.diagnostics ? { diagnostics: e.diagnostics } : {}),
          })),
        },
      };
    }),
  };
}

function stopDeployment(s: CodeDeployState, input: any) {
  const d = deployment(s, input.deploymentId);
  if (ended(d)) throw new AwsServiceError('DeploymentAlreadyCompletedException', `The deployment ${d.deploymentId} has already completed.`);
  // The running hook finishes; nothing after it starts. Then it rolls back if asked to (or if the
  // deployment's configuration says so for stops on request).
  d.stopRequested = true;
  d.rollbackOnStop =
    typeof input.autoRollbackEnabled === 'boolean'
      ? input.autoRollbackEnabled
      : (d.autoRollbackConfiguration?.enabled ?? false) &&
        (d.autoRollbackConfiguration?.events.includes('DEPLOYMENT_STOP_ON_REQUEST') ?? false);
  return { status: 'Pending', statusMessage: 'Deployment stop is pending' };
}

// ---- what IAM checks for each operation (Service Authorization Reference, "AWS CodeDeploy") ----

const arn = (s: CodeDeployState, resource: string) => `arn:aws:codedeploy:${s.region}:${s.account}:${resource}`;
const applicationArn = (s: CodeDeployState, name: unknown) => arn(s, `application:${String(name)}`);
const groupArn = (s: CodeDeployState, appName: unknown, groupName: unknown) =>
  arn(s, `deploymentgroup:${String(appName)}/${String(groupName)}`);
/** Operations on a deployment are authorised on its deployment group. */
const deploymentGroupArn = (s: CodeDeployState, id: unknown) => {
  const d = deployment(s, id);
  return groupArn(s, d.applicationName, d.deploymentGroupName);
};

type Operation = {
  handle: (s: CodeDeployState, input: any) => unknown;
  authorize: (s: CodeDeployState, input: any) => { action: string; resource: string }[];
};
const on = (action: string, resource: string) => [{ action: `codedeploy:${action}`, resource }];

/** The operations this local CodeDeploy answers; any other answers UnknownOperationException. */
const OPERATIONS: Record<string, Operation> = {
  GetApplication: { handle: getApplication, authorize: (s, i) => on('GetApplication', applicationArn(s, i.applicationName)) },
  ListDeploymentGroups: {
    handle: listDeploymentGroups,
    authorize: (s, i) => on('ListDeploymentGroups', applicationArn(s, i.applicationName)),
  },
  GetDeploymentGroup: {
    handle: getDeploymentGroup,
    authorize: (s, i) => on('GetDeploymentGroup', groupArn(s, i.applicationName, i.deploymentGroupName)),
  },
  RegisterApplicationRevision: {
    handle: registerApplicationRevision,
    authorize: (s, i) => on('RegisterApplicationRevision', applicationArn(s, i.applicationName)),
  },
  GetApplicationRevision: {
    handle: getApplicationRevision,
    authorize: (s, i) => on('GetApplicationRevision', applicationArn(s, i.applicationName)),
  },
  CreateDeployment: {
    handle: createDeployment,
    // CreateDeployment also reads (and registers) the revision on the application and reads the
    // deployment configuration with the caller's permissions (the template's CreateDeploymentDependencies).
    authorize: (s, i) => [
      ...on('CreateDeployment', groupArn(s, i.applicationName, i.deploymentGroupName)),
      ...on('GetApplicationRevision', applicationArn(s, i.applicationName)),
      ...on('RegisterApplicationRevision', applicationArn(s, i.applicationName)),
      ...on('GetDeploymentConfig', arn(s, `deploymentconfig:${String(i.deploymentConfigName ?? DEPLOYMENT_CONFIG)}`)),
    ],
  },
  GetDeployment: { handle: getDeployment, authorize: (s, i) => on('GetDeployment', deploymentGroupArn(s, i.deploymentId)) },
  ListDeployments: {
    handle: listDeployments,
    // Without an application and group it lists the account's deployments: authorised on the wildcard.
    authorize: (s, i) =>
      on('ListDeployments', i.applicationName === undefined ? '*' : groupArn(s, i.applicationName, i.deploymentGroupName)),
  },
  BatchGetDeployments: {
    handle: batchGetDeployments,
    // Authorised on each deployment's group (unknown ids are answered with nothing, so checked against nothing).
    authorize: (s, i) =>
      (Array.isArray(i.deploymentIds) ? i.deploymentIds : [])
        .filter((id: unknown) => typeof id === 'string' && s.deployments.has(id))
        .flatMap((id: string) => on('BatchGetDeployments', deploymentGroupArn(s, id))),
  },
  // No resource-level permissions: IAM checks these three against "*".
  ListDeploymentTargets: { handle: listDeploymentTargets, authorize: () => on('ListDeploymentTargets', '*') },
  BatchGetDeploymentTargets: { handle: batchGetDeploymentTargets, authorize: () => on('BatchGetDeploymentTargets', '*') },
  StopDeployment: { handle: stopDeployment, authorize: () => on('StopDeployment', '*') },
};

export async function startLocalCodeDeploy(options: LocalCodeDeployOptions): Promise<LocalCodeDeploy> {
  const state: CodeDeployState = {
    applications: new Map(),
    deployments: new Map(),
    options,
    region: options.region ?? 'us-east-1',
    account: options.account ?? '123456789012',
  };
  let instanceCount = 0;
  const handlers: Record<string, Handler> = {};
  const authorize: Record<string, Authorizer> = {};
  for (const [name, op] of Object.entries(OPERATIONS)) {
    handlers[name] = (input) => op.handle(state, input);
    authorize[name] = (input) => op.authorize(state, input);
  }

  const server = await startAwsJsonServer({ targetPrefix: 'CodeDeploy_20141006', protocol: '1.1', handlers, authorize });

  return Object.assign(server, {
    applications: state.applications,
    deployments: state.deployments,
    handlers,
    authorize,
    createApplication(name: string): LocalApplication {
      const a: LocalApplication = {
        applicationId: randomUUID(),
        applicationName: name,
        createTime: Date.now(),
        revisions: [],
        groups: new Map(),
      };
      state.applications.set(name, a);
      return a;
    },
    createDeploymentGroup(
      applicationName: string,
      groupName: string,
      o: { instances: number; env?: Record<string, string>; autoRollback?: AutoRollbackConfiguration },
    ): LocalDeploymentGroup {
      const a = app(state, applicationName);
      const instances: LocalInstance[] = [];
      for (let i = 0; i < o.instances; i++) {
        instanceCount += 1;
        const instanceId = `i-local${String(instanceCount).padStart(2, '0')}`;
        const root = join(options.root, 'instances', instanceId);
        const agentDir = join(options.root, 'agents', instanceId);
        mkdirSync(root, { recursive: true });
        const binDir = makeInstanceBin(join(agentDir, 'bin'));
        instances.push({ instanceId, root, agentDir, binDir });
      }
      const g: LocalDeploymentGroup = {
        deploymentGroupId: randomUUID(),
        deploymentGroupName: groupName,
        applicationName,
        instances,
        env: { ...o.env },
        autoRollbackConfiguration: autoRollbackConfiguration(o.autoRollback, AUTO_ROLLBACK_OFF),
      };
      a.groups.set(groupName, g);
      return g;
    },
  });
}
