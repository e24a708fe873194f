import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzePipeline } from '../../lib/plan/index.js';
import { compilePipeline, type StateMachineDefinition } from '../../statemachines/index.js';
import { project, runDefinition, traced, traceLines, withBackend } from '../support/local-run.js';
import { randomDagPipeline } from '../support/random-dag.js';

describe('the compiled machine, run by the local interpreter', () => {
  it('starts every node only after all of its dependencies ended (random DAGs)', async () => {
    await withBackend(async (backend, home) => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 3, max: 14 }),
          fc.integer({ min: 1, max: 10_000 }),
          async (nodes, seed) => {
            const p = project('');
            const yaml = randomDagPipeline({
              nodes,
              seed,
              command: (i) => traced(p, `n${i}`, (i * 7919 + seed) % 3 === 0 ? 0.05 : 0),
            });
            writeFileSync(p.file, yaml);
            const { plan } = analyzePipeline(p.file, yaml);
            if (!plan) throw new Error('random pipeline must plan');
            const result = await runDefinition(backend, home, p, plan, compilePipeline(plan));
            expect(result.status).toBe('SUCCEEDED');
            const lines = traceLines(p);
            for (const node of plan.nodes) {
              const start = lines.indexOf(`start ${node.stage}`);
              expect(start).toBeGreaterThanOrEqual(0);
              for (const dep of node.dependsOn) {
                expect(lines.indexOf(`end ${dep.split('/')[0]}`)).toBeLessThan(start);
              }
            }
          },
        ),
        { numRuns: 8 },
      );
    });
  });

  it('follows the edges written in the ASL: changing one there changes the run order', async () => {
    const p = project('');
    const yaml = `apiVersion: orchestration.maestro.dev/v1
kind: BuildPipeline
metadata: {name: edges, version: "27.1.0"}
spec:
  stages:
    - {name: quick, steps: [{name: s, command: ${JSON.stringify(traced(p, 'quick', 0))}}]}
    - {name: slow, steps: [{name: s, command: ${JSON.stringify(traced(p, 'slow', 0.8))}}]}
    - {name: last, depends_on: [quick], steps: [{name: s, command: ${JSON.stringify(traced(p, 'last', 0))}}]}
    - {name: also, depends_on: [quick], steps: [{name: s, command: "true"}]}
`;
    writeFileSync(p.file, yaml);
    const { plan } = analyzePipeline(p.file, yaml);
    if (!plan) throw new Error('must plan');
    const definition = compilePipeline(plan);
    await withBackend(async (backend, home) => {
      await runDefinition(backend, home, p, plan, definition);
      const asCompiled = traceLines(p);
      expect(asCompiled.indexOf('start last')).toBeLessThan(asCompiled.indexOf('end slow'));

      // The same machine with the gate of `last` waiting for `slow` instead of `quick`.
      const edited = JSON.parse(
        JSON.stringify(definition).replace('"dependsOn":["quick/s"]', '"dependsOn":["slow/s"]'),
      ) as StateMachineDefinition;
      expect(JSON.stringify(edited)).not.toBe(JSON.stringify(definition));
      writeFileSync(p.trace, '');
      await runDefinition(backend, home, p, plan, edited);
      const asEdited = traceLines(p);
      expect(asEdited.indexOf('end slow')).toBeLessThan(asEdited.indexOf('start last'));
    });
  });
});
