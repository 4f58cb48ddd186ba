import { join } from 'node:path';
import type { PushEnvironment } from '../core/push/ports.js';

/** Where tools.deps keeps downloads on the runner, from its environment and home directory. */
export function pushEnvironment(env: Readonly<Record<string, string | undefined>>, homeDir: string): PushEnvironment {
  return {
    mavenRepo: join(homeDir, '.m2', 'repository'),
    gitlibs: env.GITLIBS || join(homeDir, '.gitlibs'),
  };
}
