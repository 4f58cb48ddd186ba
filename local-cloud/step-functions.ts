/**
 * A local Step Functions (Standard workflows) speaking the AWS JSON 1.0 protocol (`AWSStepFunctions.*`)
 * that really carries out state machine definitions with the shared interpreter (asl-interpreter.ts),
 * recording the history events Step Functions records (ExecutionStarted, <Type>StateEntered/Exited
 * with their name and input/output, TaskScheduled/Started/Succeeded/Failed, MapStateStarted,
 * MapIteration*, ExecutionSucceeded/Failed/Aborted with error and cause).
 *
 * Task states go to `integrations` in-process (the local CodeDeploy and Lambda). Wait states and
 * retry intervals are multiplied by `timeScale` (0.1 makes the state machine's 10 s poll 1 s), so a
 * local deploy is quick; history timestamps are real.
 *
 * Not modelled: execution timeouts (TimeoutSeconds), Express workflows, redrive, IAM.
 */
import { randomUUID } from 'node:crypto';
import { AwsServiceError, startAwsJsonServer, type AwsJsonServer, type Authorizer, type Handler } from './aws-json-server.js';
import { execute, type HistoryEmit, type Json, type Obj, type TaskHandler } from './asl-interpreter.js';

export interface LocalStateMachine {
  stateMachineArn: string;
  name: string;
  definition: string;
  roleArn: string;
  creationDate: number;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

export interface RecordedEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  details?: Record<string, unknown>;
}

export interface LocalExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  events: RecordedEvent[];
  abort: AbortController;
  /** Settles when the execution has ended. */
  done: Promise<void>;
}

export interface LocalStepFunctionsOptions {
  region?: string;
  account?: string;
  /** Wait states and retry intervals last `seconds × timeScale` real seconds. Default 1. */
  timeScale?: number;
  /** Carries out a Task state's call (`arn:aws:states:::aws-sdk:codedeploy:createDeployment`, …). */
  integrations: TaskHandler;
}

export interface LocalStepFunctions extends AwsJsonServer {
  stateMachines: Map<string, LocalStateMachine>;
  executions: Map<string, LocalExecution>;
  createStateMachine(o: { name: string; definition: string; roleArn?: string }): LocalStateMachine;
}

/** Step Functions' rule for state machine and execution names. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: names with control characters are what AWS refuses
const NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

export const detailsKey = (type: string): string =>
  type.endsWith('StateEntered')
    ? 'stateEnteredEventDetails'
    : type.endsWith('StateExited')
      ? 'stateExitedEventDetails'
      : `${type[0]!.toLowerCase()}${type.slice(1)}EventDetails`;

const seconds = (ms: number) => ms / 1000;

/** The fields DescribeExecution and ListExecutions share. */
const executionSummary = (e: LocalExecution) => ({
  executionArn: e.executionArn,
  stateMachineArn: e.stateMachineArn,
  name: e.name,
  status: e.status,
  startDate: seconds(e.startDate),
  ...(e.stopDate ? { stopDate: seconds(e.stopDate) } : {}),
});

/** The fake's state, shared by the operations. */
interface StepFunctionsState {
  region: string;
  account: string;
  timeScale: number;
  integrations: TaskHandler;
  stateMachines: Map<string, LocalStateMachine>;
  executions: Map<string, LocalExecution>;
}

function machine(s: StepFunctionsState, arn: unknown): LocalStateMachine {
  const m = s.stateMachines.get(String(arn));
  if (!m) throw new AwsServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(arn)}'`);
  return m;
}

function execution(s: StepFunctionsState, arn: unknown): LocalExecution {
  const e = s.executions.get(String(arn));
  if (!e) throw new AwsServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(arn)}'`);
  return e;
}

function record(e: LocalExecution, type: string, details?: Record<string, unknown>) {
  const id = e.events.length + 1;
  e.events.push({ id, previousEventId: id - 1, timestamp: Date.now(), type, ...(details ? { details } : {}) });
}

/** Sleeps the scaled time, returning early when the execution is aborted. */
const sleeper = (timeScale: number, signal: AbortSignal) => (sec: number) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, sec * 1000 * timeScale);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

/** Starts running `m` on `input` in the background. */
function begin(s: StepFunctionsState, m: LocalStateMachine, name: string, input: string): LocalExecution {
  const executionArn = `arn:aws:states:${s.region}:${s.account}:execution:${m.name}:${name}`;
  const e: LocalExecution = {
    executionArn,
    stateMachineArn: m.stateMachineArn,
    name,
    input,
    status: 'RUNNING',
    startDate: Date.now(),
    events: [],
    abort: new AbortController(),
    done: Promise.resolve(),
  };
  s.executions.set(executionArn, e);
  // Events are recorded only while the execution runs: after StopExecution, what the interpreter
  // still reports (it stops at the next state) is dropped, as Step Functions drops it.
  const emit: HistoryEmit = (type, details) => {
    if (e.status !== 'RUNNING') return;
    if (type === 'ExecutionStarted') details = { ...details, roleArn: m.roleArn };
    record(e, type, details);
  };
  const definition = JSON.parse(m.definition) as Obj;
  e.done = execute(definition, JSON.parse(input) as Json, s.integrations, {
    emit,
    sleep: sleeper(s.timeScale, e.abort.signal),
    signal: e.abort.signal,
    region: s.region,
    execution: { Id: executionArn, Name: name, StartTime: new Date(e.startDate).toISOString(), RoleArn: m.roleArn },
  })
    .then((run) => {
      if (e.status !== 'RUNNING') return;
      e.stopDate = Date.now();
      if (run.status === 'SUCCEEDED') Object.assign(e, { status: 'SUCCEEDED', output: JSON.stringify(run.output) });
      else if (run.status === 'FAILED') Object.assign(e, { status: 'FAILED', error: run.error, cause: run.cause });
    })
    .catch((err: unknown) => {
      // The interpreter met something it cannot run: fail the execution saying so, like a runtime error.
      if (e.status !== 'RUNNING') return;
      const cause = `local Step Functions (local-cloud/asl-interpreter.ts) cannot run this: ${(err as Error).message}`;
      record(e, 'ExecutionFailed', { error: 'States.Runtime', cause });
      Object.assign(e, { status: 'FAILED', stopDate: Date.now(), error: 'States.Runtime', cause });
    });
  return e;
}

function eventJson(ev: RecordedEvent, includeData: boolean) {
  let details = ev.details;
  if (details && !includeData) {
    const { input: _i, output: _o, ...rest } = details;
    details = rest;
  }
  return {
    timestamp: seconds(ev.timestamp),
    type: ev.type,
    id: ev.id,
    previousEventId: ev.previousEventId,
    ...(details ? { [detailsKey(ev.type)]: details } : {}),
  };
}

// ---- the operations, one function each ----

function describeStateMachine(s: StepFunctionsState, input: any) {
  const m = machine(s, input.stateMachineArn);
  return {
    stateMachineArn: m.stateMachineArn,
    name: m.name,
    status: 'ACTIVE',
    definition: m.definition,
    roleArn: m.roleArn,
    type: 'STANDARD',
    creationDate: seconds(m.creationDate),
    loggingConfiguration: { level: 'OFF', includeExecutionData: false },
    tracingConfiguration: { enabled: false },
  };
}

function startExecution(s: StepFunctionsState, input: any) {
  const m = machine(s, input.stateMachineArn);
  const name = input.name === undefined ? randomUUID() : input.name;
  if (typeof name !== 'string' || !NAME.test(name)) throw new AwsServiceError('InvalidName', `Invalid Name: '${String(name)}'`);
  const text = input.input === undefined ? '{}' : String(input.input);
  try {
    JSON.parse(text);
  } catch {
    throw new AwsServiceError('InvalidExecutionInput', 'Invalid State Machine Execution Input: the input is not JSON');
  }
  const existing = s.executions.get(`arn:aws:states:${s.region}:${s.account}:execution:${m.name}:${name}`);
  if (existing) {
    // Idempotent while running with the same input; otherwise the name is taken (for 90 days).
    if (existing.status === 'RUNNING' && existing.input === text)
      return { executionArn: existing.executionArn, startDate: seconds(existing.startDate) };
    throw new AwsServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.executionArn}'`);
  }
  const e = begin(s, m, name, text);
  return { executionArn: e.executionArn, startDate: seconds(e.startDate) };
}

function describeExecution(s: StepFunctionsState, input: any) {
  const e = execution(s, input.executionArn);
  return {
    ...executionSummary(e),
    input: e.input,
    inputDetails: { included: true },
    ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
    ...(e.error !== undefined ? { error: e.error } : {}),
    ...(e.cause !== undefined ? { cause: e.cause } : {}),
  };
}

function listExecutions(s: StepFunctionsState, input: any) {
  machine(s, input.stateMachineArn);
  const all = [...s.executions.values()]
    .filter((e) => e.stateMachineArn === input.stateMachineArn && (!input.statusFilter || e.status === input.statusFilter))
    .sort((a, b) => b.startDate - a.startDate);
  const page = Math.min(Number(input.maxResults) || 100, 1000);
  const start = input.nextToken ? Number(Buffer.from(String(input.nextToken), 'base64').toString()) : 0;
  return {
    executions: all.slice(start, start + page).map(executionSummary),
    ...(start + page < all.length ? { nextToken: Buffer.from(String(start + page)).toString('base64') } : {}),
  };
}

function getExecutionHistory(s: StepFunctionsState, input: any) {
  const e = execution(s, input.executionArn);
  const includeData = input.includeExecutionData !== false;
  const max = Math.min(Number(input.maxResults) || 100, 1000);
  const events = input.reverseOrder ? [...e.events].reverse() : e.events;
  // The token is the id to continue from, so pages stay stable while new events arrive.
  const from = input.nextToken ? Number(Buffer.from(String(input.nextToken), 'base64').toString()) : undefined;
  const rest = from === undefined ? events : events.filter((ev) => (input.reverseOrder ? ev.id <= from : ev.id >= from));
  const page = rest.slice(0, max);
  const next = rest[max];
  return {
    events: page.map((ev) => eventJson(ev, includeData)),
    ...(next ? { nextToken: Buffer.from(String(next.id)).toString('base64') } : {}),
  };
}

function stopExecution(s: StepFunctionsState, input: any) {
  const e = execution(s, input.executionArn);
  if (e.status === 'RUNNING') {
    const details = {
      ...(input.error !== undefined ? { error: String(input.error) } : {}),
      ...(input.cause !== undefined ? { cause: String(input.cause) } : {}),
    };
    record(e, 'ExecutionAborted', details);
    Object.assign(e, { status: 'ABORTED', stopDate: Date.now(), ...details });
    e.abort.abort();
  }
  return { stopDate: seconds(e.stopDate ?? Date.now()) };
}

// ---- what IAM checks for each operation (Service Authorization Reference, "AWS Step Functions") ----

type Operation = {
  handle: (s: StepFunctionsState, input: any) => unknown;
  authorize: (input: any) => { action: string; resource: string }[];
};
const onMachine = (action: string) => (i: any) => [{ action: `states:${action}`, resource: String(i.stateMachineArn) }];
const onExecution = (action: string) => (i: any) => [{ action: `states:${action}`, resource: String(i.executionArn) }];

/** The operations this local Step Functions answers; any other answers UnknownOperationException. */
const OPERATIONS: Record<string, Operation> = {
  DescribeStateMachine: { handle: describeStateMachine, authorize: onMachine('DescribeStateMachine') },
  StartExecution: { handle: startExecution, authorize: onMachine('StartExecution') },
  ListExecutions: { handle: listExecutions, authorize: onMachine('ListExecutions') },
  DescribeExecution: { handle: describeExecution, authorize: onExecution('DescribeExecution') },
  GetExecutionHistory: { handle: getExecutionHistory, authorize: onExecution('GetExecutionHistory') },
  StopExecution: { handle: stopExecution, authorize: onExecution('StopExecution') },
};

export async function startLocalStepFunctions(options: LocalStepFunctionsOptions): Promise<LocalStepFunctions> {
  const state: StepFunctionsState = {
    region: options.region ?? 'us-east-1',
    account: options.account ?? '123456789012',
    timeScale: options.timeScale ?? 1,
    integrations: options.integrations,
    stateMachines: new Map(),
    executions: new Map(),
  };
  const handlers: Record<string, Handler> = {};
  const authorize: Record<string, Authorizer> = {};
  for (const [name, op] of Object.entries(OPERATIONS)) {
    handlers[name] = (input) => op.handle(state, input);
    authorize[name] = op.authorize;
  }
  const server = await startAwsJsonServer({ targetPrefix: 'AWSStepFunctions', protocol: '1.0', handlers, authorize });

  return Object.assign(server, {
    stateMachines: state.stateMachines,
    executions: state.executions,
    createStateMachine(o: { name: string; definition: string; roleArn?: string }): LocalStateMachine {
      if (!NAME.test(o.name)) throw new Error(`invalid state machine name ${o.name}`);
      const m: LocalStateMachine = {
        stateMachineArn: `arn:aws:states:${state.region}:${state.account}:stateMachine:${o.name}`,
        name: o.name,
        definition: o.definition,
        roleArn: o.roleArn ?? `arn:aws:iam::${state.account}:role/${o.name}-states`,
        creationDate: Date.now(),
      };
      state.stateMachines.set(m.stateMachineArn, m);
      return m;
    },
  });
}
