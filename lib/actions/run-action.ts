import type { ActionPayload, ActionResult } from '../contract/index.js';
import { ActionError } from '../contract/index.js';
import { EVIDENCE } from '../evidence/index.js';
import type { Action } from '../pipeline/index.js';
import { beginAttempt, failAttempt, failureCause, type RunDeps, succeedAttempt } from '../run/index.js';
import { gateAction } from './gate-action.js';
import { actionSpec } from './registry.js';
import { signingAction, verifyAction } from './sign-action.js';

/** A built-in action's own work, given the run and the node's inputs. */
export type BuiltinAction = (
  deps: RunDeps,
  payload: ActionPayload,
  context: { attempt: number; prefix: string },
) => Promise<ActionResult>;

const BUILTINS: Partial<Record<Action, BuiltinAction>> = {
  checkout: async (deps, payload, { attempt, prefix }) => {
    const run = await deps.state.requireRun(payload.runId);
    const source = {
      repository: run.github.repository ?? '',
      sha: run.github.sha ?? '',
      ref: run.github.ref ?? '',
    };
    const key = `${prefix}${EVIDENCE.nodeResult(payload.node, attempt)}`;
    await deps.evidence.putJsonOnce(key, { action: 'checkout', source });
    const summary = `source ${source.repository || '(local workspace)'} at ${source.sha || 'an uncommitted state'}${source.ref ? ` (${source.ref})` : ''}; every node starts from it`;
    return { evidence: [key], summary };
  },
  gate: gateAction,
  sign: signingAction('signature'),
  'cosign-sign': signingAction('signature'),
  attest: signingAction('provenance'),
  'cosign-attest': signingAction('provenance'),
  verify: verifyAction,
};

/**
 * The action function: runs a built-in action as one attempt of its node, with the same
 * bookkeeping as a stage build (attempt counted, success recorded, failure thrown as an ASL
 * error). Actions of later issues fail with a clear error naming them.
 */
export async function runAction(deps: RunDeps, payload: ActionPayload): Promise<ActionResult> {
  const spec = actionSpec(payload.action as Action);
  const begun = await beginAttempt(deps, payload.runId, payload.node);
  if (begun.kind === 'reuse')
    return { evidence: [], summary: 'succeeded in an earlier attempt of this run; reused' };
  const run = await deps.state.requireRun(payload.runId);
  const prefix = run.evidence.prefix;
  const log = (text: string) =>
    deps.evidence.putOnce(
      `${prefix}${EVIDENCE.nodeLog(payload.node, begun.attempt)}`,
      `${text}\n`,
      'text/plain',
    );
  const implementation = BUILTINS[spec.name];
  if (spec.pending || !implementation) {
    const message = `action "${spec.name}" (${spec.summary}) is not available in this version of mc yet; it arrives with ${spec.pending ?? 'a later version'}`;
    await log(message);
    return failAttempt(
      deps,
      payload.runId,
      payload.node,
      new ActionError('ACTION_UNAVAILABLE', failureCause(payload.node, message)),
    );
  }
  let result: ActionResult;
  try {
    result = await implementation(deps, payload, { attempt: begun.attempt, prefix });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await log(`${spec.name} failed: ${message}`);
    return failAttempt(
      deps,
      payload.runId,
      payload.node,
      // An action's own ActionError keeps its name (a blocked gate is never retried).
      new ActionError(
        error instanceof ActionError ? error.code : 'STEP_FAILED',
        failureCause(payload.node, message),
        {
          cause: error,
        },
      ),
    );
  }
  await log(result.summary);
  await succeedAttempt(deps, payload.runId, payload.node);
  return result;
}
