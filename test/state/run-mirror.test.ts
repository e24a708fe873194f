import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { backendClients, LOCAL_TABLE, type LocalBackend } from '../../lib/local/index.js';
import { documentClient, StateError, StateStore } from '../../lib/state/index.js';
import { withBackend } from '../support/local-run.js';

interface Sent {
  readonly command: string;
  readonly node?: string;
}

/**
 * A store on the backend's table whose every request is logged as it is sent; `hold(node)` keeps
 * the next update of that node's record from being sent (`'answer'`: its answer from being
 * returned) until the function it returns is called.
 */
function loggingStore(endpoints: LocalBackend['endpoints']) {
  const documents = documentClient(backendClients(endpoints).dynamo);
  const log: (Sent | 'released')[] = [];
  let held: { node: string; what: 'request' | 'answer'; gate: Promise<void> } | undefined;
  const client = {
    send: async (command: { constructor: { name: string }; input: { Key?: { sk?: string } } }) => {
      const name = command.constructor.name.replace(/Command$/, '');
      const node = command.input.Key?.sk?.replace(/^NODE#/, '');
      const hold = held && name === 'Update' && node === held.node ? held : undefined;
      if (hold) held = undefined;
      if (hold?.what === 'request') await hold.gate;
      log.push({ command: name, ...(node ? { node } : {}) });
      const answer = await documents.send(command as never);
      if (hold?.what === 'answer') await hold.gate;
      return answer;
    },
  } as unknown as DynamoDBDocumentClient;
  return {
    state: new StateStore(client, LOCAL_TABLE),
    log,
    sent: () => log.filter((e): e is Sent => e !== 'released').map((e) => e.command),
    hold(node: string, what: 'request' | 'answer' = 'request') {
      let open = () => {};
      const gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      held = { node, what, gate };
      return () => {
        log.push('released');
        open();
      };
    },
  };
}

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('a run this process owns (the local engine)', () => {
  it('answers its reads from what it wrote, and keeps gate coordination in the process', async () => {
    await withBackend(async ({ endpoints }) => {
      // Prepare
      const { state, sent } = loggingStore(endpoints);
      await state.own('r');
      const waiter = { runId: 'r', node: 'b', dependsOn: ['a'], token: 't', followers: [] };

      // Act
      await state.putWaiter(waiter);
      await state.startAttempt('r', 'a', '2026-01-01T00:00:00.000Z');
      expect(await state.finalizeNode('r', 'a', 'SUCCEEDED', { outputs: 'k' })).toBe(true);
      const waiters = await state.waitersOn('r', 'a');
      const settled = await state.getSettledNodes('r', ['a', 'b']);
      const claims = await Promise.all([1, 2, 3].map(() => state.claimRelease('r', 'b')));
      await state.disown('r');

      // Assess: one read when taking the run over, then only the node writes.
      expect(sent()).toEqual(['Query', 'Update', 'Update']);
      expect(waiters).toEqual([waiter]);
      expect(Object.fromEntries(settled)).toEqual({
        a: { node: 'a', status: 'SUCCEEDED', attempts: 1, outputs: 'k' },
      });
      expect(claims.filter(Boolean)).toHaveLength(1);
      const table = loggingStore(endpoints).state;
      expect(await table.waitersOn('r', 'a')).toEqual([]);
      expect((await table.getNodesById('r', ['a'])).get('a')).toMatchObject({
        status: 'SUCCEEDED',
        attempts: 1,
        outputs: 'k',
        startedAt: '2026-01-01T00:00:00.000Z',
      });
    });
  });

  it.each([
    ['any attempt after it', undefined],
    ['an attempt of a node depending on it', (node: string) => (node === 'b' ? ['a'] : [])],
  ])('stores a final status before it counts %s', async (_, dependsOn) => {
    await withBackend(async ({ endpoints }) => {
      // Prepare
      const store = loggingStore(endpoints);
      const { state, log } = store;
      await state.own('r', dependsOn);
      const release = store.hold('a');

      // Act: the success is decided at once; its write is held back.
      expect(await state.finalizeNode('r', 'a', 'SUCCEEDED')).toBe(true);
      const counting = state.startAttempt('r', 'b', 'now');
      await turns(5);
      release();
      const attempt = await counting;

      // Assess: b's attempt was counted only once a's success was stored.
      expect(attempt).toBe(1);
      expect(log.slice(1)).toEqual([
        'released',
        { command: 'Update', node: 'a' },
        { command: 'Update', node: 'b' },
      ]);
    });
  });

  it('does not run a node cancelled while its attempt was being counted', async () => {
    await withBackend(async ({ endpoints }) => {
      // Prepare: DynamoDB counts the attempt, and its answer is held back.
      const store = loggingStore(endpoints);
      const { state } = store;
      await state.own('r');
      const release = store.hold('n', 'answer');
      const counting = state.startAttempt('r', 'n', 'now');
      await turns(5);

      // Act: the run is stopped meanwhile (fail-fast, Ctrl-C).
      expect(await state.finalizeNode('r', 'n', 'CANCELLED')).toBe(true);
      release();

      // Assess: the count is refused to the build, and the node stays cancelled everywhere.
      expect(await counting).toBeUndefined();
      expect((await state.getSettledNodes('r', ['n'])).get('n')).toMatchObject({
        status: 'CANCELLED',
        attempts: 1,
      });
      expect(await state.stored('r')).toBeUndefined();
      await state.disown('r');
      expect((await state.getNodesById('r', ['n'])).get('n')?.status).toBe('CANCELLED');
    });
  });

  it('counts a status DynamoDB holds already, as a retried write leaves it, as stored', async () => {
    await withBackend(async ({ endpoints }) => {
      const { state } = loggingStore(endpoints);
      await state.own('r');
      await loggingStore(endpoints).state.finalizeNode('r', 'n', 'SUCCEEDED');
      expect(await state.finalizeNode('r', 'n', 'SUCCEEDED')).toBe(true);
      expect(await state.stored('r')).toBeUndefined();
      expect(await state.startAttempt('r', 'later', 'now')).toBe(1);
    });
  });

  it('fails loudly when something else wrote the run’s nodes meanwhile', async () => {
    await withBackend(async ({ endpoints }) => {
      // Prepare
      const { state } = loggingStore(endpoints);
      await state.own('r');
      await loggingStore(endpoints).state.finalizeNode('r', 'x', 'CANCELLED');

      // Act
      expect(await state.finalizeNode('r', 'x', 'SUCCEEDED')).toBe(true);

      // Assess: DynamoDB refused it; no attempt is counted after it, and the run's end is told.
      await expect(state.startAttempt('r', 'y', 'a')).rejects.toBeInstanceOf(StateError);
      expect(await state.stored('r')).toMatch(/DynamoDB refused x SUCCEEDED: something outside the process/);
      expect((await state.getNodes('r')).map((n) => [n.node, n.status])).toEqual([['x', 'CANCELLED']]);
      await state.disown('r');
    });
  });
});
