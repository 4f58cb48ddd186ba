import { join } from 'node:path';
import { REPO_ROOT } from './run-action.js';

/**
 * A directory holding `clojure`, a stand-in for the Clojure CLI's `clojure -Spath [-A…]` that runs
 * Debian's real tools.deps (Debian ships tools.deps but not the CLI). Put it first on PATH.
 */
export const STAND_IN_BIN = join(REPO_ROOT, 'local-cloud', 'bin');
