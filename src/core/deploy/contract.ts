/**
 * The contract between the deploy action and the state machine (docs/deploy-contract.md).
 * The deploy action sends ExecutionInput; the reference state machine (infra/) returns ExecutionOutput.
 */
import type { ManifestLambda } from '../manifest/schema.js';

export const EXECUTION_INPUT_VERSION = 1;

export interface ExecutionLambda extends ManifestLambda {
  /** `<group>_<name>`: the Lambda proxy's function name. */
  functionName: string;
}

export interface ExecutionInput {
  version: typeof EXECUTION_INPUT_VERSION;
  appName: string;
  group: string;
  rev: string;
  /**
   * The revision bundle (registered with CodeDeploy by push). `eTag` is the object's ETag when the deploy
   * read it, so createDeployment can pin the exact object (S3Location.eTag); absent in older inputs.
   */
  bundle: { bucket: string; key: string; eTag?: string };
  lambdas: ExecutionLambda[];
  /** The GitHub run that started the deploy (null outside Actions). */
  github: { repository: string; runId: string; runAttempt: string; sha: string; serverUrl: string; actor: string } | null;
}

export interface ExecutionOutput {
  /** The CodeDeploy deployment id. */
  DeploymentId: string;
  /** The Lambda proxy function names ensured, `<group>_<name>`. */
  Lambdas: string[];
}
