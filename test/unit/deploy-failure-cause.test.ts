import { decodeCause, describeFailure, oneLine } from '../../src/core/deploy/failure-cause.js';

test('a Lambda error: type and message', () => {
  const cause = JSON.stringify({
    errorMessage: 'role lacks lambda:UpdateFunctionCode',
    errorType: 'AccessDeniedException',
    stackTrace: ['at x'],
  });
  const decoded = decodeCause(cause);
  expect(decoded.summary).toBe('AccessDeniedException: role lacks lambda:UpdateFunctionCode');
  expect(decoded.detail).toContain('"stackTrace": [\n');
});

test('an error passed through a Catch: the nested cause is decoded', () => {
  const inner = JSON.stringify({ errorMessage: 'boom', errorType: 'RuntimeException' });
  expect(decodeCause(JSON.stringify({ Error: 'States.TaskFailed', Cause: inner })).summary).toBe(
    'States.TaskFailed: RuntimeException: boom',
  );
});

test('a deployment failure: the message one level down, with its code', () => {
  const cause = JSON.stringify({
    DeploymentId: 'd-ABCDEFGHI',
    Status: 'Failed',
    ErrorInformation: { Code: 'HEALTH_CONSTRAINTS', Message: 'too many instances failed' },
  });
  expect(decodeCause(cause).summary).toBe('HEALTH_CONSTRAINTS: too many instances failed');
});

test('plain text stays as it is, on one line; JSON without a message is shown whole', () => {
  expect(decodeCause('Deployment group x does not exist\n(Service: CodeDeploy, Status Code: 400)').summary).toBe(
    'Deployment group x does not exist (Service: CodeDeploy, Status Code: 400)',
  );
  expect(decodeCause('{"a": 1}').summary).toBe('{"a": 1}');
  expect(decodeCause('{not json').summary).toBe('{not json');
  expect(decodeCause(undefined)).toEqual({ summary: '', detail: '' });
});

test('oneLine collapses whitespace into one line, shortened', () => {
  expect(oneLine('ok\n::set-output name=x::y')).toBe('ok ::set-output name=x::y');
  expect(oneLine('x'.repeat(600), 10)).toBe(`${'x'.repeat(9)}…`);
});

test('describeFailure names the error once', () => {
  const lambda = JSON.stringify({ errorMessage: 'nope', errorType: 'AccessDeniedException' });
  expect(describeFailure('AccessDeniedException', lambda)).toBe('AccessDeniedException: nope');
  expect(describeFailure('States.TaskFailed', lambda)).toBe('States.TaskFailed: AccessDeniedException: nope');
  expect(describeFailure('Ion.WrongGroup', undefined)).toBe('Ion.WrongGroup');
  expect(describeFailure(undefined, 'plain')).toBe('plain');
});
