import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface Measured {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Process wall time: spawn to exit, start-up included. */
  wallMs: number;
  /** Spawn to the first byte on stdout (the first log line), when there was one. */
  firstOutputMs: number | undefined;
  /** The process's peak resident set (maxRSS), when it could be measured. */
  peakRssKiB: number | undefined;
  /** The process's CPU time, user + system (its children's included), when it could be measured. */
  cpuMs: number | undefined;
}

/**
 * How the peak RSS of a spawned program is read: GNU time's `%M` when /usr/bin/time is installed,
 * else a python3 wrapper reading getrusage(RUSAGE_CHILDREN) (python3 is there wherever awscli is),
 * else not at all.
 */
export const RSS_METHOD: 'time' | 'python' | 'none' = existsSync('/usr/bin/time')
  ? 'time'
  : existsSync('/usr/bin/python3')
    ? 'python'
    : 'none';

/** Both wrappers write `<maxRSS KiB> <user s> <system s>` as the last line of the file. */
const PY_WRAPPER =
  'import resource,subprocess,sys\nr=subprocess.call(sys.argv[2:])\nu=resource.getrusage(resource.RUSAGE_CHILDREN)\nopen(sys.argv[1],"w").write("%d %.2f %.2f" % (u.ru_maxrss, u.ru_utime, u.ru_stime))\nsys.exit(r)';

/** Runs `command` asynchronously (this process keeps serving the local CodeDeploy) and measures it. */
export async function measure(
  command: string,
  args: string[],
  options: { env: Record<string, string>; cwd?: string; onStdout?: (text: string, ms: number) => void },
): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-usage-'));
  const usageFile = join(dir, 'rss');
  const [file, argv] =
    RSS_METHOD === 'time'
      ? ['/usr/bin/time', ['-f', '%M %U %S', '-o', usageFile, command, ...args]]
      : RSS_METHOD === 'python'
        ? ['/usr/bin/python3', ['-c', PY_WRAPPER, usageFile, command, ...args]]
        : [command, args];
  const t0 = performance.now();
  let firstOutputMs: number | undefined;
  const child = spawn(file, argv, { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    firstOutputMs ??= performance.now() - t0;
    stdout += c.toString();
    options.onStdout?.(c.toString(), performance.now() - t0);
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 1));
  });
  const wallMs = performance.now() - t0;
  let peakRssKiB: number | undefined;
  let cpuMs: number | undefined;
  if (existsSync(usageFile)) {
    // GNU time writes "Command exited with non-zero status N" before the figures when the program fails.
    const last = readFileSync(usageFile, 'utf8').trim().split('\n').pop() ?? '';
    const m = /^(\d+) ([\d.]+) ([\d.]+)$/.exec(last);
    if (m) {
      peakRssKiB = Number(m[1]);
      cpuMs = (Number(m[2]) + Number(m[3])) * 1000;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return { exitCode, stdout, stderr, wallMs, firstOutputMs, peakRssKiB, cpuMs };
}
