// Types for infra/lambda-proxy/index.mjs (the proxy ships as plain JavaScript: one file, no build).
export interface LambdaEntry {
  name: string;
  fn: string;
  description?: string;
  timeoutSecs?: number;
  concurrencyLimit?: number | null;
  integration: 'api-gateway/proxy' | null;
  functionName?: string;
}

export interface ProxyConfig {
  base: URL;
  app: string;
  group: string;
  lambda: LambdaEntry;
}

/** The parts of a Lambda context the proxy reads. */
export interface LambdaContext {
  awsRequestId?: string;
  functionName?: string;
  functionVersion?: string;
  invokedFunctionArn?: string;
  memoryLimitInMB?: string;
  logGroupName?: string;
  logStreamName?: string;
  identity?: unknown;
  clientContext?: unknown;
  getRemainingTimeInMillis?: () => number;
}

export interface ApiGatewayProxyResult {
  statusCode: number;
  headers: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  cookies?: string[];
  body: string;
  isBase64Encoded: boolean;
}

export class ProxyConfigError extends Error {}
export function readConfig(env: Record<string, string | undefined>): ProxyConfig;
export function invokePlain(config: ProxyConfig, event: unknown, context: LambdaContext): Promise<unknown>;
export function invokeApiGateway(config: ProxyConfig, event: unknown, context: LambdaContext): Promise<ApiGatewayProxyResult>;
export function makeHandler(env?: Record<string, string | undefined>): (event: unknown, context: LambdaContext) => Promise<unknown>;
export function handler(event: unknown, context: LambdaContext): Promise<unknown>;
