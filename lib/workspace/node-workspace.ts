import { EVIDENCE } from '../evidence/index.js';
import type { Plan } from '../plan/index.js';
import { type RunDeps, succeedAttempt } from '../run/index.js';
import { ancestorsInOrder } from './ancestors.js';
import { changedFiles, type Manifest, manifest } from './changes.js';
import { restoreOutputs, saveOutputs } from './outputs.js';

/**
 * `mc-workspace restore`: lays the outputs of every node `node` depends on (directly or not, in
 * the plan's order) over the source in `dir`, and returns what `dir` holds then, so the save can
 * tell what the node itself changed.
 */
export async function restoreNodeWorkspace(
  deps: RunDeps,
  plan: Plan,
  runId: string,
  node: string,
  dir: string,
): Promise<Manifest> {
  const ancestors = ancestorsInOrder(plan, node);
  const records = ancestors.length ? await deps.state.getNodesById(runId, ancestors) : new Map();
  for (const id of ancestors) {
    const outputs = records.get(id)?.outputs;
    if (outputs) await restoreOutputs(deps.evidence, outputs, dir);
  }
  return manifest(dir);
}

/**
 * `mc-workspace save` after a successful command: stores the files the node added or changed
 * (its outputs, for its dependents) and records the node SUCCEEDED, which releases its dependents.
 */
export async function saveNodeWorkspace(
  deps: RunDeps,
  at: {
    runId: string;
    prefix: string;
    node: string;
    attempt: number;
    dir: string;
    before: Manifest;
    endedAt: string;
  },
): Promise<void> {
  const files = changedFiles(at.dir, at.before);
  const key = files.length ? `${at.prefix}${EVIDENCE.nodeOutputs(at.node, at.attempt)}` : undefined;
  if (key) await saveOutputs(deps.evidence, key, at.dir, files);
  await succeedAttempt(deps, at.runId, at.node, { outputs: key, endedAt: at.endedAt });
}
