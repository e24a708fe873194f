import type { Plan } from './types.js';

export type PlanFormat = 'text' | 'mermaid' | 'dot';

export function formatPlan(plan: Plan, format: PlanFormat): string {
  switch (format) {
    case 'mermaid':
      return mermaid(plan);
    case 'dot':
      return dot(plan);
    default:
      return text(plan);
  }
}

function text(plan: Plan): string {
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const lines = [
    `${plan.pipeline} (${plan.version}, env ${plan.env}): ${plan.nodes.length} nodes in ${plan.levels.length} levels`,
  ];
  plan.levels.forEach((ids, level) => {
    lines.push(`level ${level}`);
    for (const id of ids) {
      const node = byId.get(id);
      if (!node) continue;
      const notes = [
        node.action,
        node.retries ? `retries ${node.retries}` : '',
        node.condition ? `if ${node.condition}` : '',
        node.skip ? `SKIPPED: ${node.skip.reason}` : '',
      ].filter(Boolean);
      const after = node.dependsOn.length ? `  ← ${node.dependsOn.join(', ')}` : '';
      lines.push(`  ${id}  (${notes.join('; ')})${after}`);
    }
  });
  lines.push(`critical path (${plan.criticalPath.length} nodes): ${plan.criticalPath.join(' → ')}`);
  return `${lines.join('\n')}\n`;
}

function mermaid(plan: Plan): string {
  const key = new Map(plan.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ['flowchart LR'];
  for (const node of plan.nodes) {
    const label = node.id.replace(/"/g, '#quot;');
    lines.push(`  ${key.get(node.id)}["${label}"]${node.skip ? ':::skipped' : ''}`);
  }
  for (const node of plan.nodes) {
    for (const dep of node.dependsOn) lines.push(`  ${key.get(dep)} --> ${key.get(node.id)}`);
  }
  if (plan.nodes.some((n) => n.skip)) lines.push('  classDef skipped stroke-dasharray: 5 5,color:#888');
  return `${lines.join('\n')}\n`;
}

function dot(plan: Plan): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = [`digraph ${q(plan.pipeline)} {`, '  rankdir=LR;', '  node [shape=box];'];
  for (const node of plan.nodes) lines.push(`  ${q(node.id)}${node.skip ? ' [style=dashed]' : ''};`);
  for (const node of plan.nodes)
    for (const dep of node.dependsOn) lines.push(`  ${q(dep)} -> ${q(node.id)};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** The `mc plan --json` document: the contract scripts rely on, plus the full node details. */
export function planDocument(plan: Plan): Record<string, unknown> {
  return {
    pipeline: plan.pipeline,
    version: plan.version,
    env: plan.env,
    profile: plan.profile,
    failFast: plan.failFast,
    ...(plan.timeoutSeconds !== undefined ? { timeoutSeconds: plan.timeoutSeconds } : {}),
    variables: plan.variables,
    nodes: plan.nodes,
    order: plan.order,
    levels: plan.levels,
    criticalPath: plan.criticalPath,
  };
}
