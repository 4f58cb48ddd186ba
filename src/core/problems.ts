/** A problem found in user input, located where possible so it can become a workflow annotation. */
export interface Problem {
  severity: 'error' | 'warning';
  message: string;
  /** Path of the file the problem is in (absolute, or relative to the working directory). */
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
}

export const hasErrors = (problems: readonly Problem[]): boolean => problems.some((p) => p.severity === 'error');

/** Thrown for failures the user can fix; the message says what to do next. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly problems: readonly Problem[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'UserError';
  }
}
