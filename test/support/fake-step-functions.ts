import type { Clock } from '../../src/core/deploy/clock.js';
import { AwsServiceError, startAwsJsonServer, type AwsJsonServer } from '../../local-cloud/aws-json-server.js';

/**
 * A Step Functions endpoint (awsJson1.0) that replays scripted executions against a (scaled) clock:
 * each scripted event becomes visible in GetExecutionHistory / DescribeExecution when its time comes.
 * It keeps the real API's rules that the deploy relies on: execution names (characters, 80 at most),
 * StartExecution idempotency by name and input, ExecutionDoesNotExist, history paging in both orders.
 */
export interface ScriptedEvent {
  /** Milliseconds after the execution's start. */
  offsetMs: number;
  type: string;
  /** The event's `*EventDetails` member (the key is derived from the type). */
  details?: Record<string, unknown>;
}

export interface FakeExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  startMs: number;
  events: ScriptedEvent[];
  stoppedAtMs?: number;
  stopError?: string;
  stopCause?: string;
}

export interface FakeStepFunctions extends AwsJsonServer {
  executions: Map<string, FakeExecution>;
  /** Adds an execution (e.g. one already running for the same group); events are relative to startMs. */
  addExecution(e: { stateMachineArn: string; name: string; input: unknown; startMs: number; events: ScriptedEvent[] }): FakeExecution;
  statusOf(executionArn: string): string;
}

export interface FakeStepFunctionsOptions {
  clock: Clock;
  stateMachines: string[];
  /** Scripts an execution started through StartExecution. */
  onStart: (execution: { executionArn: string; name: string; input: unknown; startMs: number }) => ScriptedEvent[];
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: names with control characters are what AWS refuses
const NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;
const TERMINAL: Record<string, string> = {
  ExecutionSucceeded: 'SUCCEEDED',
  ExecutionFailed: 'FAILED',
  ExecutionAborted: 'ABORTED',
  ExecutionTimedOut: 'TIMED_OUT',
};

export const detailsKey = (type: string): string =>
  type.endsWith('StateEntered')
    ? 'stateEnteredEventDetails'
    : type.endsWith('StateExited')
      ? 'stateExitedEventDetails'
      : `${type[0]!.toLowerCase()}${type.slice(1)}EventDetails`;

export async function startFakeStepFunctions(options: FakeStepFunctionsOptions): Promise<FakeStepFunctions> {
  const { clock } = options;
  const executions = new Map<string, FakeExecution>();

  const arnFor = (stateMachineArn: string, name: string) => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

  /** The events visible now, with ids, plus ExecutionAborted when stopped. */
  const visible = (e: FakeExecution) => {
    const now = clock.now();
    const limit = e.stoppedAtMs ?? Infinity;
    const shown = e.events.filter((ev) => e.startMs + ev.offsetMs <= now && e.startMs + ev.offsetMs <= limit);
    const list = shown.map((ev) => ({ ...ev, at: e.startMs + ev.offsetMs }));
    if (e.stoppedAtMs !== undefined && e.stoppedAtMs <= now && !list.some((ev) => TERMINAL[ev.type])) {
      list.push({
        offsetMs: e.stoppedAtMs - e.startMs,
        type: 'ExecutionAborted',
        details: { error: e.stopError, cause: e.stopCause },
        at: e.stoppedAtMs,
      });
    }
    return list.map((ev, i) => ({
      id: i + 1,
      previousEventId: i,
      timestamp: ev.at / 1000,
      type: ev.type,
      ...(ev.details ? { [detailsKey(ev.type)]: ev.details } : {}),
    }));
  };

  const statusOf = (arn: string): string => {
    const e = executions.get(arn);
    if (!e) return 'UNKNOWN';
    const last = visible(e).at(-1);
    return (last && TERMINAL[last.type]) ?? 'RUNNING';
  };

  const get = (arn: unknown): FakeExecution => {
    const e = executions.get(String(arn));
    if (!e) throw new AwsServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(arn)}'`);
    return e;
  };

  const addExecution: FakeStepFunctions['addExecution'] = (p) => {
    const executionArn = arnFor(p.stateMachineArn, p.name);
    const e: FakeExecution = {
      executionArn,
      stateMachineArn: p.stateMachineArn,
      name: p.name,
      input: JSON.stringify(p.input),
      startMs: p.startMs,
      events: [...p.events].sort((a, b) => a.offsetMs - b.offsetMs),
    };
    executions.set(executionArn, e);
    return e;
  };

  const server = await startAwsJsonServer({
    targetPrefix: 'AWSStepFunctions',
    protocol: '1.0',
    handlers: {
      StartExecution: (input) => {
        if (!options.stateMachines.includes(input.stateMachineArn)) {
          throw new AwsServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(input.stateMachineArn)}'`);
        }
        if (typeof input.name !== 'string' || !NAME.test(input.name))
          throw new AwsServiceError('InvalidName', `Invalid Name: '${String(input.name)}'`);
        const executionArn = arnFor(input.stateMachineArn, input.name);
        const existing = executions.get(executionArn);
        if (existing) {
          if (statusOf(executionArn) === 'RUNNING' && existing.input === input.input)
            return { executionArn, startDate: existing.startMs / 1000 };
          throw new AwsServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
        }
        const startMs = clock.now();
        const parsed: unknown = JSON.parse(input.input ?? '{}');
        const events = options.onStart({ executionArn, name: input.name, input: parsed, startMs });
        addExecution({ stateMachineArn: input.stateMachineArn, name: input.name, input: parsed, startMs, events });
        return { executionArn, startDate: startMs / 1000 };
      },
      DescribeExecution: (input) => {
        const e = get(input.executionArn);
        const events = visible(e);
        const last = events.at(-1) as Record<string, any> | undefined;
        const status = statusOf(e.executionArn);
        const details = last ? last[detailsKey(last.type)] : undefined;
        return {
          executionArn: e.executionArn,
          stateMachineArn: e.stateMachineArn,
          name: e.name,
          status,
          startDate: e.startMs / 1000,
          ...(status !== 'RUNNING' && last ? { stopDate: last.timestamp } : {}),
          input: e.input,
          ...(status === 'SUCCEEDED' ? { output: details?.output } : {}),
          ...(status !== 'RUNNING' && status !== 'SUCCEEDED' ? { error: details?.error, cause: details?.cause } : {}),
        };
      },
      ListExecutions: (input) => {
        const all = [...executions.values()]
          .filter(
            (e) => e.stateMachineArn === input.stateMachineArn && (!input.statusFilter || statusOf(e.executionArn) === input.statusFilter),
          )
          .sort((a, b) => b.startMs - a.startMs);
        const page = Math.min(Number(input.maxResults) || 100, 1000);
        const start = input.nextToken ? Number(input.nextToken) : 0;
        return {
          executions: all.slice(start, start + page).map((e) => ({
            executionArn: e.executionArn,
            stateMachineArn: e.stateMachineArn,
            name: e.name,
            status: statusOf(e.executionArn),
            startDate: e.startMs / 1000,
          })),
          ...(start + page < all.length ? { nextToken: String(start + page) } : {}),
        };
      },
      GetExecutionHistory: (input) => {
        const e = get(input.executionArn);
        let events = visible(e);
        if (input.includeExecutionData === false) {
          events = events.map((ev) => JSON.parse(JSON.stringify(ev, (k, v) => (k === 'input' || k === 'output' ? undefined : v))));
        }
        const max = Math.min(Number(input.maxResults) || 100, 1000);
        // The token is the id to continue from, so pages stay stable while new events arrive.
        const from = input.nextToken ? Number(Buffer.from(String(input.nextToken), 'base64').toString()) : undefined;
        const ordered = input.reverseOrder ? [...events].reverse() : events;
        const rest = from === undefined ? ordered : ordered.filter((ev) => (input.reverseOrder ? ev.id <= from : ev.id >= from));
        const page = rest.slice(0, max);
        const next = rest[max];
        return { events: page, ...(next ? { nextToken: Buffer.from(String(next.id)).toString('base64') } : {}) };
      },
      StopExecution: (input) => {
        const e = get(input.executionArn);
        if (statusOf(e.executionArn) === 'RUNNING') {
          e.stoppedAtMs = clock.now();
          e.stopError = input.error;
          e.stopCause = input.cause;
        }
        return { stopDate: (e.stoppedAtMs ?? clock.now()) / 1000 };
      },
    },
  });
  return Object.assign(server, { executions, addExecution, statusOf });
}
