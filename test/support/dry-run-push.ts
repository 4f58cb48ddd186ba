import { delimiter } from 'node:path';
import { STAND_IN_BIN } from '../../local-cloud/clojure-stand-in.js';
import { type ActionResult, runAction } from '../../local-cloud/run-action.js';

/**
 * The built push action as a dry run on `dir`, with no AWS credentials of any kind and no bucket,
 * the classpath given (no tools.deps run); `env` adds to or overrides its environment.
 */
export function dryRunPush(dir: string, classpath: string, env: Record<string, string | undefined> = {}): Promise<ActionResult> {
  return runAction(
    'push',
    { 'working-directory': '.', 'dry-run': 'true', bucket: '', classpath },
    {
      cwd: dir,
      env: {
        PATH: `${STAND_IN_BIN}${delimiter}${process.env.PATH}`,
        GITHUB_WORKSPACE: dir,
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_SESSION_TOKEN: undefined,
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
        AWS_CONFIG_FILE: '/nonexistent',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_REGION: 'us-east-1',
        ...env,
      },
    },
  );
}
