import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { evidenceLocation } from '../../lib/contract/index.js';
import { backendClients, LOCAL_TABLE, type LocalBackend } from '../../lib/local/index.js';
import { documentClient, StateStore } from '../../lib/state/index.js';
import { withBackend } from '../support/local-run.js';

const run = (runId: string) => ({
  runId,
  pipeline: 'p',
  env: 'dev',
  status: 'RUNNING' as const,
  startedAt: new Date().toISOString(),
  github: {},
  evidence: evidenceLocation('b', 'p', runId),
  resumes: 0,
});

describe('StateStore on dynalite', () => {
  it('creates a run once', async () => {
    await withBackend(async ({ state }) => {
      expect(await state.createRun(run('r1'))).toBe(true);
      expect(await state.createRun(run('r1'))).toBe(false);
      expect((await state.listRuns()).map((r) => r.runId)).toEqual(['r1']);
    });
  });

  it('lets the first final status of a node stand', async () => {
    await withBackend(async ({ state }) => {
      expect(await state.finalizeNode('r1', 'n', 'SUCCEEDED')).toBe(true);
      expect(await state.finalizeNode('r1', 'n', 'FAILED')).toBe(false);
      expect(await state.startAttempt('r1', 'n', new Date().toISOString())).toBeUndefined();
      expect((await state.getNodesById('r1', ['n'])).get('n')?.status).toBe('SUCCEEDED');
    });
  });

  it('counts attempts atomically and releases a gate exactly once', async () => {
    await withBackend(async ({ state }) => {
      const attempts = await Promise.all(
        [1, 2, 3].map(() => state.startAttempt('r1', 'n', new Date().toISOString())),
      );
      expect(attempts.sort()).toEqual([1, 2, 3]);
      const claims = await Promise.all([1, 2, 3, 4].map(() => state.claimRelease('r1', 'n')));
      expect(claims.filter(Boolean)).toHaveLength(1);
    });
  });
});

describe('EvidenceStore on s3rver', () => {
  it('writes a key once and keeps the first object', async () => {
    await withBackend(async ({ evidence }) => {
      expect(await evidence.putOnce('k', 'first')).toBe(true);
      expect(await evidence.putOnce('k', 'second')).toBe(false);
      expect(await evidence.getText('k')).toBe('first');
      expect(await evidence.getText('missing')).toBeUndefined();
    });
  });
});

describe('a new attempt', () => {
  it('clears what the previous attempt ended with', async () => {
    await withBackend(async ({ state }) => {
      await state.startAttempt('r', 'n', 'a');
      await state.endAttempt('r', 'n', 'b', { Error: 'MC.StepFailed', Cause: 'x' });
      await state.startAttempt('r', 'n', 'c');
      const node = (await state.getNodesById('r', ['n'])).get('n');
      expect(node).toMatchObject({ attempts: 2, status: 'RUNNING' });
      expect(node?.error).toBeUndefined();
      expect(node?.endedAt).toBeUndefined();
    });
  });
});

// A store whose every call is counted, on the backend's table.
function countingStore(endpoints: LocalBackend['endpoints']): { state: StateStore; reads: () => number } {
  const documents = documentClient(backendClients(endpoints).dynamo);
  let reads = 0;
  const counting = {
    send: (command: { constructor: { name: string } }) => {
      if (command.constructor.name === 'BatchGetCommand') reads++;
      return documents.send(command as never);
    },
  } as unknown as DynamoDBDocumentClient;
  return { state: new StateStore(counting, LOCAL_TABLE), reads: () => reads };
}

describe('settled nodes', () => {
  it('are not read again once the store has seen them succeed', async () => {
    await withBackend(async ({ endpoints }) => {
      // Prepare
      const { state, reads } = countingStore(endpoints);
      await state.startAttempt('r', 'written', 'a');
      await state.finalizeNode('r', 'written', 'SUCCEEDED', { outputs: 'k', endedAt: 'b' });
      const other = countingStore(endpoints).state;
      await other.finalizeNode('r', 'read', 'SUCCEEDED');

      // Act
      const first = await state.getSettledNodes('r', ['written', 'read']);
      const second = await state.getSettledNodes('r', ['written', 'read']);

      // Assess: one read, for the success another store wrote; none the second time.
      expect(reads()).toBe(1);
      expect(Object.fromEntries(second)).toEqual(Object.fromEntries(first));
      expect(first.get('written')).toEqual({
        node: 'written',
        status: 'SUCCEEDED',
        attempts: 1,
        outputs: 'k',
      });
      expect(first.get('read')).toEqual({ node: 'read', status: 'SUCCEEDED', attempts: 0 });
    });
  });

  it('are read every time while they have not succeeded, since their status can still change', async () => {
    await withBackend(async ({ endpoints }) => {
      // Prepare
      const { state, reads } = countingStore(endpoints);
      await state.startAttempt('r', 'n', 'a');
      await state.finalizeNode('r', 'f', 'FAILED');

      // Act
      const running = (await state.getSettledNodes('r', ['n', 'f', 'missing'])).get('n')?.status;
      await state.finalizeNode('r', 'n', 'CANCELLED');
      const after = await state.getSettledNodes('r', ['n', 'f', 'missing']);

      // Assess
      expect(running).toBe('RUNNING');
      expect(after.get('n')?.status).toBe('CANCELLED');
      expect(after.get('f')?.status).toBe('FAILED');
      expect(after.has('missing')).toBe(false);
      expect(reads()).toBe(2);
    });
  });

  it('stay what they were across a resume, which keeps succeeded nodes as they are', async () => {
    await withBackend(async ({ endpoints }) => {
      // Prepare
      const { state, reads } = countingStore(endpoints);
      await state.startAttempt('r', 'ok', 'a');
      await state.finalizeNode('r', 'ok', 'SUCCEEDED', { outputs: 'k' });
      await state.startAttempt('r', 'bad', 'a');
      await state.finalizeNode('r', 'bad', 'FAILED');

      // Act
      await state.reopenNodes('r');
      const before = reads();
      const settled = await state.getSettledNodes('r', ['ok', 'bad']);

      // Assess: the table agrees with what the store remembered; the reopened node is read.
      expect(reads() - before).toBe(1);
      expect(settled.get('ok')).toEqual({ node: 'ok', status: 'SUCCEEDED', attempts: 1, outputs: 'k' });
      expect(settled.get('bad')?.status).toBe('PENDING');
      expect((await state.getNodesById('r', ['ok'])).get('ok')).toMatchObject({
        status: 'SUCCEEDED',
        attempts: 1,
        outputs: 'k',
      });
    });
  });
});
