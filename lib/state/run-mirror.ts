import { FINAL_NODE_STATUSES, type NodeStatus } from '../contract/index.js';
import { StateError } from './errors.js';
import type { NodeRecord, WaiterRecord } from './records.js';

/** What a node's record says that the run's own reads need: its status, attempts and outputs. */
export type SettledNode = Pick<NodeRecord, 'node' | 'status' | 'attempts' | 'outputs'>;

/**
 * The nodes and gate waiters of one run, as the one process that runs it decided them.
 *
 * While an execution runs, nothing but that execution's process writes its nodes: a resume
 * refuses a running run, and `mc status` / `mc logs` only read. So the process decides each
 * transition here, synchronously (two callers in the process never both win), and DynamoDB
 * stores it, conditional as before (a refusal means the assumption broke, and is reported). The
 * reads on every hop of the DAG (the waiters of a node that just finished, the statuses a gate
 * decides on, the ancestors a build restores) are answered from here. Gate waiters and release
 * claims are kept here only: their task tokens are promises of this process. On AWS every
 * function and build has a store of its own and no mirror: there the reads go to DynamoDB.
 */
export class RunMirror {
  private readonly nodes = new Map<string, SettledNode>();
  private readonly waiters = new Map<string, WaiterRecord[]>();
  private readonly claims = new Set<string>();
  private readonly writes = new Map<string, Promise<void>>();
  private failure: string | undefined;

  /**
   * Seeded with the run's node records as DynamoDB holds them when the execution starts;
   * `dependsOn` gives a node's dependencies (without it, an attempt follows every status so far).
   */
  constructor(
    records: readonly NodeRecord[],
    private readonly dependsOn?: (node: string) => readonly string[],
  ) {
    for (const record of records) this.nodes.set(record.node, settledNode(record));
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

  /**
   * DynamoDB counted an attempt. The node runs it, unless it became final while the count was
   * under way (fail-fast or Ctrl-C cancelled it): then it stays final and false says so.
   */
  attemptCounted(node: string, attempt: number): boolean {
    const known = this.nodes.get(node);
    if (known && this.isFinal(node)) {
      this.nodes.set(node, { ...known, attempts: attempt });
      return false;
    }
    this.nodes.set(node, { ...known, node, status: 'RUNNING', attempts: attempt });
    return true;
  }

  /** The node is final (DynamoDB is storing it: see `storing`). */
  finalized(node: string, status: NodeStatus, outputs?: string): void {
    const attempts = this.nodes.get(node)?.attempts ?? 0;
    this.nodes.set(node, { node, status, attempts, ...(outputs ? { outputs } : {}) });
  }

  /**
   * DynamoDB is storing a status decided here; `write` resolves with whether it was stored. What
   * could not be stored is kept: it stops later attempts (`storedBefore`) and is reported (`settled`).
   */
  storing(node: string, write: Promise<boolean>, what: string): void {
    const stored: Promise<void> = write
      .then(
        (written) => {
          if (!written)
            this.failure ??= `DynamoDB refused ${what}: something outside the process that runs the run wrote its nodes`;
        },
        (error: unknown) => {
          this.failure ??= `${what} could not be stored: ${error instanceof Error ? error.message : String(error)}`;
        },
      )
      .finally(() => {
        if (this.writes.get(node) === stored) this.writes.delete(node);
      });
    this.writes.set(node, stored);
  }

  /**
   * Resolves once the statuses an attempt of `node` follows (its dependencies', or every one so
   * far) are stored; rejects if any status of the run could not be.
   */
  async storedBefore(node: string): Promise<void> {
    const after = this.dependsOn?.(node);
    await Promise.all(after ? after.map((n) => this.writes.get(n)) : this.writes.values());
    if (this.failure) throw new StateError('CONFLICT', this.failure);
  }

  /** Resolves once every status handed to `storing` so far is settled, saying what was not stored. */
  async settled(): Promise<string | undefined> {
    await Promise.all(this.writes.values());
    return this.failure;
  }

  /** A node's record as DynamoDB holds it, after a write it refused. */
  refreshed(record: NodeRecord | undefined, node: string): void {
    if (record) this.nodes.set(node, settledNode(record));
    else this.nodes.delete(node);
  }

  waitersOn(dep: string): WaiterRecord[] {
    return [...(this.waiters.get(dep) ?? [])];
  }

  /** A gate waits under each of its dependencies. */
  waiterRegistered(waiter: WaiterRecord): void {
    for (const dep of waiter.dependsOn.length ? waiter.dependsOn : ['*']) {
      const others = (this.waiters.get(dep) ?? []).filter((w) => w.node !== waiter.node);
      this.waiters.set(dep, [...others, waiter]);
    }
  }

  /**
   * Takes the release of `node`'s gate for this caller; false when another caller of this process
   * took it first. Synchronous, so two callers racing within the process never both win.
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
