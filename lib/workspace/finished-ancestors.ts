import type { Plan } from '../plan/index.js';
import type { RunDeps } from '../run/index.js';
import { ancestorsInOrder } from './ancestors.js';
import { restoreOutputs } from './outputs.js';

/** A node that `node` depends on and that succeeded: its last attempt and what it left. */
export interface SucceededAncestor {
  readonly id: string;
  readonly attempt: number;
  /** Evidence key of its outputs, when it changed files. */
  readonly outputs?: string;
}

/** The nodes `node` depends on (directly or not) that succeeded, in plan order. */
export async function succeededAncestors(
  deps: RunDeps,
  plan: Plan,
  runId: string,
  node: string,
): Promise<SucceededAncestor[]> {
  const ancestors = ancestorsInOrder(plan, node);
  if (!ancestors.length) return [];
  const records = await deps.state.getNodesById(runId, ancestors);
  return ancestors.flatMap((id) => {
    const record = records.get(id);
    if (record?.status !== 'SUCCEEDED' || !record.attempts) return [];
    return [{ id, attempt: record.attempts, ...(record.outputs ? { outputs: record.outputs } : {}) }];
  });
}

/** Lays the ancestors' outputs over `dir`, in plan order (a later node's file wins). */
export async function restoreAncestorOutputs(
  deps: RunDeps,
  ancestors: readonly SucceededAncestor[],
  dir: string,
): Promise<void> {
  for (const ancestor of ancestors)
    if (ancestor.outputs) await restoreOutputs(deps.evidence, ancestor.outputs, dir);
}
