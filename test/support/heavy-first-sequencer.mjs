// Jest test sequencer: the slowest files start first, so on two workers the long ones overlap instead of
// one of them starting last and leaving the other worker idle. Jest does this itself from the timings of
// an earlier run (its cache), but a fresh clone (CI) has none and jest then orders by file size, which
// puts the end-to-end tests (short files that start whole local clouds) late. So files without a cached
// timing use the figures below. Plain JS: jest loads the sequencer without transforming it.
import { relative } from 'node:path';
import Sequencer from '@jest/test-sequencer';

/**
 * Seconds per file on an idle 2-core machine (from `npx jest --json` runs, 2026-12-01; docs/test-environment.md).
 * Only the order matters: a stale figure costs some idle time at the end of the run, nothing more.
 */
const KNOWN_SECONDS = {
  'test/integration/e2e-local-cloud.test.ts': 60,
  'test/integration/push.test.ts': 40,
  'test/integration/deploy-reruns.test.ts': 8,
  'test/integration/hooks-lifecycle.test.ts': 44,
  'test/dist.test.ts': 40,
  'test/unit/deterministic-zip.test.ts': 10,
  'test/integration/deploy-action.test.ts': 20,
  'test/integration/push-hostile-output.test.ts': 10,
  'test/integration/push-object-index.test.ts': 20,
  'test/integration/deploy-rollback.test.ts': 9,
  'test/integration/push-revision-diff.test.ts': 13,
  'test/integration/least-privilege.test.ts': 8,
  'test/integration/deploy-faults.test.ts': 25,
  'test/integration/push-hostile-trees.test.ts': 15,
  'test/integration/push-faults.test.ts': 10,
  'test/integration/deploy-credentials.test.ts': 10,
};

export default class HeavyFirstSequencer extends Sequencer {
  sort(tests) {
    // Jest's own order (failed first, then by cached time, then by size); it also sets test.duration (ms).
    const sorted = super.sort(tests);
    const seconds = (test) =>
      test.duration != null ? test.duration / 1000 : (KNOWN_SECONDS[relative(test.context.config.rootDir, test.path)] ?? 0);
    // Array sort is stable: files with neither a timing nor a figure keep jest's order, after the rest.
    return sorted.sort((a, b) => Number(this.hasFailed(b)) - Number(this.hasFailed(a)) || seconds(b) - seconds(a));
  }
}
