/**
 * The cluster side of a Lambda invocation, on this machine: infra/dispatcher (ion.dispatcher) in a JVM
 * on a deployed classpath, and the real proxy code (infra/lambda-proxy) invoked the way Lambda invokes
 * it, with the environment the state machine gave the proxy. Shared by the demo and the dispatcher's
 * integration test.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { makeHandler, type LambdaContext } from '../infra/lambda-proxy/index.mjs';
export const DISPATCHER_SRC = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', 'infra', 'dispatcher', 'src');

export interface RunningDispatcher {
  /** http://127.0.0.1:<port>: what AppEndpoint / ION_ENDPOINT would be. */
  endpoint: string;
  /** Everything the JVM printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM (the dispatcher drains and stops) and wait for the JVM to exit. */
  stop(): Promise<void>;
}

/**
 * Starts `clojure.main -m ion.dispatcher` on the classpath (plus the dispatcher's source) on a free loopback port.
 * The start timeout only guards against a hang: a JVM starting Clojure on a busy 2-core machine can take tens of seconds.
 */
export async function startDispatcher(classpath: readonly string[], options: { timeoutMs?: number } = {}): Promise<RunningDispatcher> {
  const child = spawn('java', ['-cp', [DISPATCHER_SRC, ...classpath].join(':'), 'clojure.main', '-m', 'ion.dispatcher'], {
    env: { ...process.env, ION_PORT: '0', ION_BIND: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // ION_PORT=0: the JVM picks a free port and says which in its one "listening" line.
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ion.dispatcher did not start within ${(options.timeoutMs ?? 180_000) / 1000} s:\n${output}`));
    }, options.timeoutMs ?? 180_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on \S+:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ion.dispatcher exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A Lambda context for one invocation of the named function. */
export function lambdaContext(functionName: string, requestId = 'local-1', remainingMs = 10_000): LambdaContext {
  return {
    awsRequestId: requestId,
    functionName,
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    getRemainingTimeInMillis: () => remainingMs,
  };
}

/**
 * Invokes a proxy's real code with the environment it was created with, except ION_ENDPOINT, which
 * points at the running dispatcher (on AWS: the internal load balancer in front of the group).
 */
export function invokeProxy(
  proxy: { FunctionName: string; Timeout: number; Environment: { Variables: Record<string, string> } },
  endpoint: string,
  event: unknown,
): Promise<unknown> {
  const handler = makeHandler({ ...proxy.Environment.Variables, ION_ENDPOINT: endpoint });
  return handler(event, lambdaContext(proxy.FunctionName, 'local-1', proxy.Timeout * 1000));
}
