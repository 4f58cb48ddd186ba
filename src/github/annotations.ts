import * as core from '@actions/core';
import { relative, isAbsolute } from 'node:path';
import type { Problem } from '../core/problems.js';

/** GitHub keeps at most 10 annotations of each level per step and silently drops the rest. */
export const ANNOTATIONS_PER_LEVEL = 10;

/**
 * Reports every problem in the log and as many as GitHub will show as annotations (file, line, column),
 * saying how many more are only in the log. Paths are made relative to the workspace so the
 * annotations land on the pull request's files.
 */
export function reportProblems(problems: readonly Problem[], workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()): void {
  const shown = { error: 0, warning: 0 };
  for (const problem of problems) {
    const file = problem.file === undefined ? undefined : isAbsolute(problem.file) ? relative(workspace, problem.file) : problem.file;
    const where = file ? `${file}${problem.line ? `:${problem.line}` : ''}${problem.column ? `:${problem.column}` : ''}: ` : '';
    if (shown[problem.severity] < ANNOTATIONS_PER_LEVEL) {
      shown[problem.severity] += 1;
      const props: core.AnnotationProperties = { file, startLine: problem.line, startColumn: problem.column };
      if (problem.severity === 'error') core.error(problem.message, props);
      else core.warning(problem.message, props);
    } else {
      core.info(`${problem.severity}: ${where}${problem.message}`);
    }
  }
  for (const level of ['error', 'warning'] as const) {
    const total = problems.filter((p) => p.severity === level).length;
    if (total > ANNOTATIONS_PER_LEVEL) {
      core.info(`${total - ANNOTATIONS_PER_LEVEL} more ${level}s are in the log above only (GitHub shows ${ANNOTATIONS_PER_LEVEL} per step).`);
    }
  }
}
