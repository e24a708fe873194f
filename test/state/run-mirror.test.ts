import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { LOCAL_TABLE } from '../../lib/local/index.js';
import { StateError, StateStore } from '../../lib/state/index.js';
import { withBackend } from '../support/local-run.js';

interface Sent {
  readonly command: string;
  readonly node?: string;
}

/**
 * A store on the backend's table whose every request is logged as it is sent; `hold(node)` keeps
 * the next update of that node's record from being sent until `release()`.
 */
function loggingStore(endpoint: string) {
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const log: (Sent | 'released')[] = [];
  let held: { node: string; gate: Promise<void>; open: () => void } | undefined;
  const client = {
    send: async (command: { constructor: { name: string }; input: { Key?: { sk?: string } } }) => {
      const name = command.constructor.name.replace(/Command$/, '');
      const node = command.input.Key?.sk?.replace(/^NODE#/, '');
      if (held && name === 'Update' && node === held.node) {
        const { gate } = held;
        held = undefined;
        await gate;
      }
      log.push({ command: name, ...(node ? { node } : {}) });
      return documents.send(command as never);
    },
  } as unknown as DynamoDBDocumentClient;
  return {
    state: new StateStore(client, LOCAL_TABLE),
    log,
    sent: () => log.filter((e): e is Sent => e !== 'released').map((e) => e.command),
    hold(node: string) {
      let open = () => {};
      const gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      held = { node, gate, open };
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
      const { state, sent } = loggingStore(endpoints.dynamodb);
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
      const table = loggingStore(endpoints.dynamodb).state;
      expect(await table.waitersOn('r', 'a')).toEqual([]);
      expect((await table.getNodesById('r', ['a'])).get('a')).toMatchObject({
        status: 'SUCCEEDED',
        attempts: 1,
        outputs: 'k',
        startedAt: '2026-01-01T00:00:00.000Z',
      });
    });
  });

  it('stores a final status before it counts any attempt after it', async () => {
    await withBackend(async ({ endpoints }) => {
      // Prepare
      const store = loggingStore(endpoints.dynamodb);
      const { state, log } = store;
      await state.own('r');
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

  it('knows the number of the next attempt until the node is final', async () => {
    await withBackend(async ({ endpoints }) => {
      const { state } = loggingStore(endpoints.dynamodb);
      await state.startAttempt('r', 'earlier', 'a');
      expect(state.nextAttempt('r', 'n')).toBeUndefined();
      await state.own('r');
      expect(state.nextAttempt('r', 'earlier')).toBe(2);
      expect(state.nextAttempt('r', 'n')).toBe(1);
      await state.startAttempt('r', 'n', 'a');
      expect(state.nextAttempt('r', 'n')).toBe(2);
      await state.finalizeNode('r', 'n', 'FAILED');
      expect(state.nextAttempt('r', 'n')).toBeUndefined();
      expect(await state.startAttempt('r', 'n', 'b')).toBeUndefined();
      await state.disown('r');
      expect(state.nextAttempt('r', 'earlier')).toBeUndefined();
    });
  });

  it('fails loudly when something else wrote the run’s nodes meanwhile', async () => {
    await withBackend(async ({ endpoints }) => {
      // Prepare
      const { state } = loggingStore(endpoints.dynamodb);
      await state.own('r');
      await loggingStore(endpoints.dynamodb).state.finalizeNode('r', 'x', 'CANCELLED');

      // Act
      expect(await state.finalizeNode('r', 'x', 'SUCCEEDED')).toBe(true);

      // Assess: DynamoDB refused it, and every later read or count says so.
      await expect(state.getNodes('r')).rejects.toThrow(/DynamoDB refused x SUCCEEDED/);
      await expect(state.startAttempt('r', 'y', 'a')).rejects.toBeInstanceOf(StateError);
      await expect(state.disown('r')).rejects.toThrow(/outside the process that runs the run/);
    });
  });
});
