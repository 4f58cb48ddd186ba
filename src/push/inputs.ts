import * as runner from '../github/workflow-commands.js';
import { parseAliases } from '../core/classpath/parse-aliases.js';
import type { Problem } from '../core/problems.js';
import { unameProblem } from '../core/revision/decide-revision.js';
import { InputRules, type InputReader } from '../github/input-rules.js';

export type { InputReader } from '../github/input-rules.js';

/** Every input of the push action, parsed and validated in one place. */
export interface PushInputs {
  bucket: string;
  prefix: string;
  /** Absolute. */
  projectDir: string;
  /** `-A` form or empty. */
  aliases: string;
  classpath: string;
  uname: string;
  dryRun: boolean;
  region: string;
}

/** Returns the inputs or every input problem at once (each says what to set). */
export function parsePushInputs(
  read: InputReader = (n) => runner.getInput(n),
  workspace = process.env.GITHUB_WORKSPACE ?? process.cwd(),
): { inputs: PushInputs } | { problems: Problem[] } {
  const rules = new InputRules(read);
  const dryRun = rules.boolean('dry-run', false);
  const bucket = rules.bucket(dryRun ? false : 'set it to the S3 bucket for code (or set dry-run: true to only validate)');
  const prefix = rules.prefix('use letters, digits and "/", "-", "_", "." (e.g. ions or teams/x/ions)');
  const projectDir = rules.workingDirectory(workspace);

  const aliasResult = parseAliases(read('aliases'));
  if ('error' in aliasResult) rules.error(aliasResult.error);

  const classpath = rules.text('classpath');
  if (classpath !== '' && rules.text('aliases') !== '') {
    rules.error('aliases and classpath: set one of them; a given classpath is used as it is, so aliases would be ignored');
  }

  const uname = rules.text('uname');
  if (uname !== '') {
    const problem = unameProblem(uname);
    if (problem) rules.error(`uname: ${problem}`);
  }

  const region = rules.region();

  if (!rules.ok) return { problems: rules.problems };
  return {
    inputs: { bucket, prefix, projectDir, aliases: 'value' in aliasResult ? aliasResult.value : '', classpath, uname, dryRun, region },
  };
}
