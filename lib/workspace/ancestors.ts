import type { Plan } from '../plan/index.js';

/** Every node `id` depends on, directly or not, in the plan's topological order. */
export function ancestorsInOrder(plan: Plan, id: string): string[] {
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const stack = [...(byId.get(id)?.dependsOn ?? [])];
  while (stack.length) {
    const next = stack.pop() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(byId.get(next)?.dependsOn ?? []));
  }
  return plan.order.filter((n) => seen.has(n));
}
