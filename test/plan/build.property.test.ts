import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { analyzePipeline } from '../../lib/plan/index.js';

// Random valid pipelines: stage i may depend on stages before it; steps may fan out with for_each.
const pipeline = fc
  .array(
    fc.record({
      parallel: fc.boolean(),
      steps: fc.array(fc.record({ fanOut: fc.integer({ min: 0, max: 3 }), conditionFalse: fc.boolean() }), {
        minLength: 1,
        maxLength: 4,
      }),
      deps: fc.array(fc.nat(), { maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 12 },
  )
  .map((stages) => ({
    apiVersion: 'orchestration.maestro.dev/v1',
    kind: 'BuildPipeline',
    metadata: { name: 'random', version: '27.1.0' },
    spec: {
      stages: stages.map((stage, i) => ({
        name: `s${i}`,
        parallel: stage.parallel,
        ...(i > 0 && stage.deps.length
          ? { depends_on: [...new Set(stage.deps.map((d) => `s${d % i}`))] }
          : {}),
        ...(stage.steps.some((s) => s.conditionFalse) ? { condition: 'profile == "prod"' } : {}),
        steps: stage.steps.map((step, k) => ({
          name: `t${k}`,
          command: step.fanOut ? 'echo ${{ item }}' : 'true',
          ...(step.fanOut ? { for_each: Array.from({ length: step.fanOut }, (_, j) => `x${j}`) } : {}),
        })),
      })),
    },
  }));

describe('the planner on random pipelines', () => {
  it('never drops a node, respects every edge and is deterministic', () => {
    fc.assert(
      fc.property(pipeline, (doc) => {
        const text = stringify(doc);
        const { plan, diagnostics } = analyzePipeline('random.yaml', text);
        expect(diagnostics).toEqual([]);
        if (!plan) return;
        const expected = doc.spec.stages.flatMap((s) =>
          s.steps.flatMap((t) =>
            t.for_each ? t.for_each.map((x) => `${s.name}/${t.name}[${x}]`) : [`${s.name}/${t.name}`],
          ),
        );
        expect(plan.nodes.map((n) => n.id)).toEqual(expected);
        const position = new Map(plan.order.map((id, i) => [id, i]));
        for (const node of plan.nodes) {
          for (const dep of node.dependsOn)
            expect(position.get(dep)).toBeLessThan(position.get(node.id) ?? -1);
        }
        for (const stage of doc.spec.stages) {
          const skipped = plan.nodes.filter((n) => n.stage === stage.name && n.skip).length;
          expect(skipped).toBe(stage.condition ? plan.nodes.filter((n) => n.stage === stage.name).length : 0);
        }
        expect(analyzePipeline('random.yaml', text).plan).toEqual(plan);
      }),
      { numRuns: 150 },
    );
  });
});
