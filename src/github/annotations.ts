import * as runner from './workflow-commands.js';
import { isAbsolute, relative } from 'node:path';
import type { Problem } from '../core/problems.js';
import { inert, inertLines } from './inert-text.js';

/** GitHub keeps at most 10 annotations of each level per step and silently drops the rest. */
export const ANNOTATIONS_PER_LEVEL = 10;

/**
 * Error annotations for problems: one fewer than GitHub keeps, because a step that reports errors
 * then fails, and runner.setFailed adds its own error annotation, which must not be the one dropped.
 */
export const PROBLEM_ERROR_ANNOTATIONS = ANNOTATIONS_PER_LEVEL - 1;

/** Multi-line outside text for an annotation: lines kept (runner.error escapes the breaks), each made inert. */
export const inertMessage = (message: string): string => inertLines(message).join('\n') || inert(message);

/**
 * Reports every problem in the log and as many as GitHub will show as annotations (file, line, column),
 * saying how many more are only in the log. Paths are made relative to the workspace so the
 * annotations land on the pull request's files. Messages and paths may carry outside text (file
 * names, config values): they are printed inert (src/github/inert-text.ts).
 */
export function reportProblems(problems: readonly Problem[], workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()): void {
  const limit = { error: PROBLEM_ERROR_ANNOTATIONS, warning: ANNOTATIONS_PER_LEVEL };
  const shown = { error: 0, warning: 0 };
  for (const problem of problems) {
    const file = problem.file === undefined ? undefined : isAbsolute(problem.file) ? relative(workspace, problem.file) : problem.file;
    if (shown[problem.severity] < limit[problem.severity]) {
      shown[problem.severity] += 1;
      // Properties are escaped by runner.error/warning (`%`, `:`, `,`, line breaks), so the file name stays exact for GitHub's link.
      const props = annotationProperties(file, problem);
      if (problem.severity === 'error') runner.error(inertMessage(problem.message), props);
      else runner.warning(inertMessage(problem.message), props);
    } else {
      const where = file ? `${inert(file)}${problem.line ? `:${problem.line}` : ''}${problem.column ? `:${problem.column}` : ''}: ` : '';
      const [first = '', ...rest] = inertLines(problem.message);
      runner.info(`${problem.severity}: ${where}${first}`);
      for (const line of rest) runner.info(`  ${line}`);
    }
  }
  for (const level of ['error', 'warning'] as const) {
    const total = problems.filter((p) => p.severity === level).length;
    if (total > limit[level]) {
      runner.info(`${total - limit[level]} more ${level}s are in the log above only (GitHub shows ${ANNOTATIONS_PER_LEVEL} per step).`);
    }
  }
}

/** Only the properties that are set: runner.error writes `::error ::` for an object of undefined ones, as @actions/core did. */
function annotationProperties(file: string | undefined, problem: Problem): runner.AnnotationProperties {
  const props: runner.AnnotationProperties = {};
  if (file !== undefined) props.file = file;
  if (problem.line !== undefined) props.startLine = problem.line;
  if (problem.column !== undefined) props.startColumn = problem.column;
  return props;
}
