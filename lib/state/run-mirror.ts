import { FINAL_NODE_STATUSES, type NodeStatus } from '../contract/index.js';
import { StateError } from './errors.js';
import type { NodeRecord, WaiterRecord } from './records.js';

/** What a node's record says that the run's own reads need: its status, attempts and outputs. */
export type SettledNode = Pick<NodeRecord, 'node' | 'status' | 'attempts' | 'outputs'>;

/**
 * The nodes and gate waiters of one run, as the one process that runs it wrote them.
 *
 * While an execution runs, nothing but that execution's process writes its nodes and waiters: a
 * resume refuses a running run, and `mc status` / `mc logs` only read. So the process need not
 * read back what it wrote: the reads on every hop of the DAG (the waiters of a node that just
 * finished, the statuses a gate decides on, the ancestors a build restores) are answered from
 * this mirror. DynamoDB still takes every write, conditional as before, and stays the judge of
 * each transition; the mirror follows what it accepted. On AWS every function and build has a
 * store of its own and no mirror: there the reads go to DynamoDB.
 */
export class RunMirror {
  private readonly nodes = new Map<string, SettledNode>();
  private readonly waiters = new Map<string, WaiterRecord[]>();
  private readonly claims = new Set<string>();
  private readonly writes = new Set<Promise<void>>();
  private failure: unknown;

  /** Seeded with the run's node records as DynamoDB holds them when the execution starts. */
  constructor(records: readonly NodeRecord[]) {
    for (const record of records) {
      this.nodes.set(record.node, settledNode(record));
      if (record.released) this.claims.add(record.node);
    }
  }

  /** The records of `ids` that exist (a node nothing wrote yet has none, as in DynamoDB). */
  settledNodes(ids: readonly string[]): Map<string, SettledNode> {
    const found = new Map<string, SettledNode>();
    for (const id of ids) {
      const node = this.nodes.get(id);
      if (node) found.set(id, node);
    }
    return found;
  }

  isFinal(node: string): boolean {
    return FINAL_NODE_STATUSES.has(this.nodes.get(node)?.status ?? 'PENDING');
  }

  /** The number the node's next attempt gets; undefined once the node is final (it cannot start). */
  nextAttempt(node: string): number | undefined {
    return this.isFinal(node) ? undefined : (this.nodes.get(node)?.attempts ?? 0) + 1;
  }

  /** DynamoDB counted an attempt: the node runs it. */
  attemptStarted(node: string, attempt: number): void {
    this.nodes.set(node, { ...this.nodes.get(node), node, status: 'RUNNING', attempts: attempt });
  }

  /** The node is final (DynamoDB is storing it: see `storing`). */
  finalized(node: string, status: NodeStatus, outputs?: string): void {
    const attempts = this.nodes.get(node)?.attempts ?? 0;
    this.nodes.set(node, { node, status, attempts, ...(outputs ? { outputs } : {}) });
  }

  /**
   * DynamoDB is storing a status the mirror decided. It must accept it (nothing else writes the
   * run's nodes); a refusal or an error is kept and rejects every later `stored()`.
   */
  storing(write: Promise<boolean>, what: string): void {
    const stored: Promise<void> = write
      .then((written) => {
        if (!written)
          throw new StateError(
            'CONFLICT',
            `DynamoDB refused ${what}: something outside the process that runs the run wrote its nodes`,
          );
      })
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => this.writes.delete(stored));
    this.writes.add(stored);
  }

  /** Resolves once every status handed to `storing` so far is stored; rejects if one was not. */
  async stored(): Promise<void> {
    await Promise.all(this.writes);
    if (this.failure) throw this.failure;
  }

  /** A node's record as DynamoDB holds it, after a write it refused. */
  refreshed(record: NodeRecord | undefined, node: string): void {
    if (record) this.nodes.set(node, settledNode(record));
    else this.nodes.delete(node);
  }

  waitersOn(dep: string): WaiterRecord[] {
    return [...(this.waiters.get(dep) ?? [])];
  }

  /** DynamoDB holds the waiter under each of its dependencies. */
  waiterRegistered(waiter: WaiterRecord): void {
    for (const dep of waiter.dependsOn.length ? waiter.dependsOn : ['*']) {
      const others = (this.waiters.get(dep) ?? []).filter((w) => w.node !== waiter.node);
      this.waiters.set(dep, [...others, waiter]);
    }
  }

  /**
   * Takes the release of `node`'s gate for this caller; false when another caller of this process
   * took it first. Synchronous, so two callers racing within the process never both write.
   */
  claim(node: string): boolean {
    if (this.claims.has(node)) return false;
    this.claims.add(node);
    return true;
  }

  unclaim(node: string): void {
    this.claims.delete(node);
  }
}

export function settledNode(record: NodeRecord): SettledNode {
  return {
    node: record.node,
    status: record.status,
    attempts: record.attempts,
    ...(record.outputs ? { outputs: record.outputs } : {}),
  };
}
