// ESM throughout: the GitHub toolkit packages (@actions/core 3.x, …) are ESM-only.
// GitHub runs the actions on node24; on an older local Node the AWS SDK warns in every test process that
// Node < 22 loses support, which only buries real output. The SDK's own switch turns off that warning and
// no other (`--disable-warning` cannot single it out: it is a plain `Warning` without a code). Jest's
// workers and the actions the tests start inherit it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testTimeout: 120000,
};
