import { stringify } from 'yaml';
import { loadPipeline } from '../../lib/pipeline/index.js';
import { buildPlan, type Plan } from '../../lib/plan/index.js';

/** A small deterministic PRNG (mulberry32) so every run sees the same graphs. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomDagOptions {
  readonly nodes: number;
  readonly seed?: number;
  /** Each node depends on up to this many earlier nodes (default 3). */
  readonly maxDeps?: number;
  /** Command of node i (default `true`). */
  readonly command?: (i: number) => string;
  readonly failFast?: boolean;
  /** Retries of node i (default 0). */
  readonly retries?: (i: number) => number;
}

/** A pipeline of one-step stages whose dependencies form a random DAG, as YAML text. */
export function randomDagPipeline(options: RandomDagOptions): string {
  const next = random(options.seed ?? 1);
  const maxDeps = options.maxDeps ?? 3;
  const window = Math.max(4, Math.ceil(Math.sqrt(options.nodes)));
  return stringify({
    apiVersion: 'orchestration.maestro.dev/v1',
    kind: 'BuildPipeline',
    metadata: { name: 'random-dag', version: '27.1.0' },
    spec: {
      fail_fast: options.failFast ?? true,
      stages: Array.from({ length: options.nodes }, (_, i) => {
        // Dependencies come from a window of recent nodes, so graphs are deep as well as wide.
        const count = i === 0 ? 0 : Math.floor(next() * (maxDeps + 1));
        const deps = [
          ...new Set(
            Array.from({ length: count }, () => `n${Math.max(0, i - 1 - Math.floor(next() * window))}`),
          ),
        ];
        const retries = options.retries?.(i) ?? 0;
        return {
          name: `n${i}`,
          ...(deps.length ? { depends_on: deps } : {}),
          ...(retries ? { retries } : {}),
          steps: [{ name: 'work', command: options.command?.(i) ?? 'true' }],
        };
      }),
    },
  });
}

export function randomDagPlan(options: RandomDagOptions): Plan {
  const { pipeline, diagnostics } = loadPipeline('random-dag.yaml', randomDagPipeline(options));
  if (!pipeline) throw new Error(`random DAG pipeline is invalid: ${diagnostics[0]?.message}`);
  const { plan, issues } = buildPlan(pipeline);
  if (!plan) throw new Error(`random DAG does not plan: ${issues[0]?.message}`);
  return plan;
}
