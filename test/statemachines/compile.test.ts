import { readFileSync, writeFileSync } from 'node:fs';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { analyzePipeline } from '../../lib/plan/index.js';
import {
  compilePipeline,
  definitionSizeWarning,
  expectedEvents,
  MAX_BRANCHES,
  MAX_STATE_NAME,
  modelHistory,
  type StateMachineDefinition,
} from '../../statemachines/index.js';
import { EXAMPLES, pipelineYaml, readRepoFile, repoPath } from '../support/pipelines.js';
import { randomDagPlan } from '../support/random-dag.js';

function compileExample(name: string, env: 'dev' | 'prod' = 'dev'): StateMachineDefinition {
  const file = `examples/${name}/build.yaml`;
  const { plan } = analyzePipeline(file, readRepoFile(file), { env });
  if (!plan) throw new Error(`${file} does not plan`);
  return compilePipeline(plan);
}

function allStates(definition: StateMachineDefinition): [string, unknown][] {
  return Object.entries(definition.States).flatMap(([name, state]) => [
    [name, state] as [string, unknown],
    ...(state.Type === 'Parallel' ? state.Branches.flatMap(allStates) : []),
  ]);
}

describe('compilePipeline', () => {
  describe.each(EXAMPLES)('for the %s example', (name) => {
    const definition = compileExample(name);

    it('matches the golden definition (UPDATE_GOLDENS=1 rewrites it)', () => {
      const golden = repoPath(`test/fixtures/asl/${name}.asl.json`);
      const text = `${JSON.stringify(definition, null, 2)}\n`;
      if (process.env.UPDATE_GOLDENS) writeFileSync(golden, text);
      expect(text).toBe(readFileSync(golden, 'utf8'));
    });

    it('passes asl-validator with ARN and path checks on', () => {
      const result = aslValidator(definition, { checkArn: true, checkPaths: true });
      expect(result.errors).toEqual([]);
      expect(result.isValid).toBe(true);
    });

    it('names every state uniquely within 80 characters, after the node ids', () => {
      const names = allStates(definition).map(([n]) => n);
      expect(new Set(names).size).toBe(names.length);
      expect(Math.max(...names.map((n) => [...n].length))).toBeLessThanOrEqual(MAX_STATE_NAME);
      const { plan } = analyzePipeline('f', readRepoFile(`examples/${name}/build.yaml`));
      for (const node of plan?.nodes ?? []) expect(names).toContain(node.id);
    });
  });

  it('is deterministic: the same plan gives byte-identical JSON', () => {
    expect(JSON.stringify(compileExample('gateway'))).toBe(JSON.stringify(compileExample('gateway')));
  });

  it('shortens node ids too long for a state name with a stable hash', () => {
    const long = `x${'y'.repeat(70)}`;
    const { plan } = analyzePipeline(
      'f',
      pipelineYaml(
        `    - name: ${long.slice(0, 63)}\n      steps: [{name: ${'z'.repeat(40)}, command: "true"}]\n`,
      ),
    );
    if (!plan) throw new Error('plan expected');
    const names = allStates(compilePipeline(plan)).map(([n]) => n);
    expect(names.filter((n) => n.includes('~'))).toHaveLength(1);
    expect(Math.max(...names.map((n) => n.length))).toBeLessThanOrEqual(MAX_STATE_NAME);
  });

  it('carries only small references between states: no task output but a gate decision and the run status', () => {
    const states = allStates(compileExample('api')) as [
      string,
      { Type: string; ResultPath?: string | null },
    ][];
    const kept = states
      .filter(([, s]) => s.Type === 'Task' && s.ResultPath !== null)
      .map(([n, s]) => `${n} → ${s.ResultPath}`);
    expect(kept).toEqual([
      'verify/lint | wait → $.gate',
      'verify/test | wait → $.gate',
      'supply-chain/sbom | wait → $.gate',
      'supply-chain/scan | wait → $.gate',
      'package/pack | wait → $.gate',
      'release/sign | wait → $.gate',
      'release/attest | wait → $.gate',
      'gate/policy | wait → $.gate',
      'Finish run → $.run',
    ]);
  });

  describe('at 1,000 nodes (a random DAG)', () => {
    const plan = randomDagPlan({ nodes: 1000, retries: (i) => (i % 10 === 0 ? 1 : 0) });
    const definition = compilePipeline(plan);

    it('stays under the 1 MB definition limit of Step Functions', () => {
      expect(Buffer.byteLength(JSON.stringify(definition))).toBeLessThan(1024 * 1024);
    });

    it('stays under 25,000 history events with one retry in ten', () => {
      const model = modelHistory(definition);
      expect(model.retryableTasks).toBe(100);
      expect(expectedEvents(model, 0.1, plan.nodes.length)).toBeLessThan(25_000);
    });

    it('warns only when a definition would not deploy', () => {
      expect(definitionSizeWarning(definition)).toBeUndefined();
      const verbose = compilePipeline(
        randomDagPlan({ nodes: 1000, command: (i) => `echo ${'x'.repeat(400)} ${i}` }),
      );
      expect(definitionSizeWarning(verbose)).toMatch(
        /^the state machine definition is [\d,]+ bytes; AWS Step Functions accepts at most 1,048,576/,
      );
    });

    it('never gives a Parallel state more than 40 branches', () => {
      const widths = allStates(definition)
        .map(([, s]) => s as { Type: string; Branches?: unknown[] })
        .filter((s) => s.Type === 'Parallel')
        .map((s) => s.Branches?.length ?? 0);
      expect(Math.max(...widths)).toBeLessThanOrEqual(MAX_BRANCHES);
    });
  });
});
