import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type LocalBackend,
  type LocalRunResult,
  openLocalBackend,
  type RunEvent,
  runPipelineLocally,
} from '../../lib/local/index.js';
import { analyzePipeline } from '../../lib/plan/index.js';

/** A temp project with one pipeline file, run with the local engine against a real embedded backend. */
export interface Project {
  readonly dir: string;
  readonly file: string;
  /** A file outside the workspace that commands append `start <id>` / `end <id>` lines to. */
  readonly trace: string;
}

export function project(yaml: string): Project {
  const dir = mkdtempSync(join(tmpdir(), 'mc-project-'));
  const file = join(dir, 'build.yaml');
  writeFileSync(file, yaml);
  const trace = join(mkdtempSync(join(tmpdir(), 'mc-trace-')), 'trace.log');
  writeFileSync(trace, '');
  return { dir, file, trace };
}

/** A shell command that records its start and end in the trace and sleeps in between. */
export function traced(p: Project, id: string, seconds = 0, extra = ''): string {
  return `echo "start ${id}" >> ${p.trace}; sleep ${seconds}; ${extra}echo "end ${id}" >> ${p.trace}`;
}

export function traceLines(p: Project): string[] {
  return readFileSync(p.trace, 'utf8').split('\n').filter(Boolean);
}

export async function withBackend<T>(work: (backend: LocalBackend, home: string) => Promise<T>): Promise<T> {
  const home = mkdtempSync(join(tmpdir(), 'mc-home-'));
  mkdirSync(home, { recursive: true });
  const backend = await openLocalBackend(home);
  try {
    return await work(backend, home);
  } finally {
    await backend.close();
  }
}

export interface RunOptions {
  readonly env?: 'dev' | 'staging' | 'prod';
  readonly resume?: string;
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
  readonly processEnv?: Record<string, string>;
  readonly definition?: (asl: unknown) => unknown;
  readonly events?: RunEvent[];
}

export async function runProject(
  backend: LocalBackend,
  home: string,
  p: Project,
  options: RunOptions = {},
): Promise<LocalRunResult> {
  const text = readFileSync(p.file, 'utf8');
  const analysis = analyzePipeline(p.file, text, { env: options.env ?? 'dev' });
  if (!analysis.plan || !analysis.loaded.pipeline)
    throw new Error(analysis.diagnostics.map((d) => d.message).join('\n'));
  return runPipelineLocally({
    backend,
    home,
    file: p.file,
    text,
    pipeline: analysis.loaded.pipeline,
    plan: analysis.plan,
    observer: (e) => options.events?.push(e),
    env: { GITHUB_REF: 'refs/heads/main', GITHUB_SHA: 'abc123', ...options.processEnv },
    retryDelayMs: 0,
    ...(options.resume ? { resume: options.resume } : {}),
    ...(options.dryRun ? { dryRun: true } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

export function statuses(result: LocalRunResult): Record<string, string> {
  return Object.fromEntries(result.nodes.map((n) => [n.node, n.status]));
}

export const header = (name = 'demo', failFast = true) =>
  `apiVersion: orchestration.maestro.dev/v1\nkind: BuildPipeline\nmetadata: {name: ${name}, version: "27.1.0"}\nspec:\n  fail_fast: ${failFast}\n  stages:\n`;

/**
 * Runs a given definition (e.g. a compiled one edited by a test) with the local engine: what
 * `mc run` does, minus the compile, so a test can change the ASL alone.
 */
export async function runDefinition(
  backend: LocalBackend,
  home: string,
  p: Project,
  plan: import('../../lib/plan/index.js').Plan,
  definition: import('../../statemachines/index.js').StateMachineDefinition,
): Promise<import('../../lib/contract/index.js').RunFinishResult & { runId: string }> {
  const { evidenceLocation } = await import('../../lib/contract/index.js');
  const { EVIDENCE } = await import('../../lib/evidence/index.js');
  const { LOCAL_BUCKET, ProcessRunner, localRunDeps, newRunId, runLocally } = await import(
    '../../lib/local/index.js'
  );
  const { snapshotSource } = await import('../../lib/workspace/index.js');
  const runId = newRunId();
  const evidence = evidenceLocation(LOCAL_BUCKET, plan.pipeline, runId);
  await backend.evidence.putJsonOnce(`${evidence.prefix}${EVIDENCE.plan}`, plan);
  const deps = localRunDeps(backend, home);
  const source = join(home, 'work', runId, 'source');
  snapshotSource(p.dir, source, [home]);
  const runner = new ProcessRunner({
    deps,
    plan,
    source,
    workRoot: join(home, 'work', runId),
    observer: () => {},
  });
  const input = {
    runId,
    pipeline: plan.pipeline,
    env: plan.env,
    github: { sha: '', ref: '', repository: '', actor: '', event_name: 'test' },
    evidence,
  };
  const result = await runLocally({ definition, input, deps, runner, observer: () => {}, retryDelayMs: 0 });
  return { ...result, runId };
}
