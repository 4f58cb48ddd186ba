import { isAbsolute, resolve } from 'node:path';
import { UserError, type Problem } from '../core/problems.js';

/**
 * The input rules push and deploy share, written once. Each rule reads one input, records a
 * Problem that says what to set when the value is wrong, and returns a usable value either way,
 * so an action collects every input problem at once.
 */
export type InputReader = (name: string) => string;

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const PREFIX_CHARS = /^[A-Za-z0-9!_.*'()/-]+$/;
const TRUE = ['true', 'yes', '1'];
const FALSE = ['false', 'no', '0'];

export class InputRules {
  readonly problems: Problem[] = [];

  constructor(private readonly read: InputReader) {}

  /** The input, trimmed ('' when not set). */
  text(name: string): string {
    return this.read(name).trim();
  }

  error(message: string): void {
    this.problems.push({ severity: 'error', message });
  }

  get ok(): boolean {
    return !this.problems.some((p) => p.severity === 'error');
  }

  boolean(name: string, fallback: boolean): boolean {
    const v = this.text(name).toLowerCase();
    if (v === '') return fallback;
    if (TRUE.includes(v)) return true;
    if (FALSE.includes(v)) return false;
    this.error(`${name}: "${v}" is not a boolean; use true or false`);
    return fallback;
  }

  /** An S3 bucket name; `required` says why it is needed, or false when it may be empty. */
  bucket(required: string | false, name = 'bucket'): string {
    const bucket = this.text(name);
    if (bucket === '') {
      if (required) this.error(`${name}: required; ${required}`);
    } else if (!BUCKET.test(bucket)) {
      this.error(
        `${name}: "${bucket}" is not an S3 bucket name (3–63 lower-case letters, digits, "." and "-"); give the name, not an s3:// URL or ARN`,
      );
    }
    return bucket;
  }

  /** A key prefix without leading or trailing slashes (default `ions`); `hint` says what to use instead. */
  prefix(hint: string, name = 'prefix'): string {
    const prefix = this.text(name).replace(/^\/+|\/+$/g, '') || 'ions';
    if (!PREFIX_CHARS.test(prefix) || prefix.split('/').some((p) => p === '' || p === '.' || p === '..')) {
      this.error(`${name}: "${prefix}" is not a safe S3 key prefix; ${hint}`);
    }
    return prefix;
  }

  /** An AWS region, or '' for the credential chain's default. */
  region(name = 'region'): string {
    const region = this.text(name);
    if (region !== '' && !REGION.test(region)) this.error(`${name}: "${region}" is not an AWS region such as us-east-1`);
    return region;
  }

  /** The directory, absolute: relative to the workspace unless absolute (default: the workspace). */
  workingDirectory(workspace: string, name = 'working-directory'): string {
    const wd = this.text(name) || '.';
    return isAbsolute(wd) ? wd : resolve(workspace, wd);
  }
}

/** The one failure for bad inputs, carrying every problem (the action annotates them, then fails with this message). */
export function inputProblemsError(problems: readonly Problem[]): UserError {
  const n = problems.filter((p) => p.severity === 'error').length;
  return new UserError(`${n} input ${n === 1 ? 'problem' : 'problems'} (above): fix the step's \`with:\` block.`, problems);
}
