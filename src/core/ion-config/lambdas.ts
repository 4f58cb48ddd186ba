import { qualifiedName, type EdnNode } from '../edn/nodes.js';
import { clip } from '../edn/print.js';
import type { ManifestLambda } from '../manifest/schema.js';
import type { Checker } from './checker.js';
import { lambdaNameProblem } from './names.js';

const KNOWN = ['fn', 'description', 'timeout-secs', 'concurrency-limit', 'integration'] as const;
// Datomic's defaults for keys a lambda leaves out.
const DEFAULT_TIMEOUT_SECS = 60;
const DEFAULT_CONCURRENCY_LIMIT = 20;
const MAX_TIMEOUT_SECS = 900; // AWS Lambda's limit
// AWS Lambda's limit on a function's Description, which the proxy gets from :description. Counted in
// UTF-16 units (Java's String length, the stricter count), so no description AWS refuses passes.
const MAX_DESCRIPTION = 256;

/** `:lambdas`: a map of keyword → lambda map. Returns the lambdas in map order, defaults applied. */
export function checkLambdas(c: Checker, node: EdnNode, groups: readonly string[] | undefined): ManifestLambda[] {
  const lambdas = c.map(node, ':lambdas', 'a map of lambda names to lambdas, like {:get-items {:fn my.ns/get-items}}');
  if (!lambdas) return [];
  const result: ManifestLambda[] = [];
  for (const { key, value } of lambdas.entries) {
    const name = lambdaName(c, key, groups);
    const lambda = checkLambda(c, value, name ?? printKey(key));
    if (name !== null && lambda) result.push({ name, ...lambda });
  }
  return result;
}

function lambdaName(c: Checker, key: EdnNode, groups: readonly string[] | undefined): string | null {
  if (key.kind !== 'keyword') {
    c.wrongType(key, 'a lambda name', 'a keyword such as :get-items');
    return null;
  }
  if (key.namespace !== null) {
    c.error(key, `lambda name :${clip(qualifiedName(key))} has a namespace; use a simple keyword such as :${clip(key.name)}`);
    return null;
  }
  const problem = lambdaNameProblem(key.name, groups);
  if (problem) {
    c.error(key, problem);
    return null;
  }
  return key.name;
}

function checkLambda(c: Checker, node: EdnNode, name: string): Omit<ManifestLambda, 'name'> | null {
  const what = `lambda :${clip(name)}`;
  const map = c.map(node, what, 'a map like {:fn my.ns/handler}');
  if (!map) return null;
  const entries = c.keywordEntries(map, what, KNOWN);
  const value = (key: (typeof KNOWN)[number]): EdnNode | undefined => entries.get(key)?.value;

  const fnNode = value('fn');
  if (!fnNode) c.error(map, `${what} has no :fn; add :fn my.ns/handler, the function the Lambda invokes`);
  const fn = fnNode ? c.qualifiedSymbol(fnNode, `:fn of ${what}`) : null;

  const descriptionNode = value('description');
  let description = descriptionNode ? c.string(descriptionNode, `:description of ${what}`) : '';
  if (descriptionNode && description !== null && description.length > MAX_DESCRIPTION) {
    c.error(
      descriptionNode,
      `:description of ${what} is ${description.length} characters long; AWS Lambda takes at most ${MAX_DESCRIPTION} for its proxy function's description: shorten it`,
    );
    description = null;
  }

  const timeoutNode = value('timeout-secs');
  const timeoutSecs = timeoutNode
    ? c.integer(timeoutNode, `:timeout-secs of ${what}`, 1, MAX_TIMEOUT_SECS, `an integer from 1 to ${MAX_TIMEOUT_SECS}`)
    : DEFAULT_TIMEOUT_SECS;

  const limitNode = value('concurrency-limit');
  const concurrencyLimit = limitNode ? concurrency(c, limitNode, what) : DEFAULT_CONCURRENCY_LIMIT;

  const integrationNode = value('integration');
  let integration: ManifestLambda['integration'] = null;
  if (integrationNode) {
    if (integrationNode.kind === 'keyword' && qualifiedName(integrationNode) === 'api-gateway/proxy') integration = 'api-gateway/proxy';
    else
      c.wrongType(
        integrationNode,
        `:integration of ${what}`,
        ':api-gateway/proxy (the only integration there is); remove the key for none',
      );
  }

  if (fn === null || description === null || timeoutSecs === null || concurrencyLimit === undefined) return null;
  return { fn, description, timeoutSecs, concurrencyLimit, integration };
}

/** A positive integer, or null for `:none`; undefined after reporting an error. */
function concurrency(c: Checker, node: EdnNode, what: string): number | null | undefined {
  if (node.kind === 'keyword' && qualifiedName(node) === 'none') return null;
  const n = c.integer(node, `:concurrency-limit of ${what}`, 1, Number.MAX_SAFE_INTEGER, 'a positive integer or :none');
  return n ?? undefined;
}

function printKey(key: EdnNode): string {
  return key.kind === 'keyword' ? qualifiedName(key) : key.kind === 'string' ? key.value : '?';
}
