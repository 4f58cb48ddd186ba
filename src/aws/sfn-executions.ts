import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  paginateListExecutions,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  type HistoryEvent as SdkHistoryEvent,
} from '@aws-sdk/client-sfn';
import type { ExecutionDescription, ExecutionSummary, HistoryEvent, HistoryPage, StepFunctionsPort } from '../core/deploy/ports.js';
import { hasErrorName } from '../core/sdk-errors.js';
import { HTTP_TIMEOUTS } from './http-timeouts.js';

/** The deploy's Step Functions port over the SDK (endpoint from AWS_ENDPOINT_URL_SFN when set). */
export class SfnExecutions implements StepFunctionsPort {
  constructor(private readonly client: SFNClient) {}

  async startExecution(request: {
    stateMachineArn: string;
    name: string;
    input: string;
  }): Promise<{ executionArn: string; startDate: Date }> {
    const out = await this.client.send(new StartExecutionCommand(request));
    return { executionArn: out.executionArn!, startDate: out.startDate ?? new Date() };
  }

  async describeExecution(executionArn: string): Promise<ExecutionDescription | null> {
    try {
      const out = await this.client.send(new DescribeExecutionCommand({ executionArn }));
      return {
        executionArn: out.executionArn ?? executionArn,
        stateMachineArn: out.stateMachineArn ?? '',
        name: out.name ?? '',
        status: out.status ?? 'RUNNING',
        startDate: out.startDate ?? new Date(0),
        stopDate: out.stopDate,
        input: out.input,
        output: out.output,
        error: out.error,
        cause: out.cause,
      };
    } catch (err) {
      if (hasErrorName(err, 'ExecutionDoesNotExist')) return null;
      throw err;
    }
  }

  async listRunningExecutions(stateMachineArn: string): Promise<ExecutionSummary[]> {
    const found: ExecutionSummary[] = [];
    for await (const page of paginateListExecutions(
      { client: this.client },
      { stateMachineArn, statusFilter: 'RUNNING', maxResults: 100 },
    )) {
      for (const e of page.executions ?? []) {
        if (e.executionArn) found.push({ executionArn: e.executionArn, name: e.name ?? '', startDate: e.startDate ?? new Date(0) });
      }
    }
    return found;
  }

  async getHistoryPage(request: {
    executionArn: string;
    reverseOrder: boolean;
    maxResults: number;
    nextToken?: string;
  }): Promise<HistoryPage> {
    const out = await this.client.send(new GetExecutionHistoryCommand({ ...request, includeExecutionData: true }));
    return { events: (out.events ?? []).map(toHistoryEvent), nextToken: out.nextToken };
  }

  async stopExecution(request: { executionArn: string; error: string; cause: string }): Promise<void> {
    await this.client.send(new StopExecutionCommand(request));
  }
}

/** Folds the event's one `*EventDetails` member into the core's flat shape. */
export function toHistoryEvent(event: SdkHistoryEvent): HistoryEvent {
  const result: HistoryEvent = {
    id: event.id ?? 0,
    previousEventId: event.previousEventId,
    type: event.type ?? 'Unknown',
    timestamp: event.timestamp ?? new Date(0),
  };
  for (const [key, value] of Object.entries(event)) {
    if (!key.endsWith('EventDetails') || value === null || typeof value !== 'object') continue;
    const d = value as {
      name?: string;
      input?: string;
      output?: string;
      resource?: string;
      resourceType?: string;
      error?: string;
      cause?: string;
    };
    if (d.name !== undefined && (key === 'stateEnteredEventDetails' || key === 'stateExitedEventDetails')) result.stateName = d.name;
    result.data = d.output ?? d.input ?? result.data;
    if (d.resource !== undefined) result.resource = d.resourceType ? `${d.resourceType}:${d.resource}` : d.resource;
    if (d.error !== undefined) result.error = d.error;
    if (d.cause !== undefined) result.cause = d.cause;
  }
  return result;
}

export const createSfnClient = (opts: { region?: string }): SFNClient =>
  new SFNClient({ region: opts.region || undefined, requestHandler: HTTP_TIMEOUTS });
