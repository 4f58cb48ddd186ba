import { EXECUTION_NAME_MAX, executionName, isValidExecutionName } from '../../src/core/deploy/execution-name.js';

const base = {
  group: 'my-compute-prod',
  rev: '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
  runId: '9876543210',
  runAttempt: '2',
  now: new Date('2025-03-04T05:06:07.890Z'),
  random: () => 0.5,
};

test('group, short rev, run id and attempt', () => {
  expect(executionName(base)).toBe('my-compute-prod-1a2b3c4-9876543210-2');
});

test('a uname rev is kept (cleaned), not shortened like a SHA', () => {
  expect(executionName({ ...base, rev: 'release.2025-03_rc1' })).toBe('my-compute-prod-release-2025-03_rc1-9876543210-2');
});

test('outside Actions: a timestamp and a random suffix instead of the run', () => {
  expect(executionName({ ...base, runId: undefined, runAttempt: undefined })).toBe('my-compute-prod-1a2b3c4-20250304t050607-7fff');
});

test('a long group is shortened so the unique tail fits in 80 characters', () => {
  const name = executionName({ ...base, group: 'g'.repeat(100) });
  expect(name).toHaveLength(EXECUTION_NAME_MAX);
  expect(name.endsWith('-1a2b3c4-9876543210-2')).toBe(true);
});

test('characters Step Functions or CloudWatch logging refuse are replaced', () => {
  const name = executionName({ ...base, group: 'shop+compute=prod,eu@1', rev: 'a b/c' });
  expect(name).toBe('shop-compute-prod-eu-1-a-b-c-9876543210-2');
  expect(isValidExecutionName(name)).toBe(true);
});

test('collisions get a counter', () => {
  expect(executionName({ ...base, collision: 2 })).toBe('my-compute-prod-1a2b3c4-9876543210-2-2');
});
