import { ActionError } from '../contract/index.js';
import type { RunDeps } from './deps.js';
import { failureCause } from './failure.js';
import { type CompletionFields, completeNode } from './gate.js';

export type AttemptStart = { readonly kind: 'run'; readonly attempt: number } | { readonly kind: 'reuse' };

/**
 * A node's work begins: counts the attempt. A node that already succeeded in this run (a resume)
 * is reused, not run again; one that ended otherwise cannot start.
 */
export async function beginAttempt(deps: RunDeps, runId: string, node: string): Promise<AttemptStart> {
  const attempt = await deps.state.startAttempt(runId, node, deps.now().toISOString());
  if (attempt !== undefined) return { kind: 'run', attempt };
  const [record] = (await deps.state.getSettledNodes(runId, [node])).values();
  if (record?.status === 'SUCCEEDED') return { kind: 'reuse' };
  throw new ActionError(
    'CANCELLED',
    failureCause(node, `node is ${record?.status ?? 'unknown'}; it cannot start`),
  );
}

/** The attempt succeeded: the node is done and its dependents may go. */
export async function succeedAttempt(
  deps: RunDeps,
  runId: string,
  node: string,
  fields: CompletionFields = {},
): Promise<void> {
  await completeNode(deps, runId, node, fields);
}

/** The attempt failed: recorded, then thrown as the ASL error the state machine retries or catches. */
export async function failAttempt(
  deps: RunDeps,
  runId: string,
  node: string,
  error: ActionError,
  /** When the attempt's work ended (default: now). */
  endedAt: string = deps.now().toISOString(),
): Promise<never> {
  await deps.state.endAttempt(runId, node, endedAt, {
    Error: error.name,
    Cause: error.message,
  });
  throw error;
}
