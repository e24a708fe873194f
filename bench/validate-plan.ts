import { stringify } from 'yaml';
import { analyzePipeline } from '../lib/plan/index.js';
import { random } from '../test/support/random-dag.js';
import { measure, table } from './support.js';

// A pipeline of `stages` stages, each depending on up to three earlier ones, with for_each and
// matrix steps and expressions, so parsing, schema, expressions and planning all do real work.
export function syntheticPipeline(stages: number, seed = 1): string {
  const next = random(seed);
  return stringify({
    apiVersion: 'orchestration.maestro.dev/v1',
    kind: 'BuildPipeline',
    metadata: { name: `bench-${stages}`, version: '27.1.0' },
    spec: {
      registry: 'registry.example.com',
      matrix: { node: [22, 24] },
      services: [{ name: 'api' }, { name: 'web' }],
      stages: Array.from({ length: stages }, (_, i) => ({
        name: `stage-${i}`,
        ...(i > 0
          ? {
              depends_on: [
                ...new Set(
                  Array.from({ length: 1 + Math.floor(next() * 3) }, () => `stage-${Math.floor(next() * i)}`),
                ),
              ],
            }
          : {}),
        steps: [
          { name: 'build', command: 'make build REG=${{ registry }}' },
          { name: 'test', command: 'npm test --node ${{ matrix.node }}' },
          {
            name: 'package',
            action: 'docker-build',
            for_each: '${{ services }}',
            with: { context: '${{ item.name }}' },
          },
        ],
      })),
    },
  });
}

export function benchValidatePlan(): string {
  const rows = [10, 100, 1000].map((stages) => {
    const text = syntheticPipeline(stages);
    const result = analyzePipeline('bench.yaml', text);
    if (!result.plan) throw new Error(`benchmark pipeline is invalid: ${result.diagnostics[0]?.message}`);
    const { median, min, max } = measure(() => analyzePipeline('bench.yaml', text), stages >= 1000 ? 7 : 15);
    return {
      stages,
      nodes: result.plan.nodes.length,
      'file KiB': (text.length / 1024).toFixed(0),
      'validate+plan ms (median)': median.toFixed(1),
      'min ms': min.toFixed(1),
      'max ms': max.toFixed(1),
    };
  });
  return `validate + plan (mc validate's whole work, in-process)\n${table(rows)}`;
}
