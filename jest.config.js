import { availableParallelism } from 'node:os';

// ESM throughout: the GitHub toolkit packages (@actions/core 3.x, …) are ESM-only.
// GitHub runs the actions on node24; on an older local Node the AWS SDK warns in every test process that
// Node < 22 loses support, which only buries real output. The SDK's own switch turns off that warning and
// no other (`--disable-warning` cannot single it out: it is a plain `Warning` without a code). Jest's
// workers and the actions the tests start inherit it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Most of the slow files wait on child processes (the built actions, JVMs, s3rver, the local cloud) and on
// the local cloud's timers, so one worker more than there are cores keeps the cores busy; jest's default
// (cores − 1) would run one file at a time on two. Measured on an idle 2-core machine, whole suite: one
// worker ~450 s, two 409 s, three 342 s (docs/test-environment.md, Test run).
const WORKERS = Math.max(2, availableParallelism() + 1);

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testTimeout: 120000,
  maxWorkers: WORKERS,
  // Slowest files first, also on a fresh clone without jest's timing cache.
  testSequencer: '<rootDir>/test/support/heavy-first-sequencer.mjs',
};
