import { EdnSyntaxError, readEdn } from '../edn/reader.js';
import type { EdnNode } from '../edn/nodes.js';
import { hasErrors, type Problem } from '../problems.js';
import { Checker, describe } from './checker.js';
import { checkHttpDirect } from './http-direct.js';
import { ednToJson } from './json.js';
import { checkLambdas } from './lambdas.js';
import { appNameProblem } from './names.js';
import type { IonConfig, ValidationContext } from './types.js';

export type { HttpDirectConfig, IonConfig, ValidationContext } from './types.js';
export { lambdaFunctionName } from './names.js';

// The top-level keys of datomic/ion-config.edn in the Datomic Ions reference.
const KNOWN = ['app-name', 'allow', 'xforms', 'lambdas', 'http-direct'] as const;

/**
 * Checks the text of datomic/ion-config.edn against the Ions rules, reporting every problem at
 * once, each located in `file`. `config` is null when any problem is an error.
 */
export function validateIonConfig(text: string, file: string, ctx: ValidationContext): { config: IonConfig | null; problems: Problem[] } {
  let root: EdnNode;
  try {
    root = readEdn(text);
  } catch (e) {
    if (!(e instanceof EdnSyntaxError)) throw e;
    return {
      config: null,
      problems: [{ severity: 'error', message: `${e.message}; fix the EDN syntax`, file, line: e.line, column: e.column }],
    };
  }

  const c = new Checker(file, ctx.namespaces, ctx.declarations);
  const config = checkConfig(c, root, ctx);
  // Document order reads best in logs and annotations (Array.prototype.sort is stable).
  const problems = [...c.problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { config: config && !hasErrors(problems) ? config : null, problems };
}

/**
 * The :app-name of ion-config's text when it is a valid application name, checking nothing else:
 * null for text that is not an EDN map, or whose name is missing, not a string, given twice or
 * invalid. Enough to start the reads that need only the name (CodeDeploy's, the bucket's) before the
 * classpath is indexed; the config is still validated in full before anything is written.
 */
export function declaredAppName(text: string): string | null {
  let root: EdnNode;
  try {
    root = readEdn(text);
  } catch {
    return null;
  }
  if (root.kind !== 'map') return null;
  const named = root.entries.filter(({ key }) => key.kind === 'keyword' && key.namespace === null && key.name === 'app-name');
  const value = named.length === 1 ? named[0]!.value : null;
  if (value?.kind !== 'string' || appNameProblem(value.value) !== null) return null;
  return value.value;
}

function checkConfig(c: Checker, root: EdnNode, ctx: ValidationContext): IonConfig | null {
  if (root.kind !== 'map') {
    c.error(root, `ion-config must be a map, like {:app-name "my-app" :lambdas {…}}; found ${describe(root)}`);
    return null;
  }
  const entries = c.keywordEntries(root, 'ion-config', KNOWN);
  const value = (key: (typeof KNOWN)[number]): EdnNode | undefined => entries.get(key)?.value;

  const appNameNode = value('app-name');
  let appName: string | null = null;
  if (!appNameNode) c.error(root, 'ion-config has no :app-name; add :app-name "my-app", the CodeDeploy application name');
  else appName = c.string(appNameNode, ':app-name');
  const nameProblem = appName === null ? null : appNameProblem(appName);
  if (appNameNode && nameProblem) c.error(appNameNode, nameProblem);

  const allowNode = value('allow');
  const xformsNode = value('xforms');
  const lambdasNode = value('lambdas');
  const httpDirectNode = value('http-direct');
  const allow = allowNode ? c.symbols(allowNode, ':allow') : [];
  const xforms = xformsNode ? c.symbols(xformsNode, ':xforms') : [];
  const lambdas = lambdasNode ? checkLambdas(c, lambdasNode, ctx.groups) : [];
  const httpDirect = httpDirectNode ? checkHttpDirect(c, httpDirectNode) : null;

  if (appName === null) return null;
  return { appName, allow, xforms, lambdas, httpDirect, json: ednToJson(root) as Record<string, unknown> };
}
