/**
 * A state machine checked against what Step Functions and the called services accept, beyond the
 * schema asl-validator checks:
 *
 * - every `arn:aws:states:::aws-sdk:<service>:<action>` Task (and the optimized integrations in
 *   OPTIMIZED) names an operation of that service's model (local-cloud/sdk-models.ts), in camelCase;
 * - its `Parameters` are that operation's input members, PascalCase (Step Functions spells every
 *   member so, whatever the API's own casing), nested structures too; required members are given;
 *   literal values have the member's type;
 * - `ResultSelector` paths name members of the operation's output;
 * - `ErrorEquals` names are `States.*` errors Step Functions defines, or `<Service>.<Error>Exception`
 *   with an error of that service's model (Step Functions adds the `Exception` suffix when the
 *   model's name lacks it);
 * - every path (`InputPath`, `ResultPath`, `.$` values, Choice `Variable`, …) is JSONPath that Step
 *   Functions accepts, context-object paths name fields the context object has, and every intrinsic
 *   function exists and gets the arguments it takes.
 *
 * Rules are from the Step Functions developer guide ("AWS SDK service integrations", "Intrinsic
 * functions", "Context object", "Error names"); each returns problems as lines that say where and
 * what, so a test can show them all at once.
 */
import {
  lowerFirst,
  MissingClientError,
  type Operation,
  type SdkService,
  type Shape,
  sdkService,
  upperFirst,
} from '../../../local-cloud/sdk-models.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Step Functions' service name in `aws-sdk:<service>:` → the SDK v3 client package suffix, where they differ. */
const CLIENT_OF: Record<string, string> = { sfn: 'sfn', states: 'sfn' };

/** Optimized integrations (`arn:aws:states:::lambda:invoke`) → [client, operation]. Parameters follow the API's members. */
const OPTIMIZED: Record<string, [string, string]> = {
  'lambda:invoke': ['lambda', 'Invoke'],
  'states:startExecution': ['sfn', 'StartExecution'],
  'sns:publish': ['sns', 'Publish'],
  'sqs:sendMessage': ['sqs', 'SendMessage'],
  'dynamodb:getItem': ['dynamodb', 'GetItem'],
  'dynamodb:putItem': ['dynamodb', 'PutItem'],
  'dynamodb:updateItem': ['dynamodb', 'UpdateItem'],
  'dynamodb:deleteItem': ['dynamodb', 'DeleteItem'],
  'events:putEvents': ['eventbridge', 'PutEvents'],
  'codebuild:startBuild': ['codebuild', 'StartBuild'],
  'ecs:runTask': ['ecs', 'RunTask'],
};

/** Error names Step Functions itself raises ("Error names" in the developer guide). */
export const STATES_ERRORS = new Set([
  'States.ALL',
  'States.DataLimitExceeded',
  'States.ExceedToleratedFailureThreshold',
  'States.HeartbeatTimeout',
  'States.Http.Socket',
  'States.IntrinsicFailure',
  'States.ItemReaderFailed',
  'States.NoChoiceMatched',
  'States.ParameterPathFailure',
  'States.Permissions',
  'States.ResultPathMatchFailure',
  'States.ResultWriterFailed',
  'States.Runtime',
  'States.TaskFailed',
  'States.Timeout',
  'States.BranchFailed',
  'States.QueryEvaluationError',
]);

/** Intrinsic functions and how many arguments each takes ([min, max]). */
export const INTRINSICS: Record<string, [number, number]> = {
  'States.Format': [1, Number.POSITIVE_INFINITY],
  'States.StringToJson': [1, 1],
  'States.JsonToString': [1, 1],
  'States.Array': [0, Number.POSITIVE_INFINITY],
  'States.ArrayPartition': [2, 2],
  'States.ArrayContains': [2, 2],
  'States.ArrayRange': [3, 3],
  'States.ArrayGetItem': [2, 2],
  'States.ArrayLength': [1, 1],
  'States.ArrayUnique': [1, 1],
  'States.Base64Encode': [1, 1],
  'States.Base64Decode': [1, 1],
  'States.Hash': [2, 2],
  'States.JsonMerge': [3, 3],
  'States.MathRandom': [2, 3],
  'States.MathAdd': [2, 2],
  'States.StringSplit': [2, 2],
  'States.UUID': [0, 0],
};
const HASH_ALGORITHMS = new Set(['MD5', 'SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']);

/** Fields of the context object (`$$.…`), "Context object" in the developer guide. */
const CONTEXT_FIELDS = new Set([
  'Execution',
  'Execution.Id',
  'Execution.Input',
  'Execution.Name',
  'Execution.RoleArn',
  'Execution.StartTime',
  'Execution.RedriveCount',
  'Execution.RedriveTime',
  'State',
  'State.EnteredTime',
  'State.Name',
  'State.RetryCount',
  'StateMachine',
  'StateMachine.Id',
  'StateMachine.Name',
  'Task',
  'Task.Token',
  'Map',
  'Map.Item',
  'Map.Item.Index',
  'Map.Item.Value',
  'Map.Item.Key',
  'Map.Item.Source',
]);

// ---- paths ----

const SEGMENT = String.raw`(?:\.[A-Za-z_$@][\w$@:-]*|\['(?:[^'\\]|\\.)*'\]|\[\d+\]|\[\*\]|\[-?\d*:-?\d*\]|\[\?\(.+?\)\]|\.\.[A-Za-z_][\w-]*)`;
const PATH = new RegExp(`^\\$${SEGMENT}*$`);
const CONTEXT_PATH = new RegExp(`^\\$\\$${SEGMENT}*$`);
/** ResultPath: a reference path (names and indexes only, no filters or wildcards). */
const REFERENCE_PATH = /^\$(?:\.[A-Za-z_$@][\w$@:-]*|\['(?:[^'\\]|\\.)*'\]|\[\d+\])*$/;

/** Plain field names of a simple path: `$.a.b[0].c` → ['a', 'b', 0, 'c']; undefined for wildcards/filters. */
export function pathSegments(path: string): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  const re = /\.([A-Za-z_$@][\w$@:-]*)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/gy;
  const body = path.replace(/^\$\$?/, '');
  re.lastIndex = 0;
  let consumed = 0;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    out.push(m[3] !== undefined ? Number(m[3]) : (m[1] ?? m[2]!));
    consumed = re.lastIndex;
  }
  return consumed === body.length ? out : undefined;
}

export function checkPath(path: string, where: string, kind: 'path' | 'reference' = 'path'): string[] {
  if (path.startsWith('$$')) {
    if (!CONTEXT_PATH.test(path)) return [`${where}: ${path} is not a JSONPath Step Functions accepts`];
    const fields = pathSegments(path)?.filter((s): s is string => typeof s === 'string');
    if (fields && fields.length > 0) {
      // Execution.Input and Map.Item.Value are user data: anything below them is allowed.
      const known = fields.slice(0, 3).join('.');
      const prefixes = [fields.slice(0, 1).join('.'), fields.slice(0, 2).join('.'), known];
      const userData = ['Execution.Input', 'Map.Item.Value'].some((p) => known.startsWith(p));
      if (!userData && !prefixes.every((p) => CONTEXT_FIELDS.has(p)))
        return [`${where}: ${path} names no field of the context object ($$.Execution, $$.State, $$.StateMachine, $$.Task, $$.Map)`];
    }
    return [];
  }
  const ok = kind === 'reference' ? REFERENCE_PATH.test(path) : PATH.test(path);
  return ok ? [] : [`${where}: ${path} is not a ${kind === 'reference' ? 'reference path' : 'JSONPath'} Step Functions accepts`];
}

// ---- intrinsic functions ----

type Arg =
  | { kind: 'string'; value: string; raw: string }
  | { kind: 'number' | 'boolean' | 'null' }
  | { kind: 'path'; value: string }
  | { kind: 'call'; name: string; args: Arg[] };

/** Parses `States.Format('a {}', $.b)`; throws with the position of what it could not read. */
export function parseIntrinsic(text: string): { name: string; args: Arg[] } {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at character ${i + 1}`);
  };
  const space = () => {
    while (text[i] === ' ') i += 1;
  };
  const call = (): { name: string; args: Arg[] } => {
    const m = /^States\.[A-Za-z0-9]+/.exec(text.slice(i)) ?? fail('expected States.<Function>(');
    i += m[0].length;
    if (text[i] !== '(') fail(`expected ( after ${m[0]}`);
    i += 1;
    const args: Arg[] = [];
    space();
    if (text[i] === ')') {
      i += 1;
      return { name: m[0], args };
    }
    for (;;) {
      space();
      args.push(arg());
      space();
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      if (text[i] === ')') {
        i += 1;
        return { name: m[0], args };
      }
      fail('expected , or )');
    }
  };
  const arg = (): Arg => {
    const rest = text.slice(i);
    if (rest.startsWith("'")) {
      let value = '';
      const start = i + 1;
      i += 1;
      while (i < text.length && text[i] !== "'") {
        if (text[i] === '\\') i += 1;
        value += text[i];
        i += 1;
      }
      if (text[i] !== "'") fail('unterminated string');
      const raw = text.slice(start, i);
      i += 1;
      return { kind: 'string', value, raw };
    }
    if (rest.startsWith('States.')) {
      const inner = call();
      return { kind: 'call', ...inner };
    }
    if (rest.startsWith('$')) {
      const m = /^\$\$?[^,)\s]*/.exec(rest)!;
      i += m[0].length;
      return { kind: 'path', value: m[0] };
    }
    const literal = /^(-?\d+(?:\.\d+)?|true|false|null)/.exec(rest) ?? fail('expected a string, number, path or intrinsic function');
    i += literal[0].length;
    return { kind: literal[0] === 'null' ? 'null' : /^[tf]/.test(literal[0]) ? 'boolean' : 'number' };
  };
  const result = call();
  space();
  if (i !== text.length) fail('unexpected text after the call');
  return result;
}

export function checkIntrinsic(text: string, where: string): string[] {
  let parsed: { name: string; args: Arg[] };
  try {
    parsed = parseIntrinsic(text);
  } catch (err) {
    return [`${where}: ${text} is not an intrinsic function call Step Functions can parse (${(err as Error).message})`];
  }
  const problems: string[] = [];
  const visit = (c: { name: string; args: Arg[] }) => {
    const arity = INTRINSICS[c.name];
    if (!arity) {
      problems.push(`${where}: ${c.name} is not an intrinsic function of Step Functions (${Object.keys(INTRINSICS).join(', ')})`);
    } else if (c.args.length < arity[0] || c.args.length > arity[1]) {
      problems.push(
        `${where}: ${c.name} takes ${arity[0] === arity[1] ? arity[0] : `${arity[0]}–${arity[1]}`} arguments, not ${c.args.length}`,
      );
    }
    if (c.name === 'States.Format') {
      const template = c.args[0];
      if (template?.kind !== 'string') problems.push(`${where}: States.Format's first argument must be a string literal`);
      else {
        // \{ and \} are literal braces, not placeholders.
        const holes = (template.raw.match(/(?<!\\)\{\}/g) ?? []).length;
        if (holes !== c.args.length - 1) problems.push(`${where}: States.Format has ${holes} {} but ${c.args.length - 1} values`);
      }
    }
    if (c.name === 'States.Hash' && c.args[1]?.kind === 'string' && !HASH_ALGORITHMS.has(c.args[1].value)) {
      problems.push(`${where}: States.Hash algorithm ${c.args[1].value} is not one of ${[...HASH_ALGORITHMS].join(', ')}`);
    }
    for (const a of c.args) {
      if (a.kind === 'path') problems.push(...checkPath(a.value, where));
      if (a.kind === 'call') visit(a);
    }
  };
  visit(parsed);
  return problems;
}

/** The value of a `key.$` field: a path, a context path or an intrinsic function. */
export function checkDynamicValue(value: Json, where: string): string[] {
  if (typeof value !== 'string') return [`${where}: a field ending in .$ needs a path or intrinsic function, not ${JSON.stringify(value)}`];
  if (value.startsWith('States.')) return checkIntrinsic(value, where);
  if (value.startsWith('$')) return checkPath(value, where);
  return [`${where}: ${JSON.stringify(value)} is neither a path ($…) nor an intrinsic function (States.…)`];
}

/** What an intrinsic function returns, where it is known: checked against the member's type. */
function dynamicKind(value: Json): Shape['kind'] | undefined {
  if (typeof value !== 'string') return undefined;
  const name = /^(States\.[A-Za-z0-9]+)\(/.exec(value)?.[1];
  if (!name) return undefined;
  if (['States.Format', 'States.JsonToString', 'States.Base64Encode', 'States.Base64Decode', 'States.Hash', 'States.UUID'].includes(name))
    return 'string';
  if (['States.Array', 'States.ArrayPartition', 'States.ArrayRange', 'States.ArrayUnique', 'States.StringSplit'].includes(name))
    return 'list';
  if (['States.ArrayLength', 'States.MathRandom', 'States.MathAdd'].includes(name)) return 'number';
  if (name === 'States.ArrayContains') return 'boolean';
  return undefined;
}

// ---- payloads against a model shape ----

const KIND_OF_LITERAL = (v: Json): string =>
  v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v === 'object' ? 'object' : typeof v;

function literalFits(value: Json, shape: Shape): boolean {
  switch (shape.kind) {
    case 'string':
    case 'timestamp':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'list':
      return Array.isArray(value);
    case 'structure':
    case 'union':
    case 'map':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return true; // blob, document
  }
}

/**
 * Parameters of an SDK call against the operation's input shape: keys are members (PascalCase),
 * `.$` values are valid paths or intrinsics, literals have the member's type, required members given.
 */
export function checkPayload(payload: Json, shape: Shape, where: string): string[] {
  const problems: string[] = [];
  if (shape.kind === 'document' || shape.kind === 'blob') {
    walkDynamic(payload, where, problems);
    return problems;
  }
  if (shape.kind === 'list') {
    if (!Array.isArray(payload)) return [`${where}: ${shape.name} is a list, not ${KIND_OF_LITERAL(payload)}`];
    for (const [i, item] of payload.entries()) problems.push(...checkPayload(item, shape.value(), `${where}[${i}]`));
    return problems;
  }
  if (shape.kind === 'map') {
    if (!payload || typeof payload !== 'object' || Array.isArray(payload))
      return [`${where}: ${shape.name} is a map, not ${KIND_OF_LITERAL(payload)}`];
    for (const [key, value] of Object.entries(payload)) {
      if (key.endsWith('.$')) problems.push(...checkDynamicValue(value, `${where}.${key}`));
      else problems.push(...checkPayload(value, shape.value(), `${where}.${key}`));
    }
    return problems;
  }
  if (shape.kind === 'structure' || shape.kind === 'union') {
    if (!payload || typeof payload !== 'object' || Array.isArray(payload))
      return [`${where}: ${shape.name} is a structure, not ${KIND_OF_LITERAL(payload)}`];
    const members = shape.members();
    const byStepFunctionsName = new Map([...members].map(([name, s]) => [upperFirst(name), { name, shape: s }]));
    const given = new Set<string>();
    for (const [rawKey, value] of Object.entries(payload)) {
      const dynamic = rawKey.endsWith('.$');
      const key = dynamic ? rawKey.slice(0, -2) : rawKey;
      const member = byStepFunctionsName.get(key);
      if (!member) {
        const sameLetters = [...byStepFunctionsName.keys()].find((k) => k.toLowerCase() === key.toLowerCase());
        problems.push(
          sameLetters
            ? `${where}.${rawKey}: ${shape.name} has no member ${key}; Step Functions spells it ${sameLetters} (PascalCase)`
            : `${where}.${rawKey}: ${shape.name} has no member ${key} (members: ${[...byStepFunctionsName.keys()].join(', ')})`,
        );
        continue;
      }
      given.add(member.name);
      if (dynamic) {
        problems.push(...checkDynamicValue(value, `${where}.${rawKey}`));
        const returns = dynamicKind(value);
        if (returns && !['document', 'blob'].includes(member.shape.kind) && returns !== member.shape.kind) {
          problems.push(
            `${where}.${rawKey}: ${shape.name}.${key} is ${member.shape.kind}, but ${String(value).split('(')[0]} returns ${returns}`,
          );
        }
      } else if (!literalFits(value, member.shape)) {
        problems.push(`${where}.${rawKey}: ${shape.name}.${key} is ${member.shape.kind}, not ${KIND_OF_LITERAL(value)}`);
      } else {
        problems.push(...checkPayload(value, member.shape, `${where}.${rawKey}`));
      }
    }
    for (const name of shape.required()) if (!given.has(name)) problems.push(`${where}: ${shape.name} requires ${upperFirst(name)}`);
    return problems;
  }
  walkDynamic(payload, where, problems);
  return problems;
}

/** Free-form JSON (Pass Parameters, ItemSelector, ResultSelector keys): only `.$` values are checked. */
function walkDynamic(node: Json, where: string, problems: string[]): void {
  if (Array.isArray(node)) {
    for (const [i, n] of node.entries()) walkDynamic(n, `${where}[${i}]`, problems);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key.endsWith('.$')) problems.push(...checkDynamicValue(value, `${where}.${key}`));
    else walkDynamic(value, `${where}.${key}`, problems);
  }
}

/** A path into an SDK call's result (`$.DeploymentInfo.Status`) must follow the output shape's members. */
export function checkResultPath(path: string, output: Shape, where: string): string[] {
  const segments = pathSegments(path);
  if (!segments) return [];
  let shape = output;
  for (const segment of segments) {
    if (shape.kind === 'document') return [];
    if (typeof segment === 'number') {
      if (shape.kind !== 'list') return [`${where}: ${path}: [${segment}] indexes ${shape.name}, which is not a list`];
      shape = shape.value();
      continue;
    }
    if (shape.kind === 'map') {
      shape = shape.value();
      continue;
    }
    const member = [...shape.members()].find(([name]) => upperFirst(name) === segment);
    if (!member) {
      const close = [...shape.members().keys()].map(upperFirst).find((k) => k.toLowerCase() === segment.toLowerCase());
      return [`${where}: ${path}: ${shape.name} has no member ${segment}${close ? `; Step Functions spells it ${close}` : ''}`];
    }
    shape = member[1];
  }
  return [];
}

// ---- Task resources ----

export interface TaskTarget {
  service: SdkService;
  operation: Operation;
  /** The name errors carry: `CodeDeploy` in `CodeDeploy.ThrottlingException` (compared without case). */
  errorPrefix: string;
}

/** The SDK operation a Task's Resource calls, or problems saying why none. undefined: not an AWS service integration. */
export function taskTarget(resource: string, where: string): TaskTarget | string[] | undefined {
  const sdk = /^arn:aws[\w-]*:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)(?:\.(\w+))?$/.exec(resource);
  if (sdk) {
    const [, serviceName, action, pattern] = sdk as unknown as [string, string, string, string | undefined];
    const problems: string[] = [];
    if (pattern !== undefined && pattern !== 'waitForTaskToken')
      problems.push(`${where}: aws-sdk integrations support request-response and .waitForTaskToken only, not .${pattern}`);
    if (action !== lowerFirst(action)) problems.push(`${where}: the action in ${resource} is camelCase: ${lowerFirst(action)}`);
    const target = resolve(CLIENT_OF[serviceName] ?? serviceName, upperFirst(action), serviceName, resource, where);
    if (Array.isArray(target)) return [...problems, ...target];
    return problems.length > 0 ? problems : target;
  }
  const optimized = /^arn:aws[\w-]*:states:::([a-z0-9-]+):([A-Za-z0-9]+)(?:\.(sync(?::2)?|waitForTaskToken))?$/.exec(resource);
  if (optimized) {
    const key = `${optimized[1]}:${optimized[2]}`;
    const known = OPTIMIZED[key];
    if (!known)
      return [
        `${where}: ${resource} is not an integration this check knows (aws-sdk:<service>:<action>, or one of ${Object.keys(OPTIMIZED).join(', ')})`,
      ];
    return resolve(known[0], known[1], optimized[1]!, resource, where);
  }
  return undefined;
}

function resolve(clientId: string, operationName: string, errorPrefix: string, resource: string, where: string): TaskTarget | string[] {
  let service: SdkService;
  try {
    service = sdkService(clientId);
  } catch (err) {
    if (err instanceof MissingClientError) return [`${where}: ${resource}: ${err.message}`];
    throw err;
  }
  const operation = service.operation(operationName);
  if (!operation) {
    const close = [...service.operations.keys()].find((n) => n.toLowerCase() === operationName.toLowerCase());
    return [
      `${where}: ${resource}: ${service.packageName} has no operation ${operationName}${close ? `; did you mean ${lowerFirst(close)}?` : ''}`,
    ];
  }
  return { service, operation, errorPrefix };
}

function checkErrorName(name: string, target: TaskTarget | undefined, where: string): string[] {
  if (name.startsWith('States.'))
    return STATES_ERRORS.has(name) ? [] : [`${where}: ${name} is not an error Step Functions raises (${[...STATES_ERRORS].join(', ')})`];
  const dot = name.indexOf('.');
  if (!target || dot < 0) return []; // errors of Lambda functions and activities are the user's own names
  const prefix = name.slice(0, dot);
  const error = name.slice(dot + 1);
  if (prefix.toLowerCase() !== target.errorPrefix.toLowerCase())
    return [`${where}: ${name}: errors of ${target.errorPrefix} calls are named ${upperFirst(target.errorPrefix)}.<Error>Exception`];
  if (!error.endsWith('Exception'))
    return [`${where}: ${name}: Step Functions names service errors with the Exception suffix (${prefix}.${error}Exception)`];
  const errors = target.service.errors;
  if (!errors.has(error) && !errors.has(error.slice(0, -'Exception'.length))) {
    return [`${where}: ${name}: ${target.service.packageName} has no error ${error}`];
  }
  return [];
}

// ---- the whole machine ----

/** Every problem in a state machine definition (already substituted or not: `${…}` stays a string). */
export function checkStateMachine(definition: JsonObject): string[] {
  const problems: string[] = [];
  const states = (machine: JsonObject, where: string) => {
    for (const [name, state] of Object.entries((machine.States ?? {}) as Record<string, JsonObject>)) checkState(state, `${where}${name}`);
  };
  const pathField = (state: JsonObject, field: string, where: string, kind: 'path' | 'reference' = 'path') => {
    const value = state[field];
    if (typeof value === 'string') problems.push(...checkPath(value, `${where}.${field}`, kind));
  };
  const checkChoiceRule = (rule: JsonObject, where: string) => {
    if (typeof rule.Variable === 'string') problems.push(...checkPath(rule.Variable, `${where}.Variable`));
    for (const [key, value] of Object.entries(rule)) {
      if (key.endsWith('Path') && key !== 'Variable' && typeof value === 'string') problems.push(...checkPath(value, `${where}.${key}`));
    }
    for (const key of ['And', 'Or'] as const)
      for (const [i, r] of ((rule[key] ?? []) as JsonObject[]).entries()) checkChoiceRule(r, `${where}.${key}[${i}]`);
    if (rule.Not) checkChoiceRule(rule.Not as JsonObject, `${where}.Not`);
  };
  const checkState = (state: JsonObject, where: string) => {
    for (const field of ['InputPath', 'OutputPath', 'ItemsPath', 'SecondsPath', 'TimestampPath']) pathField(state, field, where);
    pathField(state, 'ResultPath', where, 'reference');
    for (const field of ['ErrorPath', 'CausePath']) {
      const value = state[field];
      if (typeof value === 'string') problems.push(...checkDynamicValue(value, `${where}.${field}`));
    }
    for (const field of ['ItemSelector', 'Parameters', 'ResultSelector']) {
      if (state[field] !== undefined && !(state.Type === 'Task' && field === 'Parameters'))
        walkDynamic(state[field]!, `${where}.${field}`, problems);
    }
    for (const [i, rule] of ((state.Choices ?? []) as JsonObject[]).entries()) checkChoiceRule(rule, `${where}.Choices[${i}]`);

    let target: TaskTarget | undefined;
    if (state.Type === 'Task' && typeof state.Resource === 'string') {
      const found = taskTarget(state.Resource, `${where}.Resource`);
      if (Array.isArray(found)) problems.push(...found);
      else if (found) {
        target = found;
        problems.push(...checkPayload((state.Parameters ?? {}) as Json, found.operation.input, `${where}.Parameters`));
        for (const [key, value] of Object.entries((state.ResultSelector ?? {}) as JsonObject)) {
          if (key.endsWith('.$') && typeof value === 'string' && value.startsWith('$.')) {
            problems.push(...checkResultPath(value, found.operation.output, `${where}.ResultSelector.${key}`));
          }
        }
      } else if (state.Parameters !== undefined) walkDynamic(state.Parameters, `${where}.Parameters`, problems);
    }
    for (const field of ['Retry', 'Catch'] as const) {
      (state[field] as JsonObject[] | undefined)?.forEach((rule, i) => {
        for (const name of (rule.ErrorEquals ?? []) as string[]) problems.push(...checkErrorName(name, target, `${where}.${field}[${i}]`));
        if (typeof rule.ResultPath === 'string')
          problems.push(...checkPath(rule.ResultPath, `${where}.${field}[${i}].ResultPath`, 'reference'));
      });
    }
    const processor = (state.ItemProcessor ?? state.Iterator) as JsonObject | undefined;
    if (processor) states(processor, `${where} › `);
    for (const [i, b] of ((state.Branches ?? []) as JsonObject[]).entries()) states(b, `${where}[${i}] › `);
  };
  states(definition, '');
  return problems;
}
