import { ExecutionTimeline, findDeploymentIds } from '../../src/core/deploy/execution-timeline.js';
import type { HistoryEvent } from '../../src/core/deploy/ports.js';

let id = 0;
const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s));
const ev = (s: number, type: string, extra: Partial<HistoryEvent> = {}): HistoryEvent => ({ id: ++id, type, timestamp: at(s), ...extra });

test('state transitions with durations, loop visits counted, the deployment found in a nested output, the end', () => {
  const t = new ExecutionTimeline();
  const changes = t.apply([
    ev(0, 'ExecutionStarted'),
    ev(0, 'TaskStateEntered', { stateName: 'EnsureLambdas' }),
    ev(2, 'TaskStateExited', { stateName: 'EnsureLambdas', data: '{}' }),
    ev(2, 'TaskStateEntered', { stateName: 'CreateDeployment' }),
    ev(3, 'TaskSucceeded', { data: '{"DeploymentId":"d-ABCDEFGH1"}' }),
    ev(3, 'TaskStateExited', { stateName: 'CreateDeployment', data: '{"app":"x","deployment":{"DeploymentId":"d-ABCDEFGH1"}}' }),
    ev(3, 'WaitStateEntered', { stateName: 'Wait' }),
    ev(13, 'WaitStateExited', { stateName: 'Wait' }),
    ev(13, 'WaitStateEntered', { stateName: 'Wait' }),
    ev(23, 'WaitStateExited', { stateName: 'Wait' }),
    ev(23, 'SucceedStateEntered', { stateName: 'Done' }),
    ev(23, 'SucceedStateExited', { stateName: 'Done' }),
    ev(23, 'ExecutionSucceeded', { data: '{"DeploymentId":"d-ABCDEFGH1","Lambdas":[]}' }),
  ]);
  expect(changes.map((c) => `${c.kind}${'state' in c && c.state ? ` ${c.state}` : ''}${'visit' in c ? `#${c.visit}` : ''}`)).toEqual([
    'execution-began',
    'state-entered EnsureLambdas#1',
    'state-exited EnsureLambdas#1',
    'state-entered CreateDeployment#1',
    'deployment-found CreateDeployment',
    'state-exited CreateDeployment#1',
    'state-entered Wait#1',
    'state-exited Wait#1',
    'state-entered Wait#2',
    'state-exited Wait#2',
    'state-entered Done#1',
    'state-exited Done#1',
    'execution-finished',
  ]);
  expect(t.deploymentIds).toEqual(['d-ABCDEFGH1']);
  expect(t.states.get('Wait')).toMatchObject({ visits: 2, totalMs: 20_000, result: 'succeeded' });
  expect(t.terminal).toMatchObject({ status: 'SUCCEEDED', output: '{"DeploymentId":"d-ABCDEFGH1","Lambdas":[]}' });
});

test('events arriving in several reads give the same result; a failure belongs to the open state', () => {
  const t = new ExecutionTimeline();
  t.apply([ev(0, 'ExecutionStarted'), ev(0, 'TaskStateEntered', { stateName: 'EnsureLambdas' })]);
  const later = t.apply([
    ev(1, 'TaskFailed', { error: 'Lambda.Unknown', cause: 'x' }),
    ev(1, 'ExecutionFailed', { error: 'Lambda.Unknown', cause: 'x' }),
  ]);
  expect(later[0]).toMatchObject({ kind: 'state-failure', state: 'EnsureLambdas', eventType: 'TaskFailed', error: 'Lambda.Unknown' });
  expect(t.states.get('EnsureLambdas')).toMatchObject({ result: 'failed', error: 'Lambda.Unknown' });
  expect(t.terminal).toMatchObject({ status: 'FAILED', error: 'Lambda.Unknown', cause: 'x' });
});

test('a failure a Catch handles is reported as handled, with the state the Catch went to, once the next event shows it', () => {
  const t = new ExecutionTimeline();
  t.apply([ev(0, 'ExecutionStarted'), ev(0, 'TaskStateEntered', { stateName: 'GetFunction' })]);
  // The outcome is not known yet: nothing is reported until the next event.
  expect(t.apply([ev(1, 'TaskFailed', { error: 'Lambda.ResourceNotFoundException', cause: 'not found' })])).toEqual([]);
  const later = t.apply([
    ev(1, 'TaskStateExited', { stateName: 'GetFunction', data: '{}' }),
    ev(1, 'TaskStateEntered', { stateName: 'CreateFunction' }),
  ]);
  expect(later.map((c) => c.kind)).toEqual(['state-failure', 'state-exited', 'state-entered']);
  expect(later[0]).toMatchObject({
    state: 'GetFunction',
    error: 'Lambda.ResourceNotFoundException',
    handled: { next: 'CreateFunction' },
  });
});

test('a Catch without an exit event, a Retry, and an unhandled failure', () => {
  const t = new ExecutionTimeline();
  t.apply([ev(0, 'ExecutionStarted'), ev(0, 'TaskStateEntered', { stateName: 'A' })]);
  const caught = t.apply([ev(1, 'TaskFailed', { error: 'E1' }), ev(1, 'PassStateEntered', { stateName: 'B' })]);
  expect(caught[0]).toMatchObject({ kind: 'state-failure', state: 'A', handled: { next: 'B' } });
  t.apply([ev(2, 'TaskStateEntered', { stateName: 'C' })]);
  const retried = t.apply([ev(3, 'TaskFailed', { error: 'E2' }), ev(4, 'TaskScheduled')]);
  expect(retried[0]).toMatchObject({ kind: 'state-failure', state: 'C', handled: { next: undefined } });
  const failed = t.apply([ev(5, 'TaskFailed', { error: 'E3' }), ev(5, 'ExecutionFailed', { error: 'E3' })]);
  expect(failed.map((c) => c.kind)).toEqual(['state-failure', 'execution-finished']);
  expect(failed[0]).not.toHaveProperty('handled');
});

test('flush: a failure whose outcome was never seen comes out as it is', () => {
  const t = new ExecutionTimeline();
  t.apply([ev(0, 'ExecutionStarted'), ev(0, 'TaskStateEntered', { stateName: 'A' }), ev(1, 'TaskFailed', { error: 'E' })]);
  const flushed = t.flush();
  expect(flushed).toHaveLength(1);
  expect(flushed[0]).not.toHaveProperty('handled');
  expect(t.flush()).toEqual([]);
});

test('an aborted execution closes its open states as aborted', () => {
  const t = new ExecutionTimeline();
  t.apply([
    ev(0, 'ExecutionStarted'),
    ev(0, 'WaitStateEntered', { stateName: 'Wait' }),
    ev(5, 'ExecutionAborted', { error: 'IonActions.DeployCancelled' }),
  ]);
  expect(t.states.get('Wait')).toMatchObject({ result: 'aborted', totalMs: 5000 });
  expect(t.terminal?.status).toBe('ABORTED');
});

test('findDeploymentIds: the createDeployment result, nested outputs, not look-alikes', () => {
  expect(findDeploymentIds({ DeploymentId: 'd-ABC123XYZ' })).toEqual(['d-ABC123XYZ']);
  expect(findDeploymentIds({ a: [{ deployment: { DeploymentId: 'd-ABC123XYZ' } }], b: { DeploymentId: 'd-ABC123XYZ' } })).toEqual([
    'd-ABC123XYZ',
  ]);
  expect(findDeploymentIds({ DeploymentId: 'not-an-id', deploymentId: 'd-LOWERCASE1' })).toEqual([]);
});

test('quietUntil: in a Wait state visited before, its end from the shortest earlier visit; unknown otherwise', () => {
  const t = new ExecutionTimeline();
  const s = (x: number) => at(x).getTime();
  t.apply([ev(0, 'ExecutionStarted'), ev(0, 'TaskStateEntered', { stateName: 'Create' })]);
  expect(t.quietUntil()).toBeUndefined(); // a Task: it ends when its work does
  t.apply([ev(3, 'TaskStateExited', { stateName: 'Create' }), ev(3, 'WaitStateEntered', { stateName: 'Wait' })]);
  expect(t.quietUntil()).toBeUndefined(); // a first visit: how long it waits is not known yet
  t.apply([
    ev(13, 'WaitStateExited', { stateName: 'Wait' }),
    ev(13, 'TaskStateEntered', { stateName: 'Check' }),
    ev(14, 'TaskStateExited', { stateName: 'Check' }),
    ev(14, 'WaitStateEntered', { stateName: 'Wait' }),
  ]);
  expect(t.quietUntil()).toBe(s(24));
  // A shorter visit lowers the bound: a wait of varying length is read no later than its shortest.
  t.apply([ev(20, 'WaitStateExited', { stateName: 'Wait' }), ev(21, 'WaitStateEntered', { stateName: 'Wait' })]);
  expect(t.quietUntil()).toBe(s(27));
  // Out of the Wait state: nothing is known about what runs next.
  t.apply([ev(27, 'WaitStateExited', { stateName: 'Wait' }), ev(27, 'TaskStateEntered', { stateName: 'Check' })]);
  expect(t.quietUntil()).toBeUndefined();
  // Another state open beside it (a Parallel branch) or a failure held back: unknown.
  t.apply([ev(28, 'TaskStateExited', { stateName: 'Check' }), ev(28, 'ParallelStateEntered', { stateName: 'Both' })]);
  t.apply([ev(28, 'WaitStateEntered', { stateName: 'Wait' })]);
  expect(t.quietUntil()).toBeUndefined();
  t.apply([ev(34, 'WaitStateExited', { stateName: 'Wait' }), ev(34, 'ParallelStateExited', { stateName: 'Both' })]);
  t.apply([ev(34, 'WaitStateEntered', { stateName: 'Wait' })]);
  expect(t.quietUntil()).toBe(s(40));
  t.apply([ev(35, 'ExecutionAborted')]);
  expect(t.quietUntil()).toBeUndefined();
});
