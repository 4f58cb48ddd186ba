import { parsePushInputs } from '../../src/push/inputs.js';
import { parseAliases } from '../../src/core/classpath/parse-aliases.js';

const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('parsePushInputs', () => {
  test('defaults', () => {
    expect(parsePushInputs(reader({ bucket: 'my-ion-code' }), '/ws')).toEqual({
      inputs: { bucket: 'my-ion-code', prefix: 'ions', projectDir: '/ws', aliases: '', classpath: '', uname: '', dryRun: false, region: '' },
    });
  });

  test('every error at once, each saying what to set', () => {
    const r = parsePushInputs(reader({ bucket: 's3://Bad', 'dry-run': 'maybe', aliases: ':ok:b@d', uname: 'a b', region: 'mars', prefix: '../x' }), '/ws');
    expect('errors' in r && r.errors).toEqual([
      'dry-run: "maybe" is not a boolean; use true or false',
      expect.stringMatching(/^bucket: "s3:\/\/Bad" is not an S3 bucket name/),
      expect.stringMatching(/^prefix: /),
      expect.stringMatching(/^aliases: "b@d"/),
      expect.stringMatching(/^uname: /),
      expect.stringMatching(/^region: /),
    ]);
  });

  test('bucket is required unless dry-run', () => {
    expect(parsePushInputs(reader({}), '/ws')).toEqual({ errors: [expect.stringMatching(/^bucket: required/)] });
    expect(parsePushInputs(reader({ 'dry-run': 'true' }), '/ws')).toMatchObject({ inputs: { bucket: '', dryRun: true } });
  });

  test('working-directory is resolved against the workspace', () => {
    expect(parsePushInputs(reader({ bucket: 'abc', 'working-directory': 'services/app' }), '/ws')).toMatchObject({ inputs: { projectDir: '/ws/services/app' } });
  });

  test('aliases and classpath together are ambiguous', () => {
    expect(parsePushInputs(reader({ bucket: 'abc', aliases: ':prod', classpath: 'src' }), '/ws')).toEqual({ errors: [expect.stringMatching(/set one of them/)] });
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
