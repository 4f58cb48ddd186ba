import { lambdaFunctionName, LAMBDA_FUNCTION_NAME_MAX } from '../ion-config/names.js';
import type { Manifest } from '../manifest/schema.js';
import { EXECUTION_INPUT_VERSION, type ExecutionInput, type ExecutionOutput } from './contract.js';

export interface GithubRun {
  repository: string;
  runId: string;
  runAttempt: string;
  sha: string;
  serverUrl: string;
  actor: string;
}

/** The document the state machine receives (docs/deploy-contract.md). */
export function buildExecutionInput(p: {
  appName: string;
  group: string;
  rev: string;
  bucket: string;
  key: string;
  eTag?: string;
  manifest: Manifest;
  github: GithubRun | null;
}): ExecutionInput {
  return {
    version: EXECUTION_INPUT_VERSION,
    appName: p.appName,
    group: p.group,
    rev: p.rev,
    bundle: { bucket: p.bucket, key: p.key, ...(p.eTag ? { eTag: p.eTag } : {}) },
    lambdas: p.manifest.lambdas.map((l) => ({ ...l, functionName: lambdaFunctionName(p.group, l.name) })),
    github: p.github,
  };
}

/** Lambda function names this group would get that AWS refuses (over 64 characters). */
export const overlongFunctionNames = (input: ExecutionInput): string[] =>
  input.lambdas.map((l) => l.functionName).filter((name) => name.length > LAMBDA_FUNCTION_NAME_MAX);

/** Reads the execution's input back (another deploy's), to tell which group it deploys. */
export function readExecutionTarget(input: string | undefined): { appName?: string; group?: string } | null {
  if (!input) return null;
  try {
    const parsed = JSON.parse(input) as Partial<ExecutionInput> | null;
    if (!parsed || typeof parsed !== 'object' || typeof parsed.group !== 'string') return null;
    return { group: parsed.group, appName: typeof parsed.appName === 'string' ? parsed.appName : undefined };
  } catch {
    return null;
  }
}

/** The state machine's output, checked against the contract; `problem` says how it falls short. */
export function readExecutionOutput(output: string | undefined): { output: Partial<ExecutionOutput>; problem?: string } {
  if (!output) return { output: {}, problem: 'the execution has no output' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    return { output: {}, problem: 'the execution output is not JSON' };
  }
  const o = (parsed ?? {}) as Record<string, unknown>;
  const result: Partial<ExecutionOutput> = {};
  const problems: string[] = [];
  if (typeof o.DeploymentId === 'string') result.DeploymentId = o.DeploymentId;
  else problems.push('no DeploymentId string');
  if (Array.isArray(o.Lambdas) && o.Lambdas.every((l) => typeof l === 'string')) result.Lambdas = o.Lambdas as string[];
  else problems.push('no Lambdas array of strings');
  return { output: result, problem: problems.length ? `the execution output has ${problems.join(' and ')}` : undefined };
}
