/**
 * A local "EC2 instance" for the CodeDeploy hooks: a bin directory with only what an instance has, and
 * the environment the CodeDeploy agent gives the hooks there. Used by the local CodeDeploy agent and
 * by the hooks' own tests.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';

/**
 * The service user the hooks load the application's code as, when they run as root (CI runs as
 * root): `nobody` exists everywhere and owns nothing, so the hooks' tests can check that the app's
 * code cannot write what root owns. Not root, the hooks cannot drop privileges and ignore it.
 */
export const LOCAL_APP_USER = 'nobody';

/** The ways a root hook switches to the service user (util-linux); an instance has at least one. */
export type PrivilegeDrop = 'setpriv' | 'runuser';

/**
 * A bin directory with only the commands an instance must have (docs/infra.md), linked from this
 * machine, so a hook that silently needs something else fails here. `aws` is a wrapper around
 * Debian's /usr/bin/aws (2.9, like older EC2 images) that logs every call to `<dir>/aws-calls.log`.
 * `systemctl`, when asked for, is a stand-in that logs its arguments to `<dir>/systemctl.log`.
 * `privilegeDrop` chooses which of setpriv and runuser the instance has (default both).
 */
export function makeInstanceBin(dir: string, options: { systemctl?: 'ok' | 'fail'; privilegeDrop?: PrivilegeDrop[] } = {}): string {
  mkdirSync(dir, { recursive: true });
  const tools = [
    'sh',
    'dirname',
    'mktemp',
    'mkdir',
    'rm',
    'wc',
    'tr',
    'cut',
    'sort',
    'awk',
    'grep',
    'head',
    'mv',
    'cp',
    'paste',
    'cat',
    'sha256sum',
    'date',
    'sleep',
    'ln',
    'chmod',
    'id',
    'env',
    'python3',
    'java',
    ...(options.privilegeDrop ?? ['setpriv', 'runuser']),
  ];
  for (const tool of tools) {
    const found = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'].map((d) => join(d, tool)).find((p) => existsSync(p));
    if (!found) throw new Error(`${tool} is not installed on this machine; the hooks test needs it (apt-get install it)`);
    symlinkSync(found, join(dir, tool));
  }
  if (!existsSync('/usr/bin/aws')) throw new Error("Debian's awscli is not installed (apt-get install awscli)");
  const awsLog = join(dir, 'aws-calls.log');
  writeFileSync(awsLog, '');
  writeFileSync(join(dir, 'aws'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${awsLog}'\nexec /usr/bin/aws "$@"\n`);
  chmodSync(join(dir, 'aws'), 0o755);
  if (options.systemctl) {
    const log = join(dir, 'systemctl.log');
    writeFileSync(log, '');
    writeFileSync(
      join(dir, 'systemctl'),
      `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\n${options.systemctl === 'fail' ? 'echo "Job for $2 failed." >&2; exit 1' : 'exit 0'}\n`,
    );
    chmodSync(join(dir, 'systemctl'), 0o755);
  }
  return dir;
}

/**
 * Lets the service user reach `paths` (an instance root, its bin directory) when they sit in private
 * temporary directories (mkdtemp makes them 0700): adds search permission (o+x, not read) to each
 * directory from each path up to the system's temporary directory. On EC2, /opt/ion is 0755 already.
 * Only as root (the only case where the hooks switch users), and never above the temporary directory.
 */
export function letServiceUserIn(...paths: string[]): void {
  if (process.getuid?.() !== 0) return;
  const top = resolve(tmpdir());
  for (const path of paths) {
    for (let dir = resolve(path); dir.startsWith(top + sep); dir = dirname(dir)) {
      if (!existsSync(dir)) continue;
      const mode = statSync(dir).mode & 0o7777;
      if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o001);
    }
  }
}

export const awsCalls = (binDir: string): string[] => readFileSync(join(binDir, 'aws-calls.log'), 'utf8').split('\n').filter(Boolean);

/** The environment of an instance pointed at an S3 endpoint (s3rver only accepts S3RVER/S3RVER). */
export function instanceEnv(options: {
  binDir: string;
  ionRoot: string;
  s3Endpoint: string;
  envFile?: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    PATH: options.binDir,
    HOME: options.ionRoot,
    LANG: 'C.UTF-8',
    ION_ENV_FILE: options.envFile ?? join(options.ionRoot, 'no-env-file'),
    ION_ROOT: options.ionRoot,
    ION_APP_USER: LOCAL_APP_USER,
    AWS_ENDPOINT_URL_S3: options.s3Endpoint,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
    // Keep the developer's ~/.aws out of it.
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    // What the CodeDeploy agent sets.
    DEPLOYMENT_ID: 'd-TEST00000',
    APPLICATION_NAME: 'test',
    DEPLOYMENT_GROUP_NAME: 'test',
    ...options.extra,
  };
}
