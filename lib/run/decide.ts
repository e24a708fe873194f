import type { GateDecision, NodeStatus } from '../contract/index.js';
import { ERROR_NAMES } from '../contract/index.js';
import { compileExpression, ExpressionError, evaluateExpression } from '../expr/index.js';
import type { RunRecord, WaiterRecord } from '../state/index.js';

/**
 * Whether a node whose dependencies are all final runs: every dependency must have succeeded
 * (a failed, skipped or cancelled one skips it, as GitHub Actions skips jobs whose needs did not
 * succeed), then its run-time condition must hold.
 */
export function decide(
  run: RunRecord | undefined,
  waiter: WaiterRecord,
  statusOf: (dependency: string) => NodeStatus | undefined,
  variables: Readonly<Record<string, unknown>> = {},
): GateDecision {
  for (const id of waiter.dependsOn) {
    const status = statusOf(id);
    if (status !== 'SUCCEEDED') return { run: false, reason: `dependency ${id} ${describe(status)}` };
  }
  if (!waiter.condition || !run) return { run: true };
  let value: unknown;
  try {
    value = evaluateExpression(compileExpression(waiter.condition), {
      ...waiter.scope,
      github: run.github,
      profile: run.env,
      env: variables,
    });
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    return conditionFailed(waiter, error.message);
  }
  if (typeof value !== 'boolean') {
    return conditionFailed(
      waiter,
      `condition ${waiter.condition} gave ${JSON.stringify(value)}, not true or false`,
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

// A condition that cannot be decided fails its node (fail closed): it neither runs nor passes.
function conditionFailed(waiter: WaiterRecord, message: string): GateDecision {
  return {
    run: false,
    reason: message,
    failed: { Error: ERROR_NAMES.invalidInput, Cause: JSON.stringify({ node: waiter.node, message }) },
  };
}
