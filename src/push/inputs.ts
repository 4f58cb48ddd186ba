import * as core from '@actions/core';
import { isAbsolute, resolve } from 'node:path';
import { parseAliases } from '../core/classpath/parse-aliases.js';
import { unameProblem } from '../core/revision/decide-revision.js';

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

export type InputReader = (name: string) => string;

/** Returns the inputs or every input error at once (each says what to set). */
export function parsePushInputs(read: InputReader = (n) => core.getInput(n), workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()): { inputs: PushInputs } | { errors: string[] } {
  const errors: string[] = [];
  const bool = (name: string, fallback: boolean): boolean => {
    const v = read(name).trim().toLowerCase();
    if (v === '') return fallback;
    if (['true', 'yes', '1'].includes(v)) return true;
    if (['false', 'no', '0'].includes(v)) return false;
    errors.push(`${name}: "${v}" is not a boolean; use true or false`);
    return fallback;
  };

  const dryRun = bool('dry-run', false);
  const bucket = read('bucket').trim();
  if (bucket === '' && !dryRun) errors.push('bucket: required (the S3 bucket for code), unless dry-run is true');
  else if (bucket !== '' && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    errors.push(`bucket: "${bucket}" is not an S3 bucket name (3–63 lower-case letters, digits, "." and "-"); give the name, not an s3:// URL or ARN`);
  }

  const prefix = read('prefix').trim().replace(/^\/+|\/+$/g, '') || 'ions';
  if (!/^[A-Za-z0-9!_.*'()/-]+$/.test(prefix) || prefix.split('/').some((p) => p === '' || p === '.' || p === '..')) {
    errors.push(`prefix: "${prefix}" is not a safe S3 key prefix; use letters, digits and "/", "-", "_", "." (e.g. ions or teams/x/ions)`);
  }

  const wd = read('working-directory').trim() || '.';
  const projectDir = isAbsolute(wd) ? wd : resolve(workspace, wd);

  const aliasResult = parseAliases(read('aliases'));
  if ('error' in aliasResult) errors.push(aliasResult.error);

  const classpath = read('classpath').trim();
  if (classpath !== '' && read('aliases').trim() !== '') {
    errors.push('aliases and classpath: set one of them; a given classpath is used as it is, so aliases would be ignored');
  }

  const uname = read('uname').trim();
  if (uname !== '') {
    const problem = unameProblem(uname);
    if (problem) errors.push(`uname: ${problem}`);
  }

  const region = read('region').trim();
  if (region !== '' && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) errors.push(`region: "${region}" is not an AWS region such as us-east-1`);

  if (errors.length) return { errors };
  return {
    inputs: { bucket, prefix, projectDir, aliases: 'value' in aliasResult ? aliasResult.value : '', classpath, uname, dryRun, region },
  };
}
