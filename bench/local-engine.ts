import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzePipeline, criticalPath, type Plan } from '../lib/plan/index.js';
import { compilePipeline, expectedEvents, modelHistory } from '../statemachines/index.js';
import { type Project, runDefinition, withBackend } from '../test/support/local-run.js';
import { random, randomDagPipeline, randomDagPlan } from '../test/support/random-dag.js';
import { table } from './support.js';

// Random DAGs whose commands sleep 50-500 ms, run by the local engine: how close is the run to
// its critical path, and what does each node cost in orchestration?
/** Runs per DAG size: this machine is a shared VM, so one run says little on its own. */
const RUNS = 3;

export async function benchLocalEngine(): Promise<string> {
  const rows: Record<string, string | number>[] = [];
  for (const nodes of [50, 200]) {
    const next = random(nodes);
    const sleeps = Array.from({ length: nodes }, () => 0.05 + next() * 0.45);
    const dir = mkdtempSync(join(tmpdir(), 'mc-bench-'));
    const p: Project = { dir, file: join(dir, 'build.yaml'), trace: join(dir, 'trace') };
    const yaml = randomDagPipeline({ nodes, seed: nodes, command: (i) => `sleep ${sleeps[i].toFixed(3)}` });
    writeFileSync(p.file, yaml);
    const { plan } = analyzePipeline(p.file, yaml);
    if (!plan) throw new Error('benchmark pipeline must plan');
    const sleepOf = (id: string) => sleeps[Number(id.slice(1, id.indexOf('/')))];
    const depsOf = (id: string) => plan.nodes.find((n) => n.id === id)?.dependsOn ?? [];
    const path = criticalPath(plan.order, depsOf, sleepOf);
    const cp = path.reduce((sum, id) => sum + sleepOf(id), 0);
    const runs: Measured[] = [];
    for (let i = 0; i < RUNS; i++) {
      // The floor on this machine: the critical path's commands one after another, no orchestration.
      const bareStarted = performance.now();
      for (const id of path) await runBare(`sleep ${sleepOf(id).toFixed(3)}`);
      const bare = (performance.now() - bareStarted) / 1000;
      runs.push({ ...(await measureRun(p, plan, sleepOf)), bare });
    }
    runs.sort((a, b) => a.makespan - b.makespan);
    const median = runs[Math.floor(RUNS / 2)];
    const bares = runs.map((r) => r.bare).sort((a, b) => a - b);
    const range = (values: number[]) =>
      `${(Math.min(...values) / cp).toFixed(3)}–${(Math.max(...values) / cp).toFixed(3)}`;
    rows.push({
      nodes,
      'critical path s': cp.toFixed(2),
      'makespan s': median.makespan.toFixed(2),
      'makespan ÷ critical path': (median.makespan / cp).toFixed(3),
      [`range of ${RUNS}`]: range(runs.map((r) => r.makespan)),
      'bare chain ÷ critical path': (bares[Math.floor(RUNS / 2)] / cp).toFixed(3),
      'dispatch ms/node': median.dispatch.toFixed(1),
      'exec overhead ms/node': median.execution.toFixed(1),
    });
  }
  return `local engine on random DAGs (sleep 50-500 ms per node; target ratio ≤ 1.05; the median of ${RUNS} runs; "bare chain": the critical path's commands run back to back by bash -c, the machine's floor)\n${table(rows)}`;
}

interface Measured {
  readonly makespan: number;
  readonly dispatch: number;
  readonly execution: number;
  readonly bare: number;
}

// One run on a fresh backend, measured from the times recorded for each node's command.
async function measureRun(
  p: Project,
  plan: Plan,
  sleepOf: (id: string) => number,
): Promise<Omit<Measured, 'bare'>> {
  return withBackend(async (backend, home) => {
    const result = await runDefinition(backend, home, p, plan, compilePipeline(plan));
    if (result.status !== 'SUCCEEDED') throw new Error(`benchmark run ${result.status}`);
    const records = new Map((await backend.state.getNodes(result.runId)).map((n) => [n.node, n]));
    const at = (value?: string) => Date.parse(value ?? '');
    const start = Math.min(...[...records.values()].map((n) => at(n.startedAt)));
    const end = Math.max(...[...records.values()].map((n) => at(n.endedAt)));
    // From the end of a node's last dependency to the start of its command.
    const dispatch = mean(
      plan.nodes
        .filter((n) => n.dependsOn.length)
        .map(
          (n) =>
            at(records.get(n.id)?.startedAt) -
            Math.max(...n.dependsOn.map((d) => at(records.get(d)?.endedAt))),
        ),
    );
    // A command's own time beyond its sleep (starting bash, exiting).
    const execution = mean(
      plan.nodes.map(
        (n) => at(records.get(n.id)?.endedAt) - at(records.get(n.id)?.startedAt) - sleepOf(n.id) * 1000,
      ),
    );
    return { makespan: (end - start) / 1000, dispatch, execution };
  });
}

export function benchCompile(): string {
  const plan: Plan = randomDagPlan({ nodes: 1000, retries: (i) => (i % 10 === 0 ? 1 : 0) });
  const started = performance.now();
  const definition = compilePipeline(plan);
  const ms = performance.now() - started;
  const bytes = Buffer.byteLength(JSON.stringify(definition));
  const model = modelHistory(definition);
  const row = {
    nodes: plan.nodes.length,
    'compile ms': ms.toFixed(1),
    'definition KiB': (bytes / 1024).toFixed(0),
    'of 1 MB limit': `${((bytes / (1024 * 1024)) * 100).toFixed(0)}%`,
    'history events (10% retried)': expectedEvents(model, 0.1, plan.nodes.length),
    'of 25k limit': `${((expectedEvents(model, 0.1, plan.nodes.length) / 25_000) * 100).toFixed(0)}%`,
    'state transitions/node': (model.transitions / plan.nodes.length).toFixed(2),
  };
  return `compiling a 1,000-node random DAG to ASL (AWS cost: Standard workflows bill per state transition)\n${table([row])}`;
}

function runBare(command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    spawn('bash', ['-c', command], { stdio: 'ignore' })
      .on('close', () => resolve())
      .on('error', reject);
  });
}

function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}
