import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { describeRemoteRun, nodeOutcomes } from '../../lib/remote/index.js';
import { FakeStepFunctions } from '../support/fake-sfn.js';
import { ACCOUNT, REGION } from '../support/remote.js';

const MACHINE = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:mc-demo-dev`;
const EXECUTION = `arn:aws:states:${REGION}:${ACCOUNT}:execution:mc-demo-dev:demo-3f2a9c1b7d4e-a1`;

/** A history as Step Functions writes it: ids in order, each event pointing at the one before it. */
function history(): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  const at = (n: number) => new Date(Date.parse('2026-11-24T10:00:00Z') + n * 1000);
  const add = (type: string, previousEventId: number, extra: Partial<HistoryEvent> = {}) => {
    const id = events.length + 1;
    events.push({ id, previousEventId, timestamp: at(id), type: type as HistoryEvent['type'], ...extra });
    return id;
  };
  const entered = (name: string, prev: number, type = 'TaskStateEntered') =>
    add(type, prev, { stateEnteredEventDetails: { name } });
  const exited = (name: string, prev: number, type = 'TaskStateExited') =>
    add(type, prev, { stateExitedEventDetails: { name } });
  const failed = (prev: number) =>
    add('TaskFailed', prev, {
      taskFailedEventDetails: {
        resourceType: 'codebuild',
        resource: 'startBuild.sync',
        error: 'States.TaskFailed',
        cause: 'exit 4',
      },
    });

  add('ExecutionStarted', 0);
  const parallel = entered('Run nodes', 1, 'ParallelStateEntered');
  // a/s: fails once, succeeds on the retry.
  let e = entered('a/s', parallel);
  e = add('TaskScheduled', e);
  e = add('TaskStarted', e);
  e = failed(e);
  e = add('TaskScheduled', e);
  e = add('TaskStarted', e);
  e = add('TaskSucceeded', e);
  exited('a/s', e);
  // b/t: waits, runs, fails twice and is never left (fail-fast ends the run).
  e = entered('b/t | wait', parallel);
  e = add('TaskScheduled', e);
  e = add('TaskSucceeded', e);
  e = exited('b/t | wait', e);
  e = entered('b/t | run?', e, 'ChoiceStateEntered');
  e = exited('b/t | run?', e, 'ChoiceStateExited');
  e = entered('b/t', e);
  e = add('TaskScheduled', e);
  e = failed(e);
  e = add('TaskScheduled', e);
  failed(e);
  // c/u: skipped when planning; d/v: started, then the run stopped.
  entered('c/u | skipped', parallel);
  e = entered('d/v', parallel);
  add('TaskScheduled', e);
  add('ExecutionFailed', 0);
  return events;
}

describe('node outcomes from an execution history', () => {
  it('reads success after a retry, failure, skip and a node the failed run cancelled', () => {
    const nodes = nodeOutcomes(history(), false);
    expect(nodes.map(({ id, status, attempts }) => ({ id, status, attempts }))).toEqual([
      { id: 'a/s', status: 'SUCCEEDED', attempts: 2 },
      { id: 'b/t', status: 'FAILED', attempts: 2 },
      { id: 'c/u', status: 'SKIPPED', attempts: 0 },
      { id: 'd/v', status: 'CANCELLED', attempts: 1 },
    ]);
    expect(nodes[0]).toMatchObject({
      startedAt: '2026-11-24T10:00:03.000Z',
      endedAt: '2026-11-24T10:00:10.000Z',
    });
    expect(nodes[0].error).toBeUndefined();
    expect(nodes[1].error).toBe('States.TaskFailed: exit 4');
  });

  it('keeps a node RUNNING while the execution runs', () => {
    const nodes = nodeOutcomes(history().slice(0, -1), true);
    expect(nodes.find((n) => n.id === 'd/v')?.status).toBe('RUNNING');
  });
});

describe('reading a remote run back', () => {
  function fake() {
    const sfn = new FakeStepFunctions();
    sfn.executions.set(EXECUTION, {
      executionArn: EXECUTION,
      stateMachineArn: MACHINE,
      name: 'demo-3f2a9c1b7d4e-a1',
      input: JSON.stringify({ runId: 'demo-3f2a9c1b7d4e-a1', pipeline: 'demo', env: 'dev' }),
      startDate: new Date('2026-11-24T10:00:00Z'),
      stopDate: new Date('2026-11-24T10:01:00Z'),
      status: 'FAILED',
      error: 'MC.RunFailed',
      cause: 'pipeline demo failed; see its node statuses',
      events: history(),
    });
    return sfn;
  }

  it('describes the execution and its nodes, reading the history page by page', async () => {
    // Prepare
    const sfn = fake();
    // Act
    const status = await describeRemoteRun(sfn, EXECUTION);
    // Assess
    expect(status).toMatchObject({
      executionArn: EXECUTION,
      stateMachineArn: MACHINE,
      runId: 'demo-3f2a9c1b7d4e-a1',
      pipeline: 'demo',
      env: 'dev',
      status: 'FAILED',
      startedAt: '2026-11-24T10:00:00.000Z',
      endedAt: '2026-11-24T10:01:00.000Z',
      error: 'MC.RunFailed: pipeline demo failed; see its node statuses',
    });
    expect(status.nodes?.map((n) => n.status)).toEqual(['SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED']);
    expect(sfn.requests[0]).toEqual({ op: 'DescribeExecution', input: { executionArn: EXECUTION } });
    expect(sfn.requests[1]).toEqual({
      op: 'GetExecutionHistory',
      input: { executionArn: EXECUTION, maxResults: 1000, includeExecutionData: false, nextToken: undefined },
    });
  });

  it('still answers without nodes when the history may not be read', async () => {
    const sfn = fake();
    sfn.denied.add('GetExecutionHistory');
    const status = await describeRemoteRun(sfn, EXECUTION);
    expect(status).toMatchObject({
      status: 'FAILED',
      nodes: null,
      note: expect.stringContaining('AccessDenied'),
    });
  });

  it('says NO_EXECUTION for an unknown execution', async () => {
    await expect(describeRemoteRun(new FakeStepFunctions(), EXECUTION)).rejects.toMatchObject({
      code: 'NO_EXECUTION',
    });
  });
});
