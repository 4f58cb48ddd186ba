/** Naming rules of the AWS resources that ion-config names end up in. */

/** The Lambda function that proxies ion lambda `lambda` in deployment group `group`. */
export const lambdaFunctionName = (group: string, lambda: string): string => `${group}_${lambda}`;

export const LAMBDA_FUNCTION_NAME_MAX = 64;
const APP_NAME_MAX = 100;

/** Why `name` cannot be a CodeDeploy application name, or null when it can. */
export function appNameProblem(name: string): string | null {
  if (name.length === 0) return ':app-name is empty; set it to the CodeDeploy application name, e.g. "my-app"';
  if (name.length > APP_NAME_MAX) {
    return `:app-name is ${name.length} characters long; a CodeDeploy application name has at most ${APP_NAME_MAX}`;
  }
  const bad = firstBadChar(name, /[A-Za-z0-9._-]/);
  if (bad) return `:app-name "${name}" contains ${bad}; use only letters, digits, '.', '_' and '-'`;
  return null;
}

/** Why lambda `name` cannot become part of `<group>_<name>` Lambda function names, or null. */
export function lambdaNameProblem(name: string, groups: readonly string[] | undefined): string | null {
  const bad = firstBadChar(name, /[A-Za-z0-9_-]/);
  if (bad) return `lambda name :${name} contains ${bad}, which a Lambda function name cannot; use only letters, digits, '_' and '-'`;
  if (groups === undefined || groups.length === 0) {
    // The group is not known yet: leave room for at least a one-character group and the '_'.
    const max = LAMBDA_FUNCTION_NAME_MAX - 2;
    if (name.length > max) {
      return `lambda name :${name} is ${name.length} characters long; at most ${max} leaves room for the "<group>_" prefix of its Lambda function name (${LAMBDA_FUNCTION_NAME_MAX} characters at most)`;
    }
    return null;
  }
  const tooLong = groups.map((g) => lambdaFunctionName(g, name)).filter((f) => f.length > LAMBDA_FUNCTION_NAME_MAX);
  if (tooLong.length === 0) return null;
  const examples = tooLong.map((f) => `${f} (${f.length})`).join(', ');
  return `lambda name :${name} makes Lambda function names longer than ${LAMBDA_FUNCTION_NAME_MAX} characters: ${examples}; shorten the lambda name or the deployment group name`;
}

function firstBadChar(s: string, allowed: RegExp): string | null {
  const chars = [...s];
  const i = chars.findIndex((c) => !allowed.test(c));
  if (i === -1) return null;
  const c = chars[i] as string;
  const shown = c === ' ' ? 'a space' : /[\p{L}\p{N}\p{P}\p{S}]/u.test(c) ? `'${c}'` : JSON.stringify(c);
  return `${shown} at position ${i + 1}`;
}
