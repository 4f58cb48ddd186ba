/** The bench's command line (pure). */
export interface BenchOptions {
  runs: number;
  latencyMs: number;
  jars: number;
  jarKiB: number;
  sourceFiles: number;
  /** The scale runs instead of the comparison: 1,000 jars; a 100,000-file directory. */
  scale: boolean;
  /** How rclone compares files (bench/support/tools.ts): `checksum` (default) or its own default, `modtime`. */
  rcloneMode: 'checksum' | 'modtime' | 'both';
  /** Jars of the scale run, and files in its directory. */
  scaleJars: number;
  scaleFiles: number;
  /** Jars of the small project whose warm-new-commit request count is set beside the main one's. */
  smallJars: number;
  /** The node that runs the push action (GitHub runs it on node24); default: the one running the bench. */
  node: string;
}

export const USAGE = `npm run bench:push [-- options]
  --runs N          repetitions, tools alternated, medians reported (default 5; --quick: 1)
  --latency-ms MS   added by the proxies to every S3 and CodeDeploy request (default 20; 0: none)
  --jars N          jars in the project (default 200)
  --jar-kib KIB     size of each jar (default 300)
  --rclone-mode M   both (default: two rclone columns), checksum (--checksum: size + MD5 from the
                    listing) or modtime (rclone's default: size + modification time, a HEAD per object)
  --scale           instead: push and the floor on 1,000 jars, and push on a 100,000-file directory
  --scale-jars N    jars of the scale run (default 1000)
  --scale-files N   files in the scale run's directory (default 100000)
  --node PATH       the node binary that runs the push action (default: the bench's own, ${process.execPath})
  --quick           one run (about 2 minutes)`;

export function parseBenchArgs(argv: readonly string[]): BenchOptions | { error: string } | { help: string } {
  const options: BenchOptions = {
    runs: 5,
    latencyMs: 20,
    jars: 200,
    jarKiB: 300,
    sourceFiles: 60,
    scale: false,
    rcloneMode: 'both',
    scaleJars: 1000,
    scaleFiles: 100_000,
    smallJars: 20,
    node: process.execPath,
  };
  const numbers: Record<string, keyof BenchOptions> = {
    '--runs': 'runs',
    '--latency-ms': 'latencyMs',
    '--jars': 'jars',
    '--jar-kib': 'jarKiB',
    '--scale-jars': 'scaleJars',
    '--scale-files': 'scaleFiles',
  };
  let runsGiven = false;
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--scale') options.scale = true;
    else if (flag === '--quick') quick = true;
    else if (flag === '--rclone-mode') {
      const raw = inline ?? argv[++i];
      if (raw !== 'checksum' && raw !== 'modtime' && raw !== 'both')
        return { error: `--rclone-mode is both, checksum or modtime, got ${raw ?? 'nothing'}\n\n${USAGE}` };
      options.rcloneMode = raw;
    } else if (flag === '--node') {
      const raw = inline ?? argv[++i];
      if (!raw) return { error: `--node wants the path of a node binary\n\n${USAGE}` };
      options.node = raw;
    } else if (flag === '--help' || flag === '-h') return { help: USAGE };
    else if (flag in numbers) {
      const raw = inline ?? argv[++i];
      const value = Number(raw);
      const minimum = flag === '--latency-ms' ? 0 : 1;
      if (raw === undefined || !Number.isInteger(value) || value < minimum)
        return { error: `${flag} wants a whole number ≥ ${minimum}, got ${raw ?? 'nothing'}\n\n${USAGE}` };
      (options[numbers[flag]!] as number) = value;
      if (flag === '--runs') runsGiven = true;
    } else return { error: `unknown option ${arg}\n\n${USAGE}` };
  }
  if (!runsGiven && (quick || options.scale)) options.runs = 1;
  return options;
}
