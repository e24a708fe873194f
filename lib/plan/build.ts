import { type BuildPipeline, durationSeconds, joinPointer } from '../pipeline/index.js';
import { expandStep, type NodeDraft, type PlanContext } from './expand.js';
import { criticalPath, findCycle, levelsOf, topologicalOrder } from './graph.js';
import { type EnvName, resolveProfile } from './profile.js';
import type { Plan, PlanIssue, PlanNode } from './types.js';

export interface PlanOptions {
  /** Profile to resolve. Default dev. */
  readonly env?: EnvName;
  /** `github.*` values known at plan time; conditions on them are then decided when planning. */
  readonly github?: Readonly<Record<string, string>>;
}

export interface PlanResult {
  /** Present when planning found no errors. */
  readonly plan?: Plan;
  readonly issues: readonly PlanIssue[];
}

/** A validated pipeline → the DAG of nodes for one environment. Pure: no I/O. */
export function buildPlan(pipeline: BuildPipeline, options: PlanOptions = {}): PlanResult {
  const env = options.env ?? 'dev';
  const issues: PlanIssue[] = [];
  const { spec } = pipeline;
  const cycle = stageCycle(pipeline);
  if (cycle) return { issues: [cycle] };

  const profile = resolveProfile(pipeline, env);
  const services = (spec.services ?? []).map((s) => ({ ...s }));
  const variables = { ...spec.env, ...profile.env };
  const context: PlanContext = {
    services,
    serviceNames: new Set(services.map((s) => s.name)),
    registry: spec.registry ?? '',
    env: variables,
    profile: env,
    matrix: spec.matrix ?? {},
    ...(options.github ? { github: options.github } : {}),
  };

  const deps = new Map<string, string[]>();
  const drafts: NodeDraft[] = [];
  const exits = new Map<string, NodeDraft[]>();
  spec.stages.forEach((stage, i) => {
    const stageNodes: NodeDraft[] = [];
    let previous: NodeDraft[] = [];
    stage.steps.forEach((step, k) => {
      const current = expandStep(stage, step, joinPointer('/spec/stages', i, 'steps', k), context, issues);
      for (const node of current) {
        // In order (not parallel): each node waits for the previous step's nodes it pairs with.
        deps.set(node.id, stage.parallel ? [] : previous.filter((p) => pairs(p, node)).map((p) => p.id));
      }
      stageNodes.push(...current);
      if (!stage.parallel && current.length > 0) previous = current;
    });
    const hasDependents = new Set(stageNodes.flatMap((n) => deps.get(n.id) ?? []));
    exits.set(
      stage.name,
      stageNodes.filter((n) => !hasDependents.has(n.id)),
    );
    const upstream = (stage.depends_on ?? []).flatMap((name) => exits.get(name) ?? []).map((n) => n.id);
    for (const node of stageNodes) {
      const own = deps.get(node.id) ?? [];
      if (own.length === 0) deps.set(node.id, upstream);
    }
    drafts.push(...stageNodes);
  });
  if (issues.some((i) => i.severity === 'error')) return { issues };

  const ids = drafts.map((d) => d.id);
  const depsOf = (id: string) => deps.get(id) ?? [];
  const order = topologicalOrder(ids, depsOf);
  const nodes: PlanNode[] = drafts.map(({ bindings: _, ...node }) => ({
    ...node,
    dependsOn: depsOf(node.id),
  }));
  const plan: Plan = {
    pipeline: pipeline.metadata.name,
    version: pipeline.metadata.version,
    env,
    profile,
    failFast: spec.fail_fast ?? true,
    ...(spec.timeout ? { timeoutSeconds: durationSeconds(spec.timeout) } : {}),
    variables,
    nodes,
    order,
    levels: levelsOf(order, depsOf),
    criticalPath: criticalPath(order, depsOf),
  };
  return { plan, issues };
}

// Two nodes of neighbouring steps pair unless they were expanded from the same list to different values.
function pairs(a: NodeDraft, b: NodeDraft): boolean {
  for (const [key, value] of a.bindings) {
    const other = b.bindings.get(key);
    if (other !== undefined && other !== value) return false;
  }
  return true;
}

function stageCycle(pipeline: BuildPipeline): PlanIssue | undefined {
  const stages = pipeline.spec.stages;
  const names = stages.map((s) => s.name);
  const dependsOn = new Map(stages.map((s) => [s.name, s.depends_on ?? []]));
  const cycle = findCycle(names, (name) => dependsOn.get(name) ?? []);
  if (!cycle) return undefined;
  const index = names.indexOf(cycle[0]);
  const dep = (dependsOn.get(cycle[0]) ?? []).indexOf(cycle[1]);
  return {
    severity: 'error',
    pointer: joinPointer('/spec/stages', index, 'depends_on', dep),
    message: `dependency cycle: ${cycle.join(' → ')} (each stage depends on the next)`,
  };
}
