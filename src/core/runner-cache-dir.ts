import { join } from 'node:path';

/**
 * Where ion-actions keeps what it learns on a runner between runs (push's jar facts, the actions'
 * compiled code): `$RUNNER_TOOL_CACHE/ion-actions` (kept between jobs on a self-hosted runner), else
 * `$XDG_CACHE_HOME/ion-actions`, else `~/.cache/ion-actions`. Node built-ins only: the actions'
 * entry points use it before the rest of the action loads.
 */
export function runnerCacheDir(env: NodeJS.ProcessEnv, home: string): string {
  if (env.RUNNER_TOOL_CACHE) return join(env.RUNNER_TOOL_CACHE, 'ion-actions');
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'ion-actions');
  return join(home, '.cache', 'ion-actions');
}
