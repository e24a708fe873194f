import { ExpressionError, interpolate } from '../expr/index.js';
import { type BuildPipeline, durationSeconds, joinPointer, type Stage } from '../pipeline/index.js';
import { planCaches } from './caches.js';
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
  const variables = resolveVariables(
    { ...spec.env, ...profile.env },
    env,
    spec.registry ?? '',
    services,
    issues,
    spec.profiles?.[env]?.env,
  );
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
  const stageNodes = new Map<string, NodeDraft[]>();
  // A stage's exits: its nodes nothing inside the stage waits for; for a stage with no nodes
  // (an empty for_each), the exits of the stages it depends on, so ordering passes through it.
  const exits = new Map<string, string[]>();
  const byName = new Map(spec.stages.map((stage, i) => [stage.name, { stage, i }]));
  const stageOrder = topologicalOrder(
    spec.stages.map((s) => s.name),
    (name) => byName.get(name)?.stage.depends_on ?? [],
  );
  for (const name of stageOrder) {
    const { stage, i } = byName.get(name) as { stage: Stage; i: number };
    const nodes: NodeDraft[] = [];
    let previous: NodeDraft[] = [];
    stage.steps.forEach((step, k) => {
      const current = expandStep(stage, step, joinPointer('/spec/stages', i, 'steps', k), context, issues);
      for (const node of current) {
        // In order (not parallel): each node waits for the previous step's nodes it pairs with.
        deps.set(node.id, stage.parallel ? [] : previous.filter((p) => pairs(p, node)).map((p) => p.id));
      }
      nodes.push(...current);
      if (!stage.parallel && current.length > 0) previous = current;
    });
    const upstream = [...new Set((stage.depends_on ?? []).flatMap((dep) => exits.get(dep) ?? []))];
    for (const node of nodes) if ((deps.get(node.id) ?? []).length === 0) deps.set(node.id, upstream);
    const hasDependents = new Set(
      nodes.flatMap((n) => deps.get(n.id) ?? []).filter((id) => !upstream.includes(id)),
    );
    exits.set(name, nodes.length ? nodes.filter((n) => !hasDependents.has(n.id)).map((n) => n.id) : upstream);
    stageNodes.set(name, nodes);
  }
  const drafts = spec.stages.flatMap((stage) => stageNodes.get(stage.name) ?? []);
  const caches = planCaches(
    spec.cache,
    { services, registry: spec.registry ?? '', profile: env, env: variables },
    issues,
  );
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
    ...(services.length ? { services: services.map((s) => ({ name: s.name, path: s.path ?? '.' })) } : {}),
    ...(caches.length ? { caches } : {}),
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

// Environment variables are fixed when planning: expressions in them may use plan-time values only.
function resolveVariables(
  raw: Record<string, string | number | boolean>,
  env: EnvName,
  registry: string,
  services: readonly Record<string, unknown>[],
  issues: PlanIssue[],
  fromProfile: Record<string, unknown> | undefined,
): Record<string, string | number | boolean> {
  const scope = { services, registry, profile: env, env: {} };
  const resolved: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(raw)) {
    const pointer =
      fromProfile && name in fromProfile
        ? joinPointer('/spec/profiles', env, 'env', name)
        : joinPointer('/spec/env', name);
    if (typeof value !== 'string' || !value.includes('${{')) {
      resolved[name] = value;
      continue;
    }
    try {
      const { value: text, deferred } = interpolate(value, scope);
      if (deferred.length)
        issues.push({
          severity: 'error',
          pointer,
          message: `${name} can use only values known when planning, not ${deferred[0].source}`,
        });
      resolved[name] =
        typeof text === 'string' || typeof text === 'number' || typeof text === 'boolean'
          ? text
          : JSON.stringify(text);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      issues.push({ severity: 'error', pointer, message: error.message });
    }
  }
  return resolved;
}
