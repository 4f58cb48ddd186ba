/** Naming rules of the AWS resources that ion-config names end up in. */
import { clip } from '../edn/print.js';

/** The Lambda function that proxies ion lambda `lambda` in deployment group `group`. */
export const lambdaFunctionName = (group: string, lambda: string): string => `${group}_${lambda}`;

export const LAMBDA_FUNCTION_NAME_MAX = 64;
const APP_NAME_MAX = 100;

/** Why `name` cannot be a CodeDeploy application name, or null when it can. */
export function appNameProblem(fullName: string): string | null {
  const name = clip(fullName);
  if (fullName.length === 0) return ':app-name is empty; set it to the CodeDeploy application name, e.g. "my-app"';
  if (fullName.length > APP_NAME_MAX) {
    return `:app-name is ${fullName.length} characters long; a CodeDeploy application name has at most ${APP_NAME_MAX}`;
  }
  const bad = firstBadChar(fullName, /[A-Za-z0-9._-]/);
  if (bad) return `:app-name "${name}" contains ${bad}; use only letters, digits, '.', '_' and '-'`;
  return null;
}

/**
 * Why lambda `name` cannot become part of `<group>_<name>` Lambda function names, or null.
 * `_` is refused because it is the separator: `shop` + `canary_checkout` and `shop_canary` +
 * `checkout` would both be `shop_canary_checkout`, two groups' proxies fighting over one function.
 */
export function lambdaNameProblem(fullName: string, groups: readonly string[] | undefined): string | null {
  const name = clip(fullName);
  if (fullName.includes('_')) {
    return (
      `lambda name :${name} contains '_', the separator of its Lambda function name "<group>_${name}": ` +
      `two groups could then get the same function (shop + canary_checkout and shop_canary + checkout are both shop_canary_checkout); use '-' instead, as in :${name.replace(/_/g, '-')}`
    );
  }
  const bad = firstBadChar(fullName, /[A-Za-z0-9-]/);
  if (bad) return `lambda name :${name} contains ${bad}, which a Lambda function name cannot; use only letters, digits and '-'`;
  if (groups === undefined || groups.length === 0) {
    // The group is not known yet: leave room for at least a one-character group and the '_'.
    const max = LAMBDA_FUNCTION_NAME_MAX - 2;
    if (fullName.length > max) {
      return `lambda name :${name} is ${fullName.length} characters long; at most ${max} leaves room for the "<group>_" prefix of its Lambda function name (${LAMBDA_FUNCTION_NAME_MAX} characters at most)`;
    }
    return null;
  }
  const tooLong = groups.map((g) => lambdaFunctionName(g, fullName)).filter((f) => f.length > LAMBDA_FUNCTION_NAME_MAX);
  if (tooLong.length > 0) {
    const examples = tooLong.map((f) => `${clip(f, 100)} (${f.length})`).join(', ');
    return `lambda name :${name} makes Lambda function names longer than ${LAMBDA_FUNCTION_NAME_MAX} characters: ${examples}; shorten the lambda name or the deployment group name`;
  }
  // CodeDeploy allows group names that a Lambda function name does not (a '.', for one).
  for (const group of groups) {
    const badInGroup = firstBadChar(group, /[A-Za-z0-9_-]/);
    if (badInGroup) {
      return `Lambda function name ${clip(lambdaFunctionName(group, name), 100)} of lambda :${name} contains ${badInGroup} (from deployment group "${clip(group)}"), which a Lambda function name cannot; rename the deployment group with only letters, digits, '_' and '-'`;
    }
  }
  return null;
}

function firstBadChar(s: string, allowed: RegExp): string | null {
  const chars = [...s];
  const i = chars.findIndex((c) => !allowed.test(c));
  if (i === -1) return null;
  const c = chars[i] as string;
  const shown = c === ' ' ? 'a space' : /[\p{L}\p{N}\p{P}\p{S}]/u.test(c) ? `'${c}'` : JSON.stringify(c);
  return `${shown} at position ${i + 1}`;
}
