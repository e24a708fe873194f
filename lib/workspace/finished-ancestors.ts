import type { Plan } from '../plan/index.js';
import type { RunDeps } from '../run/index.js';
import { ancestorsInOrder } from './ancestors.js';
import { unpack } from './outputs.js';

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
  const records = await deps.state.getSettledNodes(runId, ancestors);
  return ancestors.flatMap((id) => {
    const record = records.get(id);
    if (record?.status !== 'SUCCEEDED' || !record.attempts) return [];
    return [{ id, attempt: record.attempts, ...(record.outputs ? { outputs: record.outputs } : {}) }];
  });
}

/** How many archives are downloaded ahead of the one being unpacked. */
const AHEAD = 4;

/**
 * Lays the ancestors' outputs over `dir`, in plan order (a later node's file wins). The archives are
 * downloaded a few ahead of the unpacking, so a node with many ancestors does not wait for one
 * download after another.
 */
export async function restoreAncestorOutputs(
  deps: RunDeps,
  ancestors: readonly SucceededAncestor[],
  dir: string,
): Promise<void> {
  const keys = ancestors.flatMap((a) => (a.outputs ? [a.outputs] : []));
  const downloads: Promise<Uint8Array | undefined>[] = [];
  const download = (i: number) => {
    if (i >= keys.length) return;
    downloads[i] = deps.evidence.get(keys[i]);
    // Awaited in turn below; one that fails after an earlier failure must not go unhandled.
    downloads[i].catch(() => undefined);
  };
  for (let i = 0; i < AHEAD; i++) download(i);
  for (let i = 0; i < keys.length; i++) {
    const bytes = await downloads[i];
    download(i + AHEAD);
    if (bytes) await unpack(bytes, dir);
  }
}
