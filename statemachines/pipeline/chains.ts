import type { Plan, PlanNode } from '../../lib/plan/index.js';

/**
 * The plan cut into chains: runs of nodes where each next node depends only on the previous one
 * and is its only dependent. A chain runs in one branch with no synchronisation inside it; only
 * its head waits for dependencies. Chains are listed in the order of their heads in the plan's
 * topological order, so an earlier branch never waits for a later one.
 */
export function chains(plan: Plan): PlanNode[][] {
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const dependents = new Map<string, string[]>(plan.nodes.map((n) => [n.id, []]));
  for (const node of plan.nodes) for (const dep of node.dependsOn) dependents.get(dep)?.push(node.id);
  const chainOf = new Map<string, PlanNode[]>();
  const result: PlanNode[][] = [];
  for (const id of plan.order) {
    const node = byId.get(id) as PlanNode;
    const [only] = node.dependsOn;
    const previous =
      node.dependsOn.length === 1 && dependents.get(only)?.length === 1 ? chainOf.get(only) : undefined;
    if (previous && node.condition === undefined) {
      previous.push(node);
      chainOf.set(id, previous);
    } else {
      const chain = [node];
      chainOf.set(id, chain);
      result.push(chain);
    }
  }
  return result;
}

/** Node ids skipped when planning, and the nodes that depend on them (they cannot run either). */
export function skippedAtPlanTime(plan: Plan): Map<string, string> {
  const skipped = new Map<string, string>();
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  for (const id of plan.order) {
    const node = byId.get(id) as PlanNode;
    if (node.skip) skipped.set(id, node.skip.reason);
    else {
      const dep = node.dependsOn.find((d) => skipped.has(d));
      if (dep) skipped.set(id, `dependency ${dep} is skipped`);
    }
  }
  return skipped;
}
