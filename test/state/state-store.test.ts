import { describe, expect, it } from 'vitest';
import { evidenceLocation } from '../../lib/contract/index.js';
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
