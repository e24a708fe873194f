import { FINAL_NODE_STATUSES, type NodeStatus } from '../contract/index.js';
import type { NodeRecord, WaiterRecord } from './records.js';

/** What a node's record says that the run's own reads need: its status, attempts and outputs. */
export type SettledNode = Pick<NodeRecord, 'node' | 'status' | 'attempts' | 'outputs'>;

/** An attempt the run's process began: its node, its number and when. */
export interface BegunAttempt {
  readonly node: string;
  readonly attempt: number;
  readonly at: string;
}

/**
 * Where the run's process records each attempt it begins before anything of it runs, synchronously,
 * in a place that outlives the process (a file): DynamoDB stores the count a moment later, and a
 * resume taking over a run whose process died records what the journal holds and DynamoDB does not.
 */
export interface AttemptJournal {
  began(attempt: BegunAttempt): void;
}

/**
 * The nodes and gate waiters of one run, as the one process that runs it decided them.
 *
 * While an execution runs, nothing but that execution's process writes its nodes: a resume
 * refuses a running run, and `mc status` / `mc logs` only read. So the process decides each
 * transition here, synchronously (two callers in the process never both win), and DynamoDB
 * stores it behind, conditional as before (a refusal means the assumption broke, and is reported):
 * the writes of one node in the order they were decided, those of different nodes side by side.
 * The reads on every hop of the DAG (the waiters of a node that just finished, the statuses a gate
 * decides on, the ancestors a build restores) are answered from here. Gate waiters and release
 * claims are kept here only: their task tokens are promises of this process. On AWS every
 * function and build has a store of its own and no mirror: there the reads go to DynamoDB.
 */
export class RunMirror {
  private readonly nodes = new Map<string, SettledNode>();
  private readonly waiters = new Map<string, WaiterRecord[]>();
  private readonly claims = new Set<string>();
  // Per node, its last write not yet settled (each write waits for the one before it).
  private readonly writes = new Map<string, Promise<void>>();
  private failure: string | undefined;

  /** Seeded with the run's node records as DynamoDB holds them when the execution starts. */
  constructor(
    records: readonly NodeRecord[],
    private readonly journal: AttemptJournal,
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

  /** Why the run's statuses can no longer be trusted to be stored, if they cannot. */
  unstored(): string | undefined {
    return this.failure;
  }

  /**
   * A new attempt of a node that is not final: numbered after the last one, journaled, and the
   * node is running. DynamoDB is to store it (see `storing`).
   */
  begin(node: string, at: string): BegunAttempt {
    const known = this.nodes.get(node);
    const begun = { node, attempt: (known?.attempts ?? 0) + 1, at };
    this.journal.began(begun);
    this.nodes.set(node, { ...known, node, status: 'RUNNING', attempts: begun.attempt });
    return begun;
  }

  /** The node is final (DynamoDB is to store it: see `storing`). */
  finalized(node: string, status: NodeStatus, outputs?: string): void {
    const attempts = this.nodes.get(node)?.attempts ?? 0;
    this.nodes.set(node, { node, status, attempts, ...(outputs ? { outputs } : {}) });
  }

  /**
   * DynamoDB stores something decided here, once the node's earlier writes are settled; `write`
   * resolves with whether it was stored. What could not be stored is kept: it stops later attempts
   * and is reported (`settled`).
   */
  storing(node: string, write: () => Promise<boolean>, what: string): void {
    const stored: Promise<void> = this.written(node)
      .then(write)
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

  /** Resolves once the writes of `node` handed to `storing` so far are settled. */
  async written(node: string): Promise<void> {
    await this.writes.get(node);
  }

  /** Resolves once every write handed to `storing` so far is settled, saying what was not stored. */
  async settled(): Promise<string | undefined> {
    await Promise.all(this.writes.values());
    return this.failure;
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
