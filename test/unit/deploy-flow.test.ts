import yazl from 'yazl';
import type { Clock } from '../../src/core/deploy/clock.js';
import type { DeployEvent } from '../../src/core/deploy/deploy-events.js';
import { runDeploy, type DeployPorts, type StartRequest } from '../../src/core/deploy/deploy-flow.js';
import { PollPacer } from '../../src/core/deploy/poll-pacer.js';
import { classifyPollError } from '../../src/aws/poll-errors.js';
import type { BundlePort, CodeDeployPort, HistoryEvent, StepFunctionsPort } from '../../src/core/deploy/ports.js';
import { MANIFEST_FORMAT, MANIFEST_VERSION } from '../../src/core/manifest/schema.js';
import { UserError } from '../../src/core/problems.js';

const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:ion-deploy';
const request: StartRequest = {
  mode: 'start',
  appName: 'shop',
  group: 'prod',
  rev: 'abc',
  bucket: 'code',
  prefix: 'ions',
  stateMachineArn: SM,
  wait: true,
  timeoutMs: 600_000,
  stopOnCancel: true,
  github: { repository: 'a/b', runId: '42', runAttempt: '1', sha: 'abc', serverUrl: 'https://github.com', actor: 'me' },
};

const zip = (files: Record<string, string>) =>
  new Promise<Buffer>((resolve) => {
    const z = new yazl.ZipFile();
    for (const [name, text] of Object.entries(files)) z.addBuffer(Buffer.from(text), name);
    z.end();
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });

const manifest = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    appName: 'shop',
    rev: 'abc',
    bucket: 'code',
    commit: null,
    reproducible: false,
    classpath: [],
    lambdas: [{ name: 'get', fn: 'a/b', description: '', timeoutSecs: 60, concurrencyLimit: 20, integration: null }],
    ionConfig: {},
    ...over,
  });

function world(o: { bundle?: Buffer | null; revision?: 'ok' | 'application' | 'revision'; startErrors?: string[]; output?: string } = {}) {
  const clock: Clock & { t: number } = { t: 1_000_000, now: () => clock.t, sleep: async (ms) => void (clock.t += ms) };
  const started: { name: string; input: string }[] = [];
  const startErrors = [...(o.startErrors ?? [])];
  const history: HistoryEvent[] = [
    { id: 1, type: 'ExecutionStarted', timestamp: new Date(clock.t) },
    {
      id: 2,
      type: 'ExecutionSucceeded',
      timestamp: new Date(clock.t + 1000),
      data: o.output ?? '{"DeploymentId":"d-ABCDEFGH1","Lambdas":["prod_get"]}',
    },
  ];
  const sfn: StepFunctionsPort = {
    async startExecution(r) {
      const err = startErrors.shift();
      if (err) throw Object.assign(new Error(err), { name: err });
      started.push({ name: r.name, input: r.input });
      return { executionArn: `${SM}:${r.name}`.replace(':stateMachine:', ':execution:'), startDate: new Date(clock.t) };
    },
    describeExecution: async () => null,
    listRunningExecutions: async () => [],
    getHistoryPage: async (r) => ({ events: r.reverseOrder ? [...history].reverse() : history }),
    stopExecution: async () => undefined,
  };
  const codedeploy = {
    getApplicationRevision: async () =>
      o.revision === 'application'
        ? { found: false, missing: 'application' }
        : o.revision === 'revision'
          ? { found: false, missing: 'revision' }
          : { found: true },
    deploymentGroupExists: async () => true,
    listDeploymentGroups: async () => ['prod'],
  } as unknown as CodeDeployPort;
  const bundles: BundlePort = { getBundle: async () => (o.bundle === null ? null : { bytes: o.bundle!, eTag: '"etag"' }) };
  const ports: DeployPorts = {
    sfn,
    codedeploy,
    bundles,
    clock,
    pacer: new PollPacer(clock),
    classifyError: classifyPollError,
    random: () => 0,
  };
  return { ports, started };
}

const run = async (w: ReturnType<typeof world>, r: StartRequest = request) => {
  const events: DeployEvent[] = [];
  const result = await runDeploy(r, w.ports, (e) => events.push(e));
  return { result, events };
};

test('starts with the contract input, and a second name when the first was used by an ended execution', async () => {
  const w = world({ bundle: await zip({ 'ion-manifest.json': manifest() }), startErrors: ['ExecutionAlreadyExists'] });
  const { result } = await run(w);
  expect(w.started.map((s) => s.name)).toEqual(['prod-abc-42-1-2']);
  expect(JSON.parse(w.started[0]!.input)).toEqual({
    version: 1,
    appName: 'shop',
    group: 'prod',
    rev: 'abc',
    bundle: { bucket: 'code', key: 'ions/shop/revisions/abc.zip', eTag: '"etag"' },
    lambdas: [
      { name: 'get', fn: 'a/b', description: '', timeoutSecs: 60, concurrencyLimit: 20, integration: null, functionName: 'prod_get' },
    ],
    github: request.github,
  });
  expect(result).toMatchObject({ status: 'SUCCEEDED', deploymentId: 'd-ABCDEFGH1', lambdas: ['prod_get'] });
});

test('an execution output outside the contract is reported, not fatal', async () => {
  const w = world({ bundle: await zip({ 'ion-manifest.json': manifest() }), output: '{"ok":true}' });
  const { result } = await run(w);
  expect(result.status).toBe('SUCCEEDED');
  expect(result.outputProblem).toBe('the execution output has no DeploymentId string and no Lambdas array of strings');
});

test.each([
  [
    'no bundle',
    { bundle: null },
    /^Revision abc was never pushed for app shop \(no bundle at s3:\/\/code\/ions\/shop\/revisions\/abc\.zip/,
  ],
  [
    'not a zip',
    { bundle: Buffer.from('nope') },
    /^s3:\/\/code\/ions\/shop\/revisions\/abc\.zip is not a revision bundle: the bundle is not a zip file/,
  ],
  ['another revision', { manifestOver: { rev: 'def' } }, /holds revision def of shop, not abc of shop\. Push the revision again\.$/],
  ['a newer manifest', { manifestOver: { version: 2 } }, /ion-manifest\.json has version 2; this deploy action reads version 1/],
  ['no application', { revision: 'application' as const }, /^CodeDeploy application shop does not exist in this account and region/],
  [
    'not registered',
    { revision: 'revision' as const },
    /^Revision abc was never pushed for app shop \(CodeDeploy has no revision s3:\/\/code\/ions\/shop\/revisions\/abc\.zip\)/,
  ],
  ['no state machine', { startErrors: ['StateMachineDoesNotExist'] }, /^State machine arn:.* does not exist: set `state-machine-arn`/],
])(
  'pre-flight and start problems say what to do: %s',
  async (_name, o: {
    bundle?: Buffer | null;
    manifestOver?: Record<string, unknown>;
    revision?: 'application' | 'revision';
    startErrors?: string[];
  }, message) => {
    const bundle = o.bundle !== undefined ? o.bundle : await zip({ 'ion-manifest.json': manifest(o.manifestOver) });
    const w = world({ ...o, bundle });
    const err = await run(w).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(message);
  },
);

test('Lambda function names over 64 characters stop the deploy before it starts', async () => {
  const w = world({ bundle: await zip({ 'ion-manifest.json': manifest() }) });
  const err = await run(w, { ...request, group: 'g'.repeat(62) }).catch((e: unknown) => e);
  expect((err as Error).message).toMatch(/^Lambda function names longer than 64 characters: g{62}_get\. Shorten/);
  expect(w.started).toEqual([]);
});
