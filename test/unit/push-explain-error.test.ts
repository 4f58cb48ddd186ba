/** One way to read an SDK error (src/core/sdk-errors.ts), used by explain-error.ts and the adapters. */
import { S3ServiceException } from '@aws-sdk/client-s3';
import { explainAwsError } from '../../src/aws/explain-error.js';
import { describeError, errorName, hasErrorName, httpStatus } from '../../src/core/sdk-errors.js';

const sdkError = (name: string, status: number, message = name) =>
  new S3ServiceException({ name, message, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });

describe('reading SDK errors', () => {
  test('name, status and the code some S3 errors carry instead of a name', () => {
    const e = sdkError('NoSuchBucket', 404, 'The specified bucket does not exist');
    expect([errorName(e), httpStatus(e), hasErrorName(e, 'NotFound', 'NoSuchBucket')]).toEqual(['NoSuchBucket', 404, true]);
    expect(hasErrorName({ Code: 'PreconditionFailed' }, 'PreconditionFailed')).toBe(true);
    expect(hasErrorName(new Error('x'), 'NoSuchBucket')).toBe(false);
    expect(describeError(e)).toBe('NoSuchBucket (HTTP 404): The specified bucket does not exist');
  });

  test('explainAwsError says what to do next, in the same words for the same error', () => {
    expect(explainAwsError(sdkError('AccessDenied', 403, 'not allowed'))).toBe(
      "AWS denied access (AccessDenied (HTTP 403): not allowed). Give the workflow's role the permissions listed in docs/infra.md.",
    );
    expect(explainAwsError(sdkError('NoSuchBucket', 404, 'gone'))).toBe(
      'NoSuchBucket (HTTP 404): gone: check the `bucket` input and the region.',
    );
    expect(explainAwsError(sdkError('ThrottlingException', 400, 'slow down'))).toBe('ThrottlingException (HTTP 400): slow down');
    expect(
      explainAwsError(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' })),
    ).toMatch(/^No usable AWS credentials/);
    expect(explainAwsError(new TypeError('bug'))).toMatch(/^TypeError: bug\n\s+at /);
  });
});
