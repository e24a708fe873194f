import type { GateDecision } from '../contract/index.js';
import { ActionError } from '../contract/index.js';
import { compileExpression, ExpressionError, evaluateExpression } from '../expr/index.js';
import type { NodeRecord, RunRecord, WaiterRecord } from '../state/index.js';

/**
 * Whether a node whose dependencies are all final runs: every dependency must have succeeded
 * (a failed, skipped or cancelled one skips it, as GitHub Actions skips jobs whose needs did not
 * succeed), then its run-time condition must hold.
 */
export function decide(
  run: RunRecord | undefined,
  waiter: WaiterRecord,
  deps: ReadonlyMap<string, NodeRecord>,
): GateDecision {
  for (const id of waiter.dependsOn) {
    const status = deps.get(id)?.status;
    if (status !== 'SUCCEEDED') return { run: false, reason: `dependency ${id} ${describe(status)}` };
  }
  if (!waiter.condition || !run) return { run: true };
  let value: unknown;
  try {
    value = evaluateExpression(compileExpression(waiter.condition), {
      ...waiter.scope,
      github: run.github,
      profile: run.env,
      env: {},
    });
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    throw new ActionError('INVALID_INPUT', `node ${waiter.node}: ${error.message}`, { cause: error });
  }
  if (typeof value !== 'boolean') {
    throw new ActionError(
      'INVALID_INPUT',
      `node ${waiter.node}: condition ${waiter.condition} gave ${JSON.stringify(value)}, not true or false`,
    );
  }
  return value ? { run: true } : { run: false, reason: `condition is false: ${waiter.condition}` };
}

function describe(status: string | undefined): string {
  switch (status) {
    case 'FAILED':
      return 'failed';
    case 'SKIPPED':
      return 'was skipped';
    case 'CANCELLED':
      return 'was cancelled';
    default:
      return `is ${String(status ?? 'missing').toLowerCase()}`;
  }
}
