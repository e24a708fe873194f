import { actionSpec } from '../../lib/actions/registry.js';
import type { Plan, PlanNode } from '../../lib/plan/index.js';
import { nodeCompute } from './compute.js';
import { nodeEnvironment, nodeTimeoutSeconds } from './node-states.js';
import { LAMBDA_COMPUTE_LIMIT_SECONDS } from './resources.js';

/**
 * A chain cut into builds: consecutive members of one stage fuse into one CodeBuild build when
 * the build can give each of them exactly what a build of its own would:
 *
 * - each is a CodeBuild action on Lambda compute (a short step: no Docker, no long timeout);
 * - none has a run-time condition or was skipped when planning (the gate and the skip signal
 *   decide per node);
 * - none has retries: Step Functions retries a build as a whole with one budget, and a failed
 *   build cannot tell it whether the member that failed has retries left, so members sharing a
 *   build could not keep a budget each;
 * - their environments are the same but for MC_NODE_ID (each step sets its own);
 * - their timeouts add up to at most 15 minutes, CodeBuild Lambda compute's limit, so each member
 *   keeps its own timeout inside the build (enforced per step) and the build's timeout is the sum.
 *
 * Inside a chain each next node depends on the previous one alone and is its only dependent, so
 * nothing outside waits for an inner member. Groups of one are ordinary node builds.
 */
export function fusedGroups(
  plan: Plan,
  chain: readonly PlanNode[],
  skipped: ReadonlyMap<string, string>,
): PlanNode[][] {
  const groups: PlanNode[][] = [];
  for (const node of chain) {
    const group = groups.at(-1);
    if (group && canJoin(plan, group, node, skipped)) group.push(node);
    else groups.push([node]);
  }
  return groups;
}

function canJoin(
  plan: Plan,
  group: readonly PlanNode[],
  node: PlanNode,
  skipped: ReadonlyMap<string, string>,
): boolean {
  const [first] = group;
  const last = group[group.length - 1];
  if (!fusible(node, skipped) || !fusible(first, skipped)) return false;
  if (node.stage !== first.stage || node.dependsOn.length !== 1 || node.dependsOn[0] !== last.id)
    return false;
  if (sharedEnvironment(plan, node) !== sharedEnvironment(plan, first)) return false;
  const total = [...group, node].reduce((sum, n) => sum + nodeTimeoutSeconds(plan, n), 0);
  return total <= LAMBDA_COMPUTE_LIMIT_SECONDS;
}

function fusible(node: PlanNode, skipped: ReadonlyMap<string, string>): boolean {
  return (
    actionSpec(node.action).runtime === 'codebuild' &&
    nodeCompute(node) === 'lambda' &&
    node.condition === undefined &&
    !skipped.has(node.id) &&
    node.retries === 0
  );
}

// A build's environment without its MC_NODE_ID, as text to compare.
function sharedEnvironment(plan: Plan, node: PlanNode): string {
  return JSON.stringify(
    nodeEnvironment(plan, node).filter((v) => (v as { Name?: string }).Name !== 'MC_NODE_ID'),
  );
}
