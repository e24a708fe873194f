import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { backendClients, LOCAL_TABLE, type LocalBackend } from '../../lib/local/index.js';
import {
  type AttemptJournal,
  type BegunAttempt,
  documentClient,
  StateError,
  StateStore,
} from '../../lib/state/index.js';
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

/** A journal kept in memory: what the run's process journaled, in order. */
class Journal implements AttemptJournal {
  readonly entries: BegunAttempt[] = [];
  began(attempt: BegunAttempt): void {
    this.entries.push(attempt);
  }
}

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('a run this process owns (the local engine)', () => {
  it('answers its reads from what it wrote, and keeps gate coordination in the process', async () => {
    await withBackend(async ({ endpoints }) => {
      // Prepare
      const { state, sent } = loggingStore(endpoints);
      await state.own('r', new Journal());
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

  it('journals an attempt before it answers, and stores the writes of one node in their order', async () => {
    await withBackend(async ({ endpoints }) => {
      // Prepare: DynamoDB's answer to the count of a is held back.
      const store = loggingStore(endpoints);
      const { state, log } = store;
      const journal = new Journal();
      await state.own('r', journal);
      const release = store.hold('a', 'answer');

      // Act
      const attempt = await state.startAttempt('r', 'a', 'now');
      expect(await state.finalizeNode('r', 'a', 'SUCCEEDED')).toBe(true);
      await turns(5);
      release();

      // Assess: counted and journaled at once; the success was sent only once the count was stored.
      expect(attempt).toBe(1);
      expect(journal.entries).toEqual([{ node: 'a', attempt: 1, at: 'now' }]);
      expect(await state.stored('r')).toBeUndefined();
      expect(log.slice(1)).toEqual([
        { command: 'Update', node: 'a' },
        'released',
        { command: 'Update', node: 'a' },
      ]);
      expect((await state.getNodesById('r', ['a'])).get('a')).toMatchObject({
        status: 'SUCCEEDED',
        attempts: 1,
      });
    });
  });

  it('does not count a node that is final, and numbers attempts after those DynamoDB holds', async () => {
    await withBackend(async ({ endpoints }) => {
      const table = loggingStore(endpoints).state;
      await table.startAttempt('r', 'again', 'then');
      await table.finalizeNode('r', 'done', 'CANCELLED');
      const { state } = loggingStore(endpoints);
      const journal = new Journal();
      await state.own('r', journal);

      expect(await state.startAttempt('r', 'done', 'now')).toBeUndefined();
      expect(await state.startAttempt('r', 'again', 'now')).toBe(2);
      expect(journal.entries).toEqual([{ node: 'again', attempt: 2, at: 'now' }]);
      await state.disown('r');
      expect((await table.getNodesById('r', ['again'])).get('again')).toMatchObject({
        status: 'RUNNING',
        attempts: 2,
        startedAt: 'then',
      });
    });
  });

  it('records, for a resume taking over a dead run, the attempts its journal holds and DynamoDB does not', async () => {
    await withBackend(async ({ endpoints }) => {
      const { state } = loggingStore(endpoints);
      await state.startAttempt('r', 'stored', 'then');
      await state.finalizeNode('r', 'final', 'SUCCEEDED');

      await state.recordBegunAttempts('r', [
        { node: 'stored', attempt: 1, at: 'then' },
        { node: 'lost', attempt: 1, at: 'a' },
        { node: 'lost', attempt: 2, at: 'b' },
        { node: 'final', attempt: 1, at: 'c' },
      ]);

      const nodes = await state.getNodesById('r', ['stored', 'lost', 'final']);
      expect(nodes.get('stored')).toMatchObject({ status: 'RUNNING', attempts: 1, startedAt: 'then' });
      expect(nodes.get('lost')).toMatchObject({ status: 'RUNNING', attempts: 2, startedAt: 'b' });
      expect(nodes.get('final')).toMatchObject({ status: 'SUCCEEDED' });
    });
  });

  it('counts a status DynamoDB holds already, as a retried write leaves it, as stored', async () => {
    await withBackend(async ({ endpoints }) => {
      const { state } = loggingStore(endpoints);
      await state.own('r', new Journal());
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
      await state.own('r', new Journal());
      await loggingStore(endpoints).state.finalizeNode('r', 'x', 'CANCELLED');

      // Act
      expect(await state.finalizeNode('r', 'x', 'SUCCEEDED')).toBe(true);

      // Assess: DynamoDB refused it; the run's end is told, and no attempt is counted after it.
      expect(await state.stored('r')).toMatch(/DynamoDB refused x SUCCEEDED: something outside the process/);
      await expect(state.startAttempt('r', 'y', 'a')).rejects.toBeInstanceOf(StateError);
      expect((await state.getNodes('r')).map((n) => [n.node, n.status])).toEqual([['x', 'CANCELLED']]);
      await state.disown('r');
    });
  });
});
