import { UserError } from '../../src/core/problems.js';
import { parseDeployInputs } from '../../src/deploy/inputs.js';
import { inputProblemsError } from '../../src/github/input-rules.js';
import { pushEnvironment } from '../../src/push/environment.js';
import { parsePushInputs } from '../../src/push/inputs.js';
import { parseAliases } from '../../src/core/classpath/parse-aliases.js';

const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('parsePushInputs', () => {
  test('defaults', () => {
    expect(parsePushInputs(reader({ bucket: 'my-ion-code' }), '/ws')).toEqual({
      inputs: {
        bucket: 'my-ion-code',
        prefix: 'ions',
        projectDir: '/ws',
        aliases: '',
        classpath: '',
        uname: '',
        dryRun: false,
        region: '',
      },
    });
  });

  test('every error at once, each saying what to set', () => {
    const r = parsePushInputs(
      reader({ bucket: 's3://Bad', 'dry-run': 'maybe', aliases: ':ok:b@d', uname: 'a b', region: 'mars', prefix: '../x' }),
      '/ws',
    );
    expect('problems' in r && r.problems.every((p) => p.severity === 'error')).toBe(true);
    expect('problems' in r && r.problems.map((p) => p.message)).toEqual([
      'dry-run: "maybe" is not a boolean; use true or false',
      expect.stringMatching(/^bucket: "s3:\/\/Bad" is not an S3 bucket name/),
      expect.stringMatching(/^prefix: /),
      expect.stringMatching(/^aliases: "b@d"/),
      expect.stringMatching(/^uname: /),
      expect.stringMatching(/^region: /),
    ]);
  });

  test('bucket is required unless dry-run', () => {
    expect(parsePushInputs(reader({}), '/ws')).toEqual({
      problems: [{ severity: 'error', message: expect.stringMatching(/^bucket: required/) }],
    });
    expect(parsePushInputs(reader({ 'dry-run': 'true' }), '/ws')).toMatchObject({ inputs: { bucket: '', dryRun: true } });
  });

  test('working-directory is resolved against the workspace', () => {
    expect(parsePushInputs(reader({ bucket: 'abc', 'working-directory': 'services/app' }), '/ws')).toMatchObject({
      inputs: { projectDir: '/ws/services/app' },
    });
  });

  test('aliases and classpath together are ambiguous', () => {
    expect(parsePushInputs(reader({ bucket: 'abc', aliases: ':prod', classpath: 'src' }), '/ws')).toEqual({
      problems: [{ severity: 'error', message: expect.stringMatching(/set one of them/) }],
    });
  });
});

describe('parseAliases', () => {
  test.each([
    [':prod:ion', ':prod:ion'],
    ['prod ion', ':prod:ion'],
    [':prod, :ion', ':prod:ion'],
    ['', ''],
    [':my/alias', ':my/alias'],
  ])('%j → %j', (input, value) => expect(parseAliases(input)).toEqual({ value }));
});

describe('one set of input rules for push and deploy', () => {
  const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:ion-deploy';
  const deployMessages = async (inputs: Record<string, string>) => {
    const r = await parseDeployInputs(reader({ group: 'g', 'state-machine-arn': SM, 'app-name': 'shop', rev: 'abc', ...inputs }), {});
    return 'problems' in r ? r.problems.map((p) => p.message) : [];
  };
  const pushMessages = (inputs: Record<string, string>) => {
    const r = parsePushInputs(reader(inputs), '/ws');
    return 'problems' in r ? r.problems.map((p) => p.message) : [];
  };

  test('a bad bucket, region or boolean reads the same in both actions', async () => {
    const bad = { bucket: 'My_Bucket', region: 'moon-1', 'dry-run': 'maybe', wait: 'maybe' };
    const push = pushMessages(bad);
    const deploy = await deployMessages(bad);
    for (const field of ['bucket: "My_Bucket"', 'region: "moon-1"']) {
      const inPush = push.find((m) => m.startsWith(field));
      expect(inPush).toBeDefined();
      expect(deploy).toContain(inPush);
    }
    expect(push).toContain('dry-run: "maybe" is not a boolean; use true or false');
    expect(deploy).toContain('wait: "maybe" is not a boolean; use true or false');
  });

  test('a bad prefix: the same rule, each action saying what to use', async () => {
    expect(pushMessages({ bucket: 'abc', prefix: 'a/../b' })).toEqual([
      expect.stringMatching(/^prefix: "a\/\.\.\/b" is not a safe S3 key prefix; use letters/),
    ]);
    expect(await deployMessages({ bucket: 'abc', prefix: 'a/../b' })).toEqual([
      expect.stringMatching(/^prefix: "a\/\.\.\/b" is not a safe S3 key prefix; use the prefix given to push/),
    ]);
  });

  test('bad inputs end the same way in both: every problem annotated, one failure message', () => {
    const err = inputProblemsError([
      { severity: 'error', message: 'a' },
      { severity: 'error', message: 'b' },
    ]);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe("2 input problems (above): fix the step's `with:` block.");
    expect(err.problems).toHaveLength(2);
  });
});

describe('pushEnvironment', () => {
  test('GITLIBS wins over ~/.gitlibs; the Maven repository is under the home directory', () => {
    expect(pushEnvironment({}, '/home/runner')).toEqual({ mavenRepo: '/home/runner/.m2/repository', gitlibs: '/home/runner/.gitlibs' });
    expect(pushEnvironment({ GITLIBS: '/cache/gitlibs' }, '/home/runner').gitlibs).toBe('/cache/gitlibs');
  });
});
