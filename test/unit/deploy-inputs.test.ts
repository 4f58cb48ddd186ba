import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDeployInputs } from '../../src/deploy/inputs.js';

const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:ion-deploy';
const SHA = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';
const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';
const parse = (inputs: Record<string, string>, env: NodeJS.ProcessEnv = { GITHUB_SHA: SHA }) => parseDeployInputs(reader(inputs), env);
const messages = async (inputs: Record<string, string>, env?: NodeJS.ProcessEnv) => {
  const r = await parse(inputs, env);
  return 'problems' in r ? r.problems.map((p) => p.message) : [];
};

test('a deploy with the documented defaults', async () => {
  const r = await parse({ group: 'shop-compute-prod', 'state-machine-arn': SM, bucket: 'ion-code', 'app-name': 'shop' });
  expect(r).toEqual({
    inputs: {
      target: {
        mode: 'start',
        group: 'shop-compute-prod',
        rev: SHA,
        appName: 'shop',
        appNameFrom: 'input',
        bucket: 'ion-code',
        prefix: 'ions',
        stateMachineArn: SM,
      },
      wait: true,
      timeoutMinutes: 30,
      stopOnCancel: true,
      githubDeployment: null,
      region: '',
      redeploy: false,
      allowOlder: false,
      githubToken: '',
    },
  });
});

test('follow only: execution-arn instead of group', async () => {
  const arn = 'arn:aws:states:eu-west-1:123456789012:execution:ion-deploy:shop-compute-prod-1a2b3c4-1-1';
  const r = await parse({ 'execution-arn': arn, 'timeout-minutes': '5', wait: 'true' });
  expect('inputs' in r && r.inputs.target).toEqual({ mode: 'follow', executionArn: arn });
});

test('app-name from datomic/ion-config.edn: resources/ first, else found under working-directory', async () => {
  const root = mkdtempSync(join(tmpdir(), 'deploy-inputs-'));
  mkdirSync(join(root, 'services', 'shop', 'resources', 'datomic'), { recursive: true });
  writeFileSync(
    join(root, 'services', 'shop', 'resources', 'datomic', 'ion-config.edn'),
    '{:app-name "shop-from-file" :allow [shop.core/f]}\n',
  );
  mkdirSync(join(root, 'node_modules', 'x', 'datomic'), { recursive: true });
  writeFileSync(join(root, 'node_modules', 'x', 'datomic', 'ion-config.edn'), '{:app-name "not-this"}');
  const base = { group: 'g', 'state-machine-arn': SM, bucket: 'ion-code' };
  const found = await parse(base, { GITHUB_SHA: SHA, GITHUB_WORKSPACE: root });
  expect('inputs' in found && found.inputs.target).toMatchObject({
    appName: 'shop-from-file',
    appNameFrom: join(root, 'services', 'shop', 'resources', 'datomic', 'ion-config.edn'),
  });

  const direct = await parse({ ...base, 'working-directory': 'services/shop' }, { GITHUB_SHA: SHA, GITHUB_WORKSPACE: root });
  expect('inputs' in direct && direct.inputs.target).toMatchObject({ appName: 'shop-from-file' });

  writeFileSync(join(root, 'services', 'shop', 'resources', 'datomic', 'ion-config.edn'), '{:allow [shop.core/f]}\n');
  const bad = await parse({ ...base, 'working-directory': 'services/shop' }, { GITHUB_SHA: SHA, GITHUB_WORKSPACE: root });
  expect('problems' in bad && bad.problems[0]).toMatchObject({
    severity: 'error',
    message: expect.stringContaining('no :app-name'),
    file: expect.stringContaining('ion-config.edn'),
    line: 1,
  });

  const none = await messages(base, { GITHUB_SHA: SHA, GITHUB_WORKSPACE: mkdtempSync(join(tmpdir(), 'empty-')) });
  expect(none).toEqual([
    expect.stringMatching(
      /^app-name: not set, and no datomic\/ion-config\.edn under .*: set `app-name` to the CodeDeploy application name/,
    ),
  ]);
});

test('every problem at once, each saying what to set', async () => {
  expect(await messages({}, {})).toEqual([
    'group: required; set it to the CodeDeploy deployment group to deploy to (or set execution-arn to follow a running deploy)',
  ]);
  const all = await messages(
    {
      group: 'bad group!',
      bucket: 's3://ion-code',
      'state-machine-arn': 'ion-deploy',
      'app-name': 'shop',
      rev: 'has space',
      'timeout-minutes': '0',
      'stop-on-cancel': 'sure',
      region: 'Europe',
    },
    {},
  );
  expect(all).toEqual([
    'stop-on-cancel: "sure" is not a boolean; use true or false',
    'timeout-minutes: "0" is not a number of minutes (more than 0, at most 7200); e.g. 30',
    'region: "Europe" is not an AWS region such as us-east-1',
    'group: "bad group!" is not a CodeDeploy deployment group name (1–100 letters, digits and . _ + = , @ -)',
    'rev: revision "has space" is not a valid revision name: use 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
    'state-machine-arn: "ion-deploy" is not a state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>)',
    'bucket: "s3://ion-code" is not an S3 bucket name (3–63 lower-case letters, digits, "." and "-"); give the name, not an s3:// URL or ARN',
  ]);
  expect(await messages({ group: 'g', 'state-machine-arn': SM, bucket: 'ion-code', 'app-name': 'shop' }, {})).toEqual([
    "rev: required outside a workflow run; set it to the pushed revision (the push action's `rev` output)",
  ]);
  expect(await messages({ 'execution-arn': 'arn:aws:states:us-east-1:123456789012:execution:m:n', 'github-deployment': 'true' })).toEqual([
    'github-deployment: only for starting a deploy (group), not for following an execution-arn; remove it',
  ]);
});

test('github-deployment: the environment defaults to the group, a token is needed', async () => {
  const base = { group: 'shop-compute-prod', 'state-machine-arn': SM, bucket: 'ion-code', 'app-name': 'shop', 'github-deployment': 'true' };
  const r = await parse({ ...base, 'github-token': 't' });
  expect('inputs' in r && r.inputs.githubDeployment).toEqual({ token: 't', environment: 'shop-compute-prod' });
  expect(await messages(base)).toEqual([expect.stringMatching(/^github-token: required when github-deployment is true/)]);
});

test('redeploy, allow-older and rev: previous', async () => {
  const base = { group: 'shop-compute-prod', 'state-machine-arn': SM, bucket: 'ion-code', 'app-name': 'shop' };
  const r = await parse({ ...base, redeploy: 'true', 'allow-older': 'yes', rev: 'previous', 'github-token': 'ghs_x' });
  expect('inputs' in r && r.inputs).toMatchObject({ redeploy: true, allowOlder: true, githubToken: 'ghs_x', target: { rev: 'previous' } });
  // `previous` is a keyword, not checked as a revision name; anything else still is.
  expect(await messages({ ...base, rev: 'previous!' })).toEqual([
    expect.stringMatching(/^rev: revision "previous!" is not a valid revision name/),
  ]);
  expect(
    await messages({ 'execution-arn': 'arn:aws:states:us-east-1:123456789012:execution:m:n', redeploy: 'true', 'allow-older': 'maybe' }),
  ).toEqual([
    'allow-older: "maybe" is not a boolean; use true or false',
    'redeploy: only for starting a deploy (group), not for following an execution-arn; remove it',
  ]);
});
