/**
 * Re-runs, order, `rev: previous` and the diff in the deploy core (src/core/deploy/running-revision.ts,
 * deploy-order.ts), with plain-data ports: what the group runs is an array, ancestry a table.
 */
import { describe, expect, test } from '@jest/globals';
import yazl from 'yazl';
import { classifyPollError } from '../../src/aws/poll-errors.js';
import type { Clock } from '../../src/core/deploy/clock.js';
import type { DeployEvent } from '../../src/core/deploy/deploy-events.js';
import { type DeployPorts, runDeploy, type StartRequest } from '../../src/core/deploy/deploy-flow.js';
import { commitsToOrder, firstKnown, isSameBundle, pickPrevious } from '../../src/core/deploy/deploy-order.js';
import { revOfBundleKey } from '../../src/core/layout.js';
import { PollPacer } from '../../src/core/deploy/poll-pacer.js';
import type {
  Ancestry,
  AncestryPort,
  BundlePort,
  CodeDeployPort,
  GroupRevisionRecord,
  HistoryEvent,
  RunningRevision,
  StepFunctionsPort,
} from '../../src/core/deploy/ports.js';
import { type Manifest, MANIFEST_FORMAT, MANIFEST_VERSION } from '../../src/core/manifest/schema.js';
import { UserError } from '../../src/core/problems.js';

const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:ion-deploy';
const OLD = 'a'.repeat(40);
const NEW = 'b'.repeat(40);
const NEWER = 'c'.repeat(40);
const key = (rev: string) => `ions/shop/revisions/${rev}.zip`;

const request = (rev: string, over: Partial<StartRequest> = {}): StartRequest => ({
  mode: 'start',
  appName: 'shop',
  group: 'prod',
  rev,
  bucket: 'code',
  prefix: 'ions',
  stateMachineArn: SM,
  wait: true,
  timeoutMs: 600_000,
  stopOnCancel: true,
  github: null,
  ...over,
});

function manifest(rev: string, over: Partial<Manifest> = {}): Manifest {
  return {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    appName: 'shop',
    rev,
    bucket: 'code',
    commit: /^[0-9a-f]{40}$/.test(rev) ? rev : null,
    reproducible: /^[0-9a-f]{40}$/.test(rev),
    classpath: [
      { key: 'o/1.jar', sha256: '1', size: 1, kind: 'maven', packaging: 'jar', origin: 'org.clojure/clojure 1.11.1' },
      { key: 'o/2.zip', sha256: `src-${rev}`, size: 1, kind: 'project', packaging: 'dir', origin: 'src' },
    ],
    lambdas: [],
    ionConfig: {},
    ...over,
  };
}

const zip = (files: Record<string, string>) =>
  new Promise<Buffer>((resolve) => {
    const z = new yazl.ZipFile();
    for (const [name, text] of Object.entries(files)) z.addBuffer(Buffer.from(text), name);
    z.end();
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });

const deployed = (rev: string, id: string, over: Partial<RunningRevision> = {}): RunningRevision => ({
  rev,
  bucket: 'code',
  key: key(rev),
  eTag: `etag-${rev}`,
  deploymentId: id,
  completedAt: new Date(Date.UTC(2026, 0, 1)),
  rollback: false,
  manifest: manifest(rev),
  ...over,
});

interface WorldOptions {
  /** Bundles in the bucket, by revision (the manifest written into each). */
  bundles: Record<string, Manifest>;
  running?: RunningRevision | null;
  history?: GroupRevisionRecord[];
  /** What ancestry answers for "running vs requested" (`${running}>${requested}`). */
  ancestry?: Record<string, Ancestry>;
  noGroupPort?: boolean;
  ancestryThrows?: boolean;
}

async function world(o: WorldOptions) {
  const clock: Clock & { t: number } = { t: 1_000_000, now: () => clock.t, sleep: async (ms) => void (clock.t += ms) };
  const zips = new Map<string, Buffer>();
  for (const [rev, m] of Object.entries(o.bundles)) zips.set(key(rev), await zip({ 'ion-manifest.json': JSON.stringify(m) }));
  const started: { name: string; input: any }[] = [];
  const calls: string[] = [];
  const history: HistoryEvent[] = [
    { id: 1, type: 'ExecutionStarted', timestamp: new Date(clock.t) },
    { id: 2, type: 'ExecutionSucceeded', timestamp: new Date(clock.t + 1000), data: '{"DeploymentId":"d-NEW000001","Lambdas":[]}' },
  ];
  const sfn: StepFunctionsPort = {
    async startExecution(r) {
      started.push({ name: r.name, input: JSON.parse(r.input) });
      return { executionArn: `${SM}:${r.name}`.replace(':stateMachine:', ':execution:'), startDate: new Date(clock.t) };
    },
    describeExecution: async () => null,
    listRunningExecutions: async () => {
      calls.push('listRunningExecutions');
      return [];
    },
    getHistoryPage: async (r) => ({ events: r.reverseOrder ? [...history].reverse() : history }),
    stopExecution: async () => undefined,
  };
  const codedeploy = {
    getApplicationRevision: async () => ({ found: true }),
    deploymentGroupExists: async () => true,
    listDeploymentGroups: async () => ['prod'],
  } as unknown as CodeDeployPort;
  const bundles: BundlePort = {
    getBundle: async (_bucket, k) => (zips.has(k) ? { bytes: zips.get(k)!, eTag: `etag-${revOfBundleKey(k)}` } : null),
  };
  const ancestryCalls: [string, string][] = [];
  const ancestry: AncestryPort = {
    async relate(running, requested) {
      ancestryCalls.push([running, requested]);
      if (o.ancestryThrows) throw new Error('socket hang up');
      const relation = o.ancestry?.[`${running}>${requested}`];
      return relation ? { relation, source: 'git' } : { relation: 'unknown', source: 'git', why: 'the checkout is shallow' };
    },
  };
  const ports: DeployPorts = {
    sfn,
    codedeploy,
    bundles,
    clock,
    pacer: new PollPacer(clock),
    classifyError: classifyPollError,
    random: () => 0,
    ...(o.noGroupPort
      ? {}
      : {
          groupRevisions: {
            running: async () => {
              calls.push('running');
              return o.running ?? null;
            },
            succeeded: async (_a, _g, limit) => (o.history ?? []).slice(0, limit),
          },
          ancestry,
        }),
  };
  const events: DeployEvent[] = [];
  const run = (r: StartRequest) => runDeploy(r, ports, (e) => events.push(e));
  return { run, started, events, calls, ancestryCalls };
}

const kinds = (events: DeployEvent[]) => events.map((e) => e.kind);

describe('re-runs', () => {
  test('the group already runs this revision: SKIPPED, nothing started, the running deployment named', async () => {
    const w = await world({ bundles: { [NEW]: manifest(NEW) }, running: deployed(NEW, 'd-RUNNING01') });
    const result = await w.run(request(NEW));
    expect(result).toMatchObject({ status: 'SKIPPED', executionArn: '', deploymentId: 'd-RUNNING01', rev: NEW });
    expect(result.groupCheck).toMatchObject({ skipped: true, running: { deploymentId: 'd-RUNNING01' } });
    expect(w.started).toEqual([]);
    expect(w.events).toContainEqual({ kind: 'already-deployed', group: 'prod', rev: NEW, deploymentId: 'd-RUNNING01', redeploy: false });
    expect(w.ancestryCalls).toEqual([]);
  });

  test('redeploy: true starts it again, saying so', async () => {
    const w = await world({ bundles: { [NEW]: manifest(NEW) }, running: deployed(NEW, 'd-RUNNING01') });
    const result = await w.run(request(NEW, { redeploy: true }));
    expect(result.status).toBe('SUCCEEDED');
    expect(w.started).toHaveLength(1);
    expect(w.events).toContainEqual(expect.objectContaining({ kind: 'already-deployed', redeploy: true }));
    expect(w.events).toContainEqual(expect.objectContaining({ kind: 'revision-diff', diff: expect.objectContaining({ same: true }) }));
  });

  test('the same key with another ETag is another bundle: deployed, not skipped', async () => {
    const w = await world({ bundles: { [NEW]: manifest(NEW) }, running: deployed(NEW, 'd-RUNNING01', { eTag: 'other' }) });
    expect((await w.run(request(NEW))).status).toBe('SUCCEEDED');
    expect(kinds(w.events)).not.toContain('already-deployed');
  });

  test('what the group runs is read after waiting for another deploy to it, not before', async () => {
    const w = await world({ bundles: { [NEW]: manifest(NEW) }, running: deployed(NEW, 'd-RUNNING01') });
    await w.run(request(NEW));
    expect(w.calls).toEqual(['listRunningExecutions', 'running']);
  });

  test('a group never deployed: deployed, everything new', async () => {
    const w = await world({ bundles: { [NEW]: manifest(NEW) }, running: null });
    const result = await w.run(request(NEW));
    expect(result.status).toBe('SUCCEEDED');
    expect(w.events).toContainEqual({ kind: 'group-running', group: 'prod', running: null });
    expect(result.groupCheck).toEqual({ running: null, skipped: false });
  });

  test('without the group port (follow-only callers, older tests) nothing changes', async () => {
    const w = await world({ bundles: { [NEW]: manifest(NEW) }, noGroupPort: true });
    const result = await w.run(request(NEW));
    expect(result.status).toBe('SUCCEEDED');
    expect(result.groupCheck).toBeUndefined();
  });
});

describe('older over newer', () => {
  test('the group runs a later commit that contains the requested one: refused, naming both commits and the override', async () => {
    const w = await world({
      bundles: { [OLD]: manifest(OLD) },
      running: deployed(NEW, 'd-RUNNING01'),
      ancestry: { [`${NEW}>${OLD}`]: 'descendant' },
    });
    const err = await w.run(request(OLD)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    const message = (err as Error).message;
    expect(message).toContain(OLD);
    expect(message).toContain(NEW);
    expect(message).toContain('allow-older: true');
    expect(w.started).toEqual([]);
    expect(w.events).toContainEqual(
      expect.objectContaining({ kind: 'deploy-order', order: expect.objectContaining({ verdict: 'older', source: 'git' }) }),
    );
  });

  test('allow-older: true deploys it, reporting the rollback', async () => {
    const w = await world({
      bundles: { [OLD]: manifest(OLD) },
      running: deployed(NEW, 'd-RUNNING01'),
      ancestry: { [`${NEW}>${OLD}`]: 'descendant' },
    });
    const result = await w.run(request(OLD, { allowOlder: true }));
    expect(result.status).toBe('SUCCEEDED');
    expect(result.groupCheck?.order).toMatchObject({ verdict: 'older', runningCommit: NEW, requestedCommit: OLD });
    expect(w.events).toContainEqual(expect.objectContaining({ kind: 'deploy-order', allowOlder: true }));
  });

  test('newer, diverged and the same commit deploy', async () => {
    for (const [relation, verdict] of [
      ['ancestor', 'newer'],
      ['diverged', 'diverged'],
    ] as const) {
      const w = await world({
        bundles: { [NEWER]: manifest(NEWER) },
        running: deployed(NEW, 'd-R'),
        ancestry: { [`${NEW}>${NEWER}`]: relation },
      });
      expect((await w.run(request(NEWER))).groupCheck?.order?.verdict).toBe(verdict);
    }
    // Another name for the same commit (another bucket, say): the manifests tell, nobody is asked.
    const w = await world({ bundles: { [NEW]: manifest(NEW) }, running: deployed(NEW, 'd-R', { bucket: 'elsewhere' }) });
    expect((await w.run(request(NEW))).groupCheck?.order).toMatchObject({ verdict: 'same-commit', source: 'manifests' });
    expect(w.ancestryCalls).toEqual([]);
  });

  test('when nothing can tell: warned (unknown, with the reason) and deployed', async () => {
    const w = await world({ bundles: { [OLD]: manifest(OLD) }, running: deployed(NEW, 'd-R') });
    const result = await w.run(request(OLD));
    expect(result.status).toBe('SUCCEEDED');
    expect(result.groupCheck?.order).toMatchObject({ verdict: 'unknown', why: 'the checkout is shallow' });
  });

  test('an ancestry port that throws is unknown, never a failed deploy', async () => {
    const w = await world({ bundles: { [OLD]: manifest(OLD) }, running: deployed(NEW, 'd-R'), ancestryThrows: true });
    const result = await w.run(request(OLD));
    expect(result.status).toBe('SUCCEEDED');
    expect(result.groupCheck?.order).toMatchObject({ verdict: 'unknown', why: expect.stringContaining('socket hang up') });
  });

  test('unreproducible (uname) revisions are not ordered, and say so', async () => {
    const w = await world({ bundles: { 'my-hotfix': manifest('my-hotfix') }, running: deployed(NEW, 'd-R'), ancestry: {} });
    const result = await w.run(request('my-hotfix'));
    expect(result.status).toBe('SUCCEEDED');
    expect(result.groupCheck?.order).toMatchObject({
      verdict: 'unordered',
      why: expect.stringContaining('the requested my-hotfix is unreproducible'),
    });
    expect(w.ancestryCalls).toEqual([]);
  });

  test('the running manifest cannot be read: a warning event, no diff, order unknown, deployed', async () => {
    const running = deployed(NEW, 'd-R', { manifest: undefined, manifestProblem: 'AccessDenied (HTTP 403)' });
    const w = await world({ bundles: { [OLD]: manifest(OLD) }, running });
    const result = await w.run(request(OLD));
    expect(result.status).toBe('SUCCEEDED');
    expect(w.events).toContainEqual({ kind: 'revision-diff-unavailable', runningRev: NEW, why: 'AccessDenied (HTTP 403)' });
    expect(result.groupCheck).toMatchObject({ diffProblem: 'AccessDenied (HTTP 403)', order: { verdict: 'unknown' } });
  });
});

describe('rev: previous', () => {
  const history = [
    deployed(NEW, 'd-3'),
    deployed(NEW, 'd-2'), // a redeploy of the current revision: passed over
    deployed(OLD, 'd-1', { rollback: true }),
    deployed('older-uname', 'd-0'),
  ];

  test('resolves to the revision the group ran before its current one, names it, and deploys it (an allowed rollback)', async () => {
    const w = await world({
      bundles: { [OLD]: manifest(OLD) },
      running: deployed(NEW, 'd-3'),
      history,
      ancestry: { [`${NEW}>${OLD}`]: 'descendant' },
    });
    const result = await w.run(request('previous'));
    expect(w.events[0]).toMatchObject({ kind: 'previous-resolved', rev: OLD, deploymentId: 'd-1', rollback: true, currentRev: NEW });
    expect(result).toMatchObject({ status: 'SUCCEEDED', rev: OLD });
    expect(w.started[0]!.input).toMatchObject({ rev: OLD, bundle: { key: key(OLD) } });
    expect(result.groupCheck).toMatchObject({ previous: { rev: OLD }, order: { verdict: 'older' } });
  });

  test('no previous revision, or never deployed: an error that says to set rev', async () => {
    const only = await world({ bundles: {}, running: deployed(NEW, 'd-3'), history: [deployed(NEW, 'd-3'), deployed(NEW, 'd-2')] });
    await expect(only.run(request('previous'))).rejects.toThrow(/has run only .* no previous revision .*Set `rev`/);
    const never = await world({ bundles: {}, running: null });
    await expect(never.run(request('previous'))).rejects.toThrow(/no successful deployment .*Set `rev`/);
  });

  test('a previous revision pushed under another prefix or bucket: an error naming both places', async () => {
    const elsewhere = deployed(OLD, 'd-1', { key: `other/shop/revisions/${OLD}.zip` });
    const w = await world({ bundles: {}, running: deployed(NEW, 'd-3'), history: [deployed(NEW, 'd-3'), elsewhere] });
    await expect(w.run(request('previous'))).rejects.toThrow(
      /s3:\/\/code\/other\/shop\/revisions\/a+\.zip, not a bundle of s3:\/\/code\/ions\/shop\/revisions\//,
    );
  });
});

describe('the diff', () => {
  test('a dependency change: the diff event names the library, old → new', async () => {
    const next = manifest(NEWER, {
      classpath: [{ key: 'o/3.jar', sha256: '3', size: 1, kind: 'maven', packaging: 'jar', origin: 'org.clojure/clojure 1.12.0' }],
    });
    const w = await world({ bundles: { [NEWER]: next }, running: deployed(NEW, 'd-R'), ancestry: { [`${NEW}>${NEWER}`]: 'ancestor' } });
    const result = await w.run(request(NEWER));
    expect(result.groupCheck?.diff?.libraries.changed).toEqual([{ name: 'org.clojure/clojure', from: '1.11.1', to: '1.12.0' }]);
    expect(result.groupCheck?.diff?.projectPaths.removed).toEqual(['src']);
    expect(kinds(w.events)).toEqual(expect.arrayContaining(['group-running', 'revision-diff', 'deploy-order', 'execution-started']));
  });
});

describe('the pure rules', () => {
  test('revOfBundleKey: the name in …/revisions/<rev>.zip, else the key', () => {
    expect(revOfBundleKey(`ions/shop/revisions/${NEW}.zip`)).toBe(NEW);
    expect(revOfBundleKey('revisions/x.zip')).toBe('x');
    expect(revOfBundleKey('somewhere/else.zip')).toBe('somewhere/else.zip');
  });

  test('isSameBundle: bucket and key, and the ETag when both have one (quotes ignored)', () => {
    const a = { bucket: 'b', key: 'k', eTag: '"x"' };
    expect(isSameBundle(a, { bucket: 'b', key: 'k', eTag: 'x' })).toBe(true);
    expect(isSameBundle(a, { bucket: 'b', key: 'k' })).toBe(true);
    expect(isSameBundle(a, { bucket: 'b', key: 'k', eTag: 'y' })).toBe(false);
    expect(isSameBundle(a, { bucket: 'c', key: 'k', eTag: 'x' })).toBe(false);
  });

  test('pickPrevious passes over the current deployment and redeploys of its bundle', () => {
    const current = deployed(NEW, 'd-3');
    expect(pickPrevious(current, [current, deployed(NEW, 'd-2'), deployed(OLD, 'd-1')])?.deploymentId).toBe('d-1');
    expect(pickPrevious(current, [current])).toBeUndefined();
  });

  test('commitsToOrder: both reproducible with commits, else why not', () => {
    expect(commitsToOrder(manifest(NEW), manifest(OLD))).toEqual({ runningCommit: NEW, requestedCommit: OLD });
    expect(commitsToOrder(manifest('u1'), manifest('u2'))).toEqual({
      unordered:
        'the requested u2 and the running u1 are unreproducible (a uname revision): such revisions have no commit that orders them',
    });
  });

  test('firstKnown: the first port that can tell answers; otherwise unknown with every reason', async () => {
    const unknown = (why: string): AncestryPort => ({ relate: async () => ({ relation: 'unknown', source: why, why: `${why} cannot` }) });
    const knows: AncestryPort = { relate: async () => ({ relation: 'ancestor', source: 'GitHub' }) };
    expect(await firstKnown([unknown('git'), knows]).relate(NEW, OLD)).toEqual({ relation: 'ancestor', source: 'GitHub' });
    expect(await firstKnown([unknown('git'), unknown('GitHub')]).relate(NEW, OLD)).toEqual({
      relation: 'unknown',
      why: 'git: git cannot; GitHub: GitHub cannot',
    });
  });
});
