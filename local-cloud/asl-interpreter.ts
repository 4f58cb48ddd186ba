/**
 * A small Amazon States Language (JSONPath) interpreter, shared by the state machine's unit test
 * (test/unit/state-machine.test.ts) and the local Step Functions endpoint (local-cloud/step-functions.ts).
 *
 * It covers the subset of the States Language that infra/state-machine.asl.json uses (Pass, Task,
 * Choice, Wait, Map, Fail, Succeed; Parameters/ItemSelector/ResultSelector, InputPath/ResultPath/
 * OutputPath, Retry, Catch, and the intrinsics States.Format, States.JsonToString, States.StringSplit),
 * and raises States.Runtime for a missing path as Step Functions does, so a typo in a path fails.
 * Anything outside that subset throws a plain Error naming it, rather than being half-supported.
 *
 * Optionally (ExecuteOptions) it reports the history events Step Functions would record, waits for
 * Wait states and retry intervals (scaled, so a local run is quick), and can be aborted.
 *
 * An `aws-sdk:<service>:<action>` Task's Parameters are checked against the operation's input in
 * the service's model (sdk-models.ts) before the call, as Step Functions and the service check them:
 * see `sdkTaskRefusal`. So a Task parameter real AWS would refuse fails here too, whatever the
 * TaskHandler behind it does.
 */
import { MissingClientError, type ShapeProblem, sdkService, shapeValidator, upperFirst } from './sdk-models.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Obj = { [key: string]: Json };
type Any = any; // a state definition's loosely typed fields

/** A States Language error (`States.*`, or a service error such as `CodeDeploy.ThrottlingException`). */
export class StatesError extends Error {
  constructor(
    readonly error: string,
    override readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
  }
}

/** Thrown inside a run when it is aborted (StopExecution). */
class Aborted extends Error {}

export const MISSING = Symbol('missing');

/** CloudFormation's DefinitionSubstitutions: plain `${Name}` replacement in the definition text. */
export function substitute(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => {
    if (!(name in values)) throw new Error(`no substitution for ${whole}: add ${name} to the DefinitionSubstitutions`);
    return values[name]!;
  });
}

export function lookup(path: string, data: Json, context: Json): Json | typeof MISSING {
  let current: Json;
  let rest: string;
  if (path.startsWith('$$')) [current, rest] = [context, path.slice(2)];
  else if (path.startsWith('$')) [current, rest] = [data, path.slice(1)];
  else throw new Error(`not a path: ${path}`);
  const steps = rest.match(/\.[^.[]+|\[\d+\]/g) ?? [];
  if (steps.join('') !== rest) throw new Error(`path syntax this interpreter does not know: ${path}`);
  for (const step of steps) {
    if (step.startsWith('[')) {
      const i = Number(step.slice(1, -1));
      if (!Array.isArray(current) || i >= current.length) return MISSING;
      current = current[i]!;
    } else {
      const key = step.slice(1);
      if (current === null || typeof current !== 'object' || Array.isArray(current) || !(key in current)) return MISSING;
      current = (current as Obj)[key]!;
    }
  }
  return current;
}

function path(p: string, data: Json, context: Json): Json {
  const value = lookup(p, data, context);
  if (value === MISSING) throw new StatesError('States.Runtime', `The JSONPath '${p}' could not be found in the input`);
  return value;
}

/** Evaluates a `.$` value: a path or an intrinsic function call. */
function evaluate(expr: string, data: Json, context: Json): Json {
  if (!expr.startsWith('States.')) return path(expr, data, context);
  let i = 0;
  const ws = () => {
    while (expr[i] === ' ') i++;
  };
  const parseArg = (): Json => {
    ws();
    if (expr[i] === "'") {
      let s = '';
      i++;
      while (expr[i] !== "'") {
        if (i >= expr.length) throw new Error(`unterminated string in ${expr}`);
        if (expr[i] === '\\') i++;
        s += expr[i++];
      }
      i++;
      return s;
    }
    if (expr.startsWith('States.', i)) return parseCall();
    const m = /^[^,)]+/.exec(expr.slice(i))!;
    i += m[0].length;
    const token = m[0].trim();
    if (token.startsWith('$')) return path(token, data, context);
    if (token === 'null') return null;
    return JSON.parse(token) as Json;
  };
  const parseCall = (): Json => {
    const m = /^States\.[A-Za-z]+/.exec(expr.slice(i))!;
    i += m[0].length;
    if (expr[i++] !== '(') throw new Error(`expected ( in ${expr}`);
    const args: Json[] = [];
    ws();
    while (expr[i] !== ')') {
      args.push(parseArg());
      ws();
      if (expr[i] === ',') i++;
    }
    i++;
    return intrinsic(m[0], args);
  };
  const value = parseCall();
  if (i !== expr.length) throw new Error(`trailing text in ${expr}`);
  return value;
}

function intrinsic(name: string, args: Json[]): Json {
  switch (name) {
    case 'States.Format': {
      const [template, ...values] = args as [string, ...Json[]];
      let n = 0;
      return template.replace(/\{\}/g, () => {
        const v = values[n++];
        return typeof v === 'string' ? v : JSON.stringify(v);
      });
    }
    case 'States.JsonToString':
      return JSON.stringify(args[0]);
    case 'States.StringSplit': {
      // Step Functions drops empty parts, so '' splits to [] (what a stack without a VPC relies on).
      const [s, delimiters] = args as [string, string];
      return s.split(new RegExp(`[${delimiters.replace(/[\\\]^-]/g, '\\$&')}]`)).filter((part) => part !== '');
    }
    default:
      throw new Error(`intrinsic this interpreter does not know: ${name}`);
  }
}

/** Parameters, ItemSelector and ResultSelector templates. */
function payload(template: Json, data: Json, context: Json): Json {
  if (Array.isArray(template)) return template.map((t) => payload(t, data, context));
  if (template === null || typeof template !== 'object') return template;
  const out: Obj = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) out[key.slice(0, -2)] = evaluate(value as string, data, context);
    else out[key] = payload(value, data, context);
  }
  return out;
}

function applyResultPath(input: Json, resultPath: string | null | undefined, result: Json): Json {
  if (resultPath === null) return input;
  if (resultPath === undefined || resultPath === '$') return result;
  const keys = resultPath.replace(/^\$\./, '').split('.');
  const copy = structuredClone(input) as Obj;
  let target = copy;
  for (const key of keys.slice(0, -1)) {
    if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
    target = target[key] as Obj;
  }
  target[keys.at(-1)!] = result;
  return copy;
}

type Rule = Record<string, Any>;
function matches(rule: Rule, data: Json, context: Json): boolean {
  if (rule.And) return (rule.And as Rule[]).every((r) => matches(r, data, context));
  if (rule.Or) return (rule.Or as Rule[]).some((r) => matches(r, data, context));
  if (rule.Not) return !matches(rule.Not as Rule, data, context);
  const found = lookup(rule.Variable as string, data, context);
  if ('IsPresent' in rule) return (found !== MISSING) === rule.IsPresent;
  if (found === MISSING) throw new StatesError('States.Runtime', `Invalid path '${rule.Variable}': no such field`);
  if ('IsNull' in rule) return (found === null) === rule.IsNull;
  if ('StringEquals' in rule) return found === rule.StringEquals;
  if ('NumericEquals' in rule) return found === rule.NumericEquals;
  throw new Error(`choice rule this interpreter does not know: ${JSON.stringify(rule)}`);
}

export type TaskCall = { resource: string; params: Json };
export type TaskHandler = (call: TaskCall) => Json | Promise<Json>;

export interface Run {
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  output?: Json;
  error?: string;
  cause?: string;
  /** Every state left, with its output, in order (Map iterations included). */
  exits: { state: string; output: Json }[];
  calls: TaskCall[];
  waits: number;
}

/**
 * What Step Functions records: an event type (`TaskStateEntered`, `TaskScheduled`, …) and the
 * content of its one `*EventDetails` member, if any. Ids and timestamps are the recorder's business.
 */
export type HistoryEmit = (type: string, details?: Record<string, unknown>) => void;

export interface ExecuteOptions {
  /** Receives every history event as it happens, ExecutionStarted to the terminal event. */
  emit?: HistoryEmit;
  /**
   * Waits that many (definition) seconds: Wait states and retry intervals. Default: no waiting (the
   * unit test); the local cloud passes a scaled sleep so a 10 s poll takes a fraction of that.
   */
  sleep?: (seconds: number) => Promise<void>;
  /** Aborting ends the run as ABORTED before the next state, retry or wait. */
  signal?: AbortSignal;
  /** `$$.Execution` fields besides Input (Id, Name, StartTime, …). */
  execution?: Obj;
  /** Region reported in TaskScheduled events. */
  region?: string;
}

/** Errors a Retry or Catch on States.ALL does not see ("Error names" in the Step Functions developer guide): they end the execution. */
const TERMINAL_ERRORS = new Set(['States.Runtime', 'States.DataLimitExceeded']);

const errorMatches = (names: string[], error: string) =>
  names.includes(error) ||
  (names.includes('States.ALL') && !TERMINAL_ERRORS.has(error)) ||
  (names.includes('States.TaskFailed') && !error.startsWith('States.'));

/** `arn:aws:states:::aws-sdk:codedeploy:createDeployment` → ['aws-sdk:codedeploy', 'createDeployment']. */
export function splitResource(resource: string): { resourceType: string; resource: string } {
  const rest = resource.replace(/^arn:[^:]+:states:[^:]*:[^:]*:/, '');
  const i = rest.lastIndexOf(':');
  return i < 0 ? { resourceType: rest, resource: rest } : { resourceType: rest.slice(0, i), resource: rest.slice(i + 1) };
}

const text = (value: Json) => JSON.stringify(value);

interface Runtime {
  tasks: TaskHandler;
  run: Run;
  emit: HistoryEmit;
  sleep: (seconds: number) => Promise<void>;
  signal?: AbortSignal;
  region: string;
}

function checkAborted(rt: Runtime): void {
  if (rt.signal?.aborted) throw new Aborted();
}

async function pause(rt: Runtime, seconds: number): Promise<void> {
  checkAborted(rt);
  await rt.sleep(seconds);
  checkAborted(rt);
}

/** Step Functions' service name in `aws-sdk:<service>:` → the SDK v3 client package suffix, where they differ. */
const CLIENT_OF: Record<string, string> = { states: 'sfn' };

const fieldProblem = (p: ShapeProblem): string => {
  switch (p.kind) {
    case 'unknown-member':
      return `The field "${p.member}" is not supported by Step Functions (at '${p.path}')`;
    case 'missing-required':
      return `The field '${p.path}' is required but was missing`;
    case 'wrong-type':
      return `The value for the field '${p.path}' must be a ${p.expected === 'structure' ? 'JSON object' : p.expected}, not a ${p.got}`;
    case 'not-in-enum':
      return `Value '${p.value}' at '${p.path}' failed to satisfy constraint: Member must satisfy enum value set: [${p.allowed.join(', ')}]`;
  }
};

/**
 * What AWS does with an `aws-sdk:<service>:<action>` Task whose Parameters do not fit the
 * operation's input (model members in PascalCase, as Step Functions spells them):
 * - a member the model lacks, a missing required member, a value of the wrong JSON type: Step
 *   Functions cannot build the request, and the state fails with States.Runtime, "The Parameters
 *   '…' could not be used to start the Task: [The field "Foo" is not supported by Step Functions]"
 *   (its own wording), before the task is scheduled; States.Runtime is not caught by States.ALL in AWS;
 * - a value outside a model enum: the request is sent and the service refuses it, so the task
 *   fails with `<Service>.ValidationException` (`service`), which Retry and Catch see like any
 *   service error.
 */
export function sdkTaskRefusal(resource: string, params: Json, stateName: string): { request?: StatesError; service?: StatesError } {
  const { resourceType, resource: action } = splitResource(resource);
  const sdk = /^aws-sdk:([a-z0-9]+)$/.exec(resourceType);
  if (!sdk) return {};
  const serviceName = sdk[1]!;
  let model: ReturnType<typeof sdkService>;
  try {
    model = sdkService(CLIENT_OF[serviceName] ?? serviceName);
  } catch (err) {
    if (err instanceof MissingClientError) throw new Error(`${resource}: cannot check the Task's Parameters: ${err.message}`);
    throw err;
  }
  const operation = model.operation(upperFirst(action));
  const startFailure = (reasons: string[]) =>
    new StatesError(
      'States.Runtime',
      `An error occurred while executing the state '${stateName}'. The Parameters '${text(params)}' could not be used to start the Task: [${reasons.join(', ')}]`,
    );
  if (!operation)
    return { request: startFailure([`${action} is not an action of ${serviceName} (${model.packageName}@${model.version})`]) };
  const problems = shapeValidator(operation.input, 'pascal')(params);
  const request = problems.filter((p) => p.kind !== 'not-in-enum');
  if (request.length > 0) return { request: startFailure(request.map(fieldProblem)) };
  if (problems.length === 0) return {};
  const messages = problems.map(fieldProblem);
  return {
    service: new StatesError(
      `${model.serviceName}.ValidationException`,
      `${messages.length} validation error${messages.length === 1 ? '' : 's'} detected: ${messages.join('; ')} (Service: ${model.serviceName}, Status Code: 400)`,
    ),
  };
}

async function runTask(rt: Runtime, state: Obj, params: Json, stateName: string): Promise<Json> {
  const resource = state.Resource as string;
  const names = splitResource(resource);
  const refusal = sdkTaskRefusal(resource, params, stateName);
  if (refusal.request) throw refusal.request;
  const attempts = new Map<Obj, number>();
  for (;;) {
    checkAborted(rt);
    const call = { resource, params };
    rt.run.calls.push(call);
    rt.emit('TaskScheduled', { ...names, region: rt.region, parameters: text(params) });
    rt.emit('TaskStarted', names);
    try {
      if (refusal.service) throw refusal.service;
      const result = await rt.tasks(call);
      rt.emit('TaskSucceeded', { ...names, output: text(result) });
      return result;
    } catch (e) {
      if (!(e instanceof StatesError)) throw e;
      rt.emit('TaskFailed', { ...names, error: e.error, cause: e.cause });
      const retrier = ((state.Retry ?? []) as Obj[]).find((r) => errorMatches(r.ErrorEquals as string[], e.error));
      if (!retrier) throw e;
      const n = (attempts.get(retrier) ?? 0) + 1;
      if (n > ((retrier.MaxAttempts as number | undefined) ?? 3)) throw e;
      attempts.set(retrier, n);
      const interval =
        ((retrier.IntervalSeconds as number | undefined) ?? 1) * ((retrier.BackoffRate as number | undefined) ?? 2) ** (n - 1);
      await pause(rt, interval);
    }
  }
}

async function runStates(machine: Obj, input: Json, rt: Runtime, context: Json): Promise<Json> {
  const { run, emit } = rt;
  const states = machine.States as Record<string, Obj>;
  let name = machine.StartAt as string;
  let data = input;
  for (let transitions = 0; ; transitions++) {
    if (transitions > 5000) throw new Error('more than 5000 transitions: an endless poll loop?');
    checkAborted(rt);
    const state = states[name];
    if (!state) throw new Error(`no state ${name}`);
    const type = state.Type as string;
    emit(`${type}StateEntered`, { name, input: text(data) });
    const effective = state.InputPath === undefined ? data : state.InputPath === null ? {} : path(state.InputPath as string, data, context);
    let next = state.Next as string | undefined;
    let output: Json;
    try {
      switch (type) {
        case 'Pass': {
          const result = state.Parameters !== undefined ? payload(state.Parameters, effective, context) : (state.Result ?? effective);
          output = applyResultPath(data, state.ResultPath as string | null | undefined, result);
          break;
        }
        case 'Task': {
          const params = payload(state.Parameters ?? {}, effective, context);
          const result = await runTask(rt, state, params, name);
          const selected = state.ResultSelector ? payload(state.ResultSelector, result, context) : result;
          output = applyResultPath(data, state.ResultPath as string | null | undefined, selected);
          break;
        }
        case 'Choice': {
          const choice = ((state.Choices ?? []) as Rule[]).find((rule) => matches(rule, effective, context));
          next = (choice?.Next ?? state.Default) as string | undefined;
          if (!next) throw new StatesError('States.NoChoiceMatched', name);
          output = data;
          break;
        }
        case 'Wait': {
          run.waits++;
          const seconds = state.SecondsPath !== undefined ? path(state.SecondsPath as string, effective, context) : state.Seconds;
          if (typeof seconds !== 'number') throw new Error(`${name}: this interpreter knows Wait with Seconds or SecondsPath only`);
          await pause(rt, seconds);
          output = data;
          break;
        }
        case 'Map': {
          const items = path((state.ItemsPath as string | undefined) ?? '$', effective, context);
          if (!Array.isArray(items)) throw new StatesError('States.Runtime', `${name}: ItemsPath is not an array`);
          emit('MapStateStarted', { length: items.length });
          const results: Json[] = [];
          try {
            for (const [index, value] of items.entries()) {
              const itemContext = { ...(context as Obj), Map: { Item: { Index: index, Value: value } } };
              const itemInput = state.ItemSelector ? payload(state.ItemSelector, effective, itemContext) : value;
              emit('MapIterationStarted', { name, index });
              try {
                results.push(await runStates(state.ItemProcessor as Obj, itemInput, rt, itemContext));
              } catch (e) {
                if (e instanceof StatesError) emit('MapIterationFailed', { name, index });
                throw e;
              }
              emit('MapIterationSucceeded', { name, index });
            }
          } catch (e) {
            if (e instanceof StatesError) emit('MapStateFailed');
            throw e;
          }
          emit('MapStateSucceeded');
          const selected = state.ResultSelector ? payload(state.ResultSelector, results, context) : results;
          output = applyResultPath(data, state.ResultPath as string | null | undefined, selected);
          break;
        }
        case 'Fail': {
          const error = (state.Error as string | undefined) ?? (evaluate(state.ErrorPath as string, effective, context) as string);
          const cause = (state.Cause as string | undefined) ?? (evaluate(state.CausePath as string, effective, context) as string);
          throw new StatesError(error, cause);
        }
        case 'Succeed':
          output = effective;
          break;
        default:
          throw new Error(`state type this interpreter does not know: ${String(type)}`);
      }
    } catch (e) {
      if (!(e instanceof StatesError) || type === 'Fail') throw e;
      const catcher = ((state.Catch ?? []) as Obj[]).find((c) => errorMatches(c.ErrorEquals as string[], e.error));
      if (!catcher) throw e;
      data = applyResultPath(data, catcher.ResultPath as string | null | undefined, { Error: e.error, Cause: e.cause });
      run.exits.push({ state: name, output: data });
      emit(`${type}StateExited`, { name, output: text(data) });
      name = catcher.Next as string;
      continue;
    }
    if (state.OutputPath !== undefined && type !== 'Choice' && type !== 'Wait') {
      output = state.OutputPath === null ? {} : path(state.OutputPath as string, output, context);
    }
    run.exits.push({ state: name, output });
    emit(`${type}StateExited`, { name, output: text(output) });
    if (state.End === true || type === 'Succeed') return output;
    if (!next) throw new Error(`state ${name} has neither Next nor End`);
    data = output;
    name = next;
  }
}

/**
 * Runs a state machine definition on an input. Errors of the States Language end the run as FAILED
 * (as they end an execution); anything else (a definition this interpreter cannot run) throws.
 */
export async function execute(machine: Obj, input: Json, tasks: TaskHandler, options: ExecuteOptions = {}): Promise<Run> {
  const run: Run = { status: 'SUCCEEDED', exits: [], calls: [], waits: 0 };
  const emit: HistoryEmit = options.emit ?? (() => undefined);
  const rt: Runtime = {
    tasks,
    run,
    emit,
    sleep: options.sleep ?? (async () => undefined),
    signal: options.signal,
    region: options.region ?? 'us-east-1',
  };
  emit('ExecutionStarted', { input: text(input), inputDetails: { truncated: false } });
  try {
    run.output = await runStates(machine, input, rt, { Execution: { ...options.execution, Input: input } });
    emit('ExecutionSucceeded', { output: text(run.output), outputDetails: { truncated: false } });
  } catch (e) {
    if (e instanceof Aborted) {
      // The recorder writes ExecutionAborted itself, at the moment StopExecution was called.
      run.status = 'ABORTED';
      return run;
    }
    if (!(e instanceof StatesError)) throw e;
    Object.assign(run, { status: 'FAILED', error: e.error, cause: e.cause });
    emit('ExecutionFailed', { error: e.error, cause: e.cause });
  }
  return run;
}
