import { execFile } from 'node:child_process';
import { UserError } from '../problems.js';

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}
export type CommandRunner = (command: string, args: string[], cwd: string) => Promise<CommandResult>;

const INSTALL_HINT =
  'Put the Clojure CLI on PATH before this step, e.g. `uses: DeLaGuardo/setup-clojure@13` with `cli: latest`, ' +
  'or pass a ready classpath in the `classpath` input.';

/** Runs `clojure -Spath [-A<aliases>]` in the project directory and returns the classpath string. */
export async function resolveClasspath(projectDir: string, aliases: string, run: CommandRunner = runCommand): Promise<string> {
  const args = ['-Spath', ...(aliases ? [`-A${aliases}`] : [])];
  const shown = `clojure ${args.join(' ')}`;
  let result: CommandResult;
  try {
    result = await run('clojure', args, projectDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UserError(`The \`clojure\` command was not found on PATH. ${INSTALL_HINT}`);
    }
    throw err;
  }
  // Debian's `clojure` package installs a plain launcher that treats -Spath as a script file name.
  if (/FileNotFoundException/.test(result.stderr + result.stdout) && /-Spath/.test(result.stderr + result.stdout)) {
    throw new UserError(
      `The \`clojure\` on PATH is not the Clojure CLI (it ran "-Spath" as a script, as Debian's plain launcher does). ${INSTALL_HINT}`,
    );
  }
  if (result.exitCode !== 0) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-15).join('\n');
    throw new UserError(`\`${shown}\` failed (exit ${result.exitCode}) in ${projectDir}; fix deps.edn or the aliases:\n${detail}`);
  }
  // tools.deps may print download progress before the classpath; the classpath is the last line.
  const lines = result.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const classpath = lines[lines.length - 1];
  if (!classpath) throw new UserError(`\`${shown}\` printed no classpath in ${projectDir}.`);
  return classpath;
}

const runCommand: CommandRunner = (command, args, cwd) =>
  new Promise((resolve, reject) => {
    execFile(command, args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code === 'string') return reject(err); // spawn failure, e.g. ENOENT
      resolve({ exitCode: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    });
  });
