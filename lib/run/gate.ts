import type { GateDecision, GatePayload, Json, NodeStatus, SignalPayload } from '../contract/index.js';
import { FINAL_NODE_STATUSES } from '../contract/index.js';
import { EVIDENCE } from '../evidence/index.js';
import type { Plan } from '../plan/index.js';
import type { WaiterRecord } from '../state/index.js';
import { decide } from './decide.js';
import type { RunDeps } from './deps.js';

/**
 * The gate task: registers the node's task token under each of its dependencies, then releases
 * it at once if they are all final already. Whoever sees the last dependency finish (this gate
 * or a signal) releases it; a conditional write makes sure only one does.
 */
export async function gate(deps: RunDeps, payload: GatePayload): Promise<void> {
  const waiter: WaiterRecord = {
    runId: payload.runId,
    node: payload.node,
    dependsOn: payload.dependsOn,
    token: payload.taskToken,
    followers: payload.followers ?? [],
    ...(payload.condition ? { condition: payload.condition } : {}),
    ...(payload.scope ? { scope: payload.scope as Record<string, unknown> } : {}),
  };
  await deps.state.putWaiter(waiter);
  await tryRelease(deps, waiter);
}

/** Records a status decided by the state machine (skipped when planning, or failed) and releases waiters. */
export async function signal(deps: RunDeps, payload: SignalPayload): Promise<void> {
  const at = deps.now().toISOString();
  const { runId } = payload;
  const { node, followers } = payload.fused?.length
    ? await failedMember(deps, payload)
    : { node: payload.node, followers: payload.followers ?? [] };
  const settled = new Settled();
  if (payload.status === 'FAILED') {
    settled.note(
      node,
      'FAILED',
      await deps.state.finalizeNode(runId, node, 'FAILED', {
        endedAt: at,
        ...(payload.error ? { error: payload.error } : {}),
      }),
    );
  } else {
    settled.note(
      node,
      'SKIPPED',
      await deps.state.finalizeNode(runId, node, 'SKIPPED', { reason: payload.reason ?? 'skipped' }),
    );
  }
  await skipFollowers(
    deps,
    runId,
    node,
    followers,
    payload.status === 'FAILED' ? 'failed' : 'was skipped',
    settled,
  );
  await releaseDependents(deps, runId, [node, ...followers], settled);
}

// The member of a failed fused build that failed: the first that did not succeed (members run in
// order, each only after the one before it succeeded), else the last; the chain after it follows.
async function failedMember(
  deps: RunDeps,
  payload: SignalPayload,
): Promise<{ node: string; followers: readonly string[] }> {
  const members = [payload.node, ...(payload.fused ?? [])];
  const records = await deps.state.getSettledNodes(payload.runId, members);
  const failed = members.find((m) => records.get(m)?.status !== 'SUCCEEDED') ?? members[members.length - 1];
  const chain = [payload.node, ...(payload.followers ?? [])];
  return { node: failed, followers: chain.slice(chain.indexOf(failed) + 1) };
}

/** What a success records beside the status: the outputs' key, when the work started and ended. */
export interface CompletionFields {
  readonly outputs?: string;
  readonly startedAt?: string;
  readonly endedAt?: string;
}

/** A node succeeded: record it and release the nodes waiting for it. */
export async function completeNode(
  deps: RunDeps,
  runId: string,
  node: string,
  fields: CompletionFields = {},
): Promise<void> {
  const settled = new Settled();
  settled.note(
    node,
    'SUCCEEDED',
    await deps.state.finalizeNode(runId, node, 'SUCCEEDED', {
      endedAt: deps.now().toISOString(),
      ...stripUndefined(fields),
    }),
  );
  await releaseDependents(deps, runId, [node], settled);
}

/**
 * Final statuses this handler set itself (the store accepted them), so releasing the nodes that
 * wait on them need not read them back: one DynamoDB read less on every hop of the DAG.
 */
class Settled {
  private readonly statuses = new Map<string, NodeStatus>();

  note(node: string, status: NodeStatus, written: boolean): void {
    if (written) this.statuses.set(node, status);
  }

  get(node: string): NodeStatus | undefined {
    return this.statuses.get(node);
  }
}

async function releaseDependents(
  deps: RunDeps,
  runId: string,
  nodes: readonly string[],
  settled: Settled,
): Promise<void> {
  // Every waiter is independent: release them side by side, so siblings start together.
  const waiters = (await Promise.all(nodes.map((node) => deps.state.waitersOn(runId, node)))).flat();
  await Promise.all(waiters.map((waiter) => tryRelease(deps, waiter, settled)));
}

async function tryRelease(deps: RunDeps, waiter: WaiterRecord, settled = new Settled()): Promise<void> {
  const unknown = waiter.dependsOn.filter((d) => settled.get(d) === undefined);
  const records = unknown.length ? await deps.state.getSettledNodes(waiter.runId, unknown) : new Map();
  const statusOf = (d: string): NodeStatus | undefined => settled.get(d) ?? records.get(d)?.status;
  const allFinal = waiter.dependsOn.every((d) => FINAL_NODE_STATUSES.has(statusOf(d) ?? 'PENDING'));
  if (!allFinal) return;
  if (!(await deps.state.claimRelease(waiter.runId, waiter.node))) return;
  let decision: GateDecision;
  try {
    const run = waiter.condition ? await deps.state.requireRun(waiter.runId) : undefined;
    // env.* in a condition reads the pipeline's variables, which the run's plan carries.
    const plan =
      run && waiter.condition?.includes('env')
        ? await deps.evidence.getJson<Plan>(`${run.evidence.prefix}${EVIDENCE.plan}`)
        : undefined;
    decision = decide(run, waiter, statusOf, plan?.variables ?? {});
    if (!decision.run) {
      const failed = decision.failed;
      const status = failed ? 'FAILED' : 'SKIPPED';
      settled.note(
        waiter.node,
        status,
        await deps.state.finalizeNode(
          waiter.runId,
          waiter.node,
          status,
          failed ? { error: failed, endedAt: deps.now().toISOString() } : { reason: decision.reason },
        ),
      );
      await skipFollowers(
        deps,
        waiter.runId,
        waiter.node,
        waiter.followers,
        failed ? 'failed' : 'was skipped',
        settled,
      );
    }
    await deps.tokens.succeed(waiter.token, {
      run: decision.run,
      ...(decision.reason ? { reason: decision.reason } : {}),
    } as Json);
  } catch (error) {
    // Not delivered: give the claim back, so the gate's retry (a new token) can be released.
    await deps.state.unclaimRelease(waiter.runId, waiter.node);
    throw error;
  }
  if (!decision.run) await releaseDependents(deps, waiter.runId, [waiter.node, ...waiter.followers], settled);
}

// Chain members after a node that did not succeed cannot run: they are recorded skipped.
async function skipFollowers(
  deps: RunDeps,
  runId: string,
  node: string,
  followers: readonly string[],
  what: string,
  settled: Settled,
): Promise<void> {
  let previous = node;
  for (const follower of followers) {
    const reason = `dependency ${previous} ${what}`;
    settled.note(follower, 'SKIPPED', await deps.state.finalizeNode(runId, follower, 'SKIPPED', { reason }));
    previous = follower;
    what = 'was skipped';
  }
}

function stripUndefined<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}
