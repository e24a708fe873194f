import {
  BatchGetCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { FINAL_NODE_STATUSES, type NodeStatus, type RunStatus } from '../contract/index.js';
import { conditionalWrite, isConditionalFailure, queryAll, strip } from './dynamo.js';
import { StateError } from './errors.js';
import type { NodeRecord, RunRecord, WaiterRecord } from './records.js';
import {
  type AttemptJournal,
  type BegunAttempt,
  RunMirror,
  type SettledNode,
  settledNode,
} from './run-mirror.js';
import { KEYS } from './table.js';

const FINAL = [...FINAL_NODE_STATUSES];
const NOT_FINAL = 'attribute_not_exists(#status) OR NOT (#status IN (:f0, :f1, :f2, :f3))';
const FINAL_VALUES = Object.fromEntries(FINAL.map((s, i) => [`:f${i}`, s]));
type FinalStatus = Extract<NodeStatus, 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED'>;
/** What a final status may record with it. */
type FinalFields = Partial<
  Pick<NodeRecord, 'reason' | 'error' | 'outputs' | 'startedAt' | 'endedAt' | 'reused'>
>;

/** How many succeeded nodes a store remembers (a Lambda container serves many runs). */
const SUCCEEDED_REMEMBERED = 10_000;

/**
 * Runs, nodes and gate waiters in DynamoDB. Every transition is a conditional write, so a
 * retried Lambda, a duplicate delivery or two racing handlers cannot record a status twice. A run
 * this process runs alone (`own`, the local engine) is read from a mirror of what it wrote instead.
 */
export class StateStore {
  // Succeeded nodes this store wrote or read. SUCCEEDED is for good: every later write that could
  // change a status or count an attempt is conditioned on the node not being final, and a resume
  // keeps succeeded nodes as they are, so these need not be read again.
  private readonly succeeded = new Map<string, SettledNode>();
  // Runs whose execution this process runs alone (the local engine): see RunMirror.
  private readonly owned = new Map<string, RunMirror>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * This process runs the run's execution from now on, alone: its node statuses and waiters are
   * read from what this store writes (RunMirror) until `disown`, and every attempt it begins is
   * recorded in `journal` before DynamoDB stores it.
   */
  async own(runId: string, journal: AttemptJournal): Promise<void> {
    this.owned.set(runId, new RunMirror(await this.getNodes(runId), journal));
  }

  /**
   * Waits until what this process decided for a run it owns is stored; says what could not be
   * (the run's end records it as the run's failure).
   */
  async stored(runId: string): Promise<string | undefined> {
    return this.owned.get(runId)?.settled();
  }

  /** The execution is over: the run's reads go to DynamoDB again, once its statuses are stored. */
  async disown(runId: string): Promise<void> {
    const mirror = this.owned.get(runId);
    await mirror?.settled();
    this.owned.delete(runId);
  }

  /** Creates the run; false when a run with this id exists already (a retried start). */
  async createRun(run: RunRecord): Promise<boolean> {
    const created = await this.conditional(
      new PutCommand({
        TableName: this.table,
        Item: { ...KEYS.run(run.runId), ...run },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    if (created) {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...KEYS.runIndex(run.startedAt, run.runId), runId: run.runId, pipeline: run.pipeline },
        }),
      );
    }
    return created;
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: KEYS.run(runId), ConsistentRead: true }),
    );
    return Item ? strip<RunRecord>(Item) : undefined;
  }

  async requireRun(runId: string): Promise<RunRecord> {
    const run = await this.getRun(runId);
    if (!run) throw new StateError('RUN_NOT_FOUND', `no run ${runId} is recorded here`);
    return run;
  }

  /** Newest first. */
  async listRuns(limit = 20): Promise<RunRecord[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'RUNS' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const runs = await Promise.all(Items.map((i) => this.getRun(String(i.runId))));
    return runs.filter((r): r is RunRecord => r !== undefined);
  }

  /** Ends a running run; false when it had ended already. */
  async endRun(
    runId: string,
    status: Exclude<RunStatus, 'RUNNING'>,
    endedAt: string,
    failure?: RunRecord['failure'],
  ): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.table,
        Key: KEYS.run(runId),
        UpdateExpression: `SET #status = :status, endedAt = :ended${failure ? ', failure = :failure' : ''}`,
        ConditionExpression: '#status = :running',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': status,
          ':ended': endedAt,
          ':running': 'RUNNING',
          ...(failure ? { ':failure': failure } : {}),
        },
      }),
    );
  }

  /** Reopens an ended run for a resume: counts the resume and clears its end. */
  async reopenRun(runId: string): Promise<RunRecord> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: KEYS.run(runId),
          UpdateExpression: 'SET #status = :running, resumes = resumes + :one REMOVE endedAt, failure',
          ConditionExpression: 'attribute_exists(pk) AND #status <> :running',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':running': 'RUNNING', ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return strip<RunRecord>(Attributes ?? {});
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      const run = await this.requireRun(runId);
      throw new StateError(
        'NOT_RESUMABLE',
        `run ${runId} is ${run.status}; only an ended run can be resumed`,
      );
    }
  }

  async getNodes(runId: string): Promise<NodeRecord[]> {
    await this.owned.get(runId)?.settled();
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': KEYS.run(runId).pk, ':prefix': KEYS.nodePrefix },
      ConsistentRead: true,
    });
    return items.map((i) => this.remember(strip<NodeRecord>(i)));
  }

  async getNodesById(runId: string, nodes: readonly string[]): Promise<Map<string, NodeRecord>> {
    await this.owned.get(runId)?.settled();
    const found = new Map<string, NodeRecord>();
    for (let i = 0; i < nodes.length; i += 100) {
      let keys = nodes.slice(i, i + 100).map((n) => KEYS.node(runId, n));
      while (keys.length) {
        const { Responses, UnprocessedKeys } = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of Responses?.[this.table] ?? [])
          found.set(String(item.node), this.remember(strip<NodeRecord>(item)));
        keys = (UnprocessedKeys?.[this.table]?.Keys ?? []) as typeof keys;
      }
    }
    return found;
  }

  /**
   * The status, attempts and outputs of nodes, as getNodesById reads them, except that nodes known
   * to have succeeded (this store wrote or read their success) are not read again.
   */
  async getSettledNodes(runId: string, nodes: readonly string[]): Promise<Map<string, SettledNode>> {
    const mirror = this.owned.get(runId);
    if (mirror) return mirror.settledNodes(nodes);
    const found = new Map<string, SettledNode>();
    const unknown: string[] = [];
    for (const node of nodes) {
      const known = this.succeeded.get(succeededKey(runId, node));
      if (known) found.set(node, known);
      else unknown.push(node);
    }
    if (unknown.length)
      for (const [node, record] of await this.getNodesById(runId, unknown))
        found.set(node, settledNode(record));
    return found;
  }

  /**
   * Counts a new attempt and marks the node running; undefined when the node is final already. In
   * a run this process owns, the attempt is numbered and journaled here and DynamoDB stores the
   * count behind (nothing of the attempt runs before it is journaled).
   */
  async startAttempt(runId: string, node: string, at: string): Promise<number | undefined> {
    const mirror = this.owned.get(runId);
    if (!mirror) return this.countAttempt(runId, node, at);
    // Final already: DynamoDB would refuse the write.
    if (mirror.isFinal(node)) return undefined;
    const unstored = mirror.unstored();
    if (unstored) throw new StateError('CONFLICT', unstored);
    const begun = mirror.begin(node, at);
    mirror.storing(node, () => this.storeCount(runId, begun), `attempt ${begun.attempt} of ${node}`);
    return begun.attempt;
  }

  /**
   * A resume taking over a run whose process died: records the attempts that process journaled
   * and DynamoDB had not stored yet (the node shows running, with that attempt counted).
   */
  async recordBegunAttempts(runId: string, begun: readonly BegunAttempt[]): Promise<void> {
    const last = new Map<string, BegunAttempt>();
    for (const entry of begun)
      if (entry.attempt > (last.get(entry.node)?.attempt ?? 0)) last.set(entry.node, entry);
    // As the count would have: the attempt clears what the one before it ended with.
    for (const entry of last.values())
      await this.conditional(
        this.countCommand(runId, entry, '(attribute_not_exists(attempts) OR attempts < :n)'),
      );
  }

  // An attempt the mirror counted: stored unless the record holds another count than the one
  // before it. A refusal whose record holds this very count is a write the SDK retried after
  // DynamoDB had applied it: stored all the same.
  private async storeCount(runId: string, begun: BegunAttempt): Promise<boolean> {
    const stored = await this.conditional(
      this.countCommand(runId, begun, '(attribute_not_exists(attempts) OR attempts = :previous)', {
        ':previous': begun.attempt - 1,
      }),
    );
    if (stored) return true;
    const record = await this.readNode(runId, begun.node);
    return record?.status === 'RUNNING' && record.attempts === begun.attempt;
  }

  // Records attempt `begun.attempt` as begun (the node running, what the attempt before it ended
  // with cleared), if `condition` (its placeholders in `values`) holds and the node is not final.
  private countCommand(
    runId: string,
    begun: BegunAttempt,
    condition: string,
    values: Record<string, number> = {},
  ): UpdateCommand {
    return new UpdateCommand({
      TableName: this.table,
      Key: KEYS.node(runId, begun.node),
      UpdateExpression:
        'SET runId = :run, #node = :node, #status = :running, attempts = :n, startedAt = if_not_exists(startedAt, :at) REMOVE #error, endedAt',
      ConditionExpression: `${condition} AND (${NOT_FINAL})`,
      ExpressionAttributeNames: { '#status': 'status', '#node': 'node', '#error': 'error' },
      ExpressionAttributeValues: {
        ':run': runId,
        ':node': begun.node,
        ':running': 'RUNNING',
        ':n': begun.attempt,
        ':at': begun.at,
        ...values,
        ...FINAL_VALUES,
      },
    });
  }

  private async countAttempt(runId: string, node: string, at: string): Promise<number | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: KEYS.node(runId, node),
          // A new attempt clears what the previous one ended with.
          UpdateExpression:
            'SET runId = :run, #node = :node, #status = :running, startedAt = if_not_exists(startedAt, :at) REMOVE #error, endedAt ADD attempts :one',
          ConditionExpression: NOT_FINAL,
          ExpressionAttributeNames: { '#status': 'status', '#node': 'node', '#error': 'error' },
          ExpressionAttributeValues: {
            ':run': runId,
            ':node': node,
            ':running': 'RUNNING',
            ':at': at,
            ':one': 1,
            ...FINAL_VALUES,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Number(Attributes?.attempts);
    } catch (error) {
      if (isConditionalFailure(error)) return undefined;
      throw error;
    }
  }

  /** Records that an attempt ended (its end time), without deciding the node's status. */
  async endAttempt(
    runId: string,
    node: string,
    at: string,
    error?: NodeRecord['error'],
    /** When the node's command started, to replace the count's time (a first attempt). */
    startedAt?: string,
  ): Promise<void> {
    // In a run this process owns, after the attempt's count is stored.
    await this.owned.get(runId)?.written(node);
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: KEYS.node(runId, node),
        UpdateExpression: `SET endedAt = :at${error ? ', #error = :error' : ''}${startedAt ? ', startedAt = :started' : ''}`,
        ExpressionAttributeNames: error ? { '#error': 'error' } : undefined,
        ExpressionAttributeValues: {
          ':at': at,
          ...(error ? { ':error': error } : {}),
          ...(startedAt ? { ':started': startedAt } : {}),
        },
      }),
    );
  }

  /** Sets a final status unless the node has one; false when it had (the first word stands). */
  async finalizeNode(
    runId: string,
    node: string,
    status: FinalStatus,
    fields: FinalFields = {},
  ): Promise<boolean> {
    const mirror = this.owned.get(runId);
    if (!mirror) return this.writeFinal(runId, node, status, fields);
    if (mirror.isFinal(node)) return false;
    // This process alone writes the run's nodes, so the mirror decides; DynamoDB stores the status
    // behind (`stored` and the run's reads wait for it).
    mirror.finalized(node, status, fields.outputs);
    mirror.storing(node, () => this.storeFinal(runId, node, status, fields), `${node} ${status}`);
    return true;
  }

  // A final status the mirror decided. A refusal whose record holds that very status is a write
  // the SDK retried after DynamoDB had applied it: stored all the same.
  private async storeFinal(
    runId: string,
    node: string,
    status: FinalStatus,
    fields: FinalFields,
  ): Promise<boolean> {
    if (await this.writeFinal(runId, node, status, fields)) return true;
    return (await this.readNode(runId, node))?.status === status;
  }

  private async readNode(runId: string, node: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: KEYS.node(runId, node), ConsistentRead: true }),
    );
    return Item;
  }

  private async writeFinal(
    runId: string,
    node: string,
    status: FinalStatus,
    fields: FinalFields,
  ): Promise<boolean> {
    const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
    const sets = entries.map(([k]) => `#${k} = :${k}`);
    const command = new UpdateCommand({
      TableName: this.table,
      Key: KEYS.node(runId, node),
      UpdateExpression: `SET runId = :run, #node = :node, #status = :status, attempts = if_not_exists(attempts, :zero)${sets.map((s) => `, ${s}`).join('')}`,
      ConditionExpression: NOT_FINAL,
      ExpressionAttributeNames: {
        '#status': 'status',
        '#node': 'node',
        ...Object.fromEntries(entries.map(([k]) => [`#${k}`, k])),
      },
      ExpressionAttributeValues: {
        ':run': runId,
        ':node': node,
        ':status': status,
        ':zero': 0,
        ...FINAL_VALUES,
        ...Object.fromEntries(entries.map(([k, v]) => [`:${k}`, v])),
      },
      // A success is remembered as written (attempts included), so it is not read back.
      ...(status === 'SUCCEEDED' ? { ReturnValues: 'ALL_NEW' as const } : {}),
    });
    try {
      const { Attributes } = await this.client.send(command);
      if (Attributes) this.remember(strip<NodeRecord>(Attributes));
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw error;
    }
  }

  /** For a resume: every node that did not succeed becomes pending again, keeping its attempt count. */
  async reopenNodes(runId: string): Promise<string[]> {
    const reopened: string[] = [];
    for (const node of await this.getNodes(runId)) {
      // Every gate is released anew by the new execution; succeeded nodes keep their status.
      const succeeded = node.status === 'SUCCEEDED';
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: KEYS.node(runId, node.node),
          UpdateExpression: succeeded
            ? 'REMOVE released'
            : 'SET #status = :pending REMOVE released, reason, #error, endedAt',
          ...(succeeded
            ? {}
            : {
                ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
                ExpressionAttributeValues: { ':pending': 'PENDING' },
              }),
        }),
      );
      if (!succeeded) reopened.push(node.node);
    }
    // Waiters of the earlier execution hold tokens nothing waits on any more.
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': KEYS.run(runId).pk, ':prefix': 'WAIT#' },
        ProjectionExpression: 'pk, sk',
        ConsistentRead: true,
      }),
    );
    await Promise.all(
      Items.map((item) =>
        this.client.send(new DeleteCommand({ TableName: this.table, Key: { pk: item.pk, sk: item.sk } })),
      ),
    );
    return reopened;
  }

  /** Undoes a release claim whose decision could not be delivered, so a retried gate can claim it. */
  async unclaimRelease(runId: string, node: string): Promise<void> {
    const mirror = this.owned.get(runId);
    if (mirror) return mirror.unclaim(node);
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: KEYS.node(runId, node),
        UpdateExpression: 'REMOVE released',
      }),
    );
  }

  /** Registers a gate under each of its dependencies, where their signals find it. */
  async putWaiter(waiter: WaiterRecord): Promise<void> {
    const mirror = this.owned.get(waiter.runId);
    if (mirror) return mirror.waiterRegistered(waiter);
    const deps = waiter.dependsOn.length ? waiter.dependsOn : ['*'];
    await Promise.all(
      deps.map((dep) =>
        this.client.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...KEYS.waiter(waiter.runId, dep, waiter.node), ...waiter },
          }),
        ),
      ),
    );
  }

  /** The waiters registered on `dep` (the nodes whose gates wait for it). */
  async waitersOn(runId: string, dep: string): Promise<WaiterRecord[]> {
    const mirror = this.owned.get(runId);
    if (mirror) return mirror.waitersOn(dep);
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': KEYS.run(runId).pk, ':prefix': KEYS.waiterPrefix(dep) },
        ConsistentRead: true,
      }),
    );
    return Items.map((i) => strip<WaiterRecord>(i));
  }

  /** Marks a node's gate released; true for exactly one caller. */
  async claimRelease(runId: string, node: string): Promise<boolean> {
    // The run's gates are released by this process alone: its mirror decides.
    const mirror = this.owned.get(runId);
    if (mirror) return mirror.claim(node);
    return this.conditional(
      new UpdateCommand({
        TableName: this.table,
        Key: KEYS.node(runId, node),
        UpdateExpression: 'SET released = :yes',
        ConditionExpression: 'attribute_not_exists(released)',
        ExpressionAttributeValues: { ':yes': true },
      }),
    );
  }

  private remember(record: NodeRecord): NodeRecord {
    if (record.status !== 'SUCCEEDED') return record;
    const key = succeededKey(record.runId, record.node);
    if (!this.succeeded.has(key)) {
      if (this.succeeded.size >= SUCCEEDED_REMEMBERED)
        this.succeeded.delete(this.succeeded.keys().next().value as string);
      this.succeeded.set(key, settledNode(record));
    }
    return record;
  }

  private conditional(command: PutCommand | UpdateCommand): Promise<boolean> {
    return conditionalWrite(this.client, command);
  }
}

function succeededKey(runId: string, node: string): string {
  return `${runId}\0${node}`;
}
