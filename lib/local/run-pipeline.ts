import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { StateMachineDefinition } from '../../statemachines/asl/types.js';
import { compilePipeline } from '../../statemachines/pipeline/compile.js';
import { evidenceLocation, type RunFinishResult, type RunInput } from '../contract/index.js';
import { McError } from '../errors/index.js';
import { EVIDENCE, writeRunOpening } from '../evidence/index.js';
import type { BuildPipeline } from '../pipeline/index.js';
import type { Plan } from '../plan/index.js';
import { finishRun } from '../run/index.js';
import type { NodeRecord, RunRecord } from '../state/index.js';
import { snapshotSource } from '../workspace/index.js';
import { readBegunAttempts } from './attempt-journal.js';
import { LOCAL_BUCKET, type LocalBackend, localRunDeps } from './backend.js';
import { runLocally } from './engine.js';
import { githubContext } from './github-context.js';
import type { RunObserver } from './observer.js';
import { isAlive } from './process-alive.js';
import { ProcessRunner } from './process-runner.js';
import { commandEnvironment } from './tools-path.js';

export class LocalRunError extends McError<'RESUME_MISMATCH' | 'RUN_NOT_FOUND' | 'RUN_ACTIVE'> {}

const OWNER_FILE = 'owner.pid';

function readFileOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

export interface LocalRunRequest {
  readonly backend: LocalBackend;
  /** `.mc/` of the project. */
  readonly home: string;
  readonly file: string;
  readonly text: string;
  readonly pipeline: BuildPipeline;
  readonly plan: Plan;
  readonly observer: RunObserver;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly dryRun?: boolean;
  /** Re-run the failed, skipped and cancelled nodes of this run, reusing the successful ones. */
  readonly resume?: string;
  readonly retryDelayMs?: number;
  readonly signal?: AbortSignal;
  /** Called once the run id is known (before anything runs). */
  readonly onStart?: (runId: string) => void;
}

export interface LocalRunResult extends RunFinishResult {
  readonly runId: string;
  readonly run: RunRecord;
  readonly nodes: readonly NodeRecord[];
}

/** `mc run`: compile, record the run's evidence, snapshot the source, and run the machine locally. */
export async function runPipelineLocally(request: LocalRunRequest): Promise<LocalRunResult> {
  const { backend, plan } = request;
  const deps = localRunDeps(backend, request.home, request.env);
  const workspaceRoot = resolve(dirname(request.file), request.pipeline.spec.workspace ?? '.');
  let input: RunInput;
  let definition: StateMachineDefinition;
  let runPlan = plan;
  if (request.resume) {
    ({ input, definition, plan: runPlan } = await prepareResume(request, request.resume));
  } else {
    const runId = newRunId();
    definition = compilePipeline(plan);
    input = {
      runId,
      pipeline: plan.pipeline,
      env: plan.env,
      github: githubContext(workspaceRoot, request.env),
      evidence: evidenceLocation(LOCAL_BUCKET, plan.pipeline, runId),
    };
    await writeRunOpening(backend.evidence, input.evidence.prefix, { text: request.text, plan, definition });
  }
  request.onStart?.(input.runId);
  const workRoot = join(request.home, 'work', input.runId);
  const source = join(workRoot, `source-${Date.now()}`);
  mkdirSync(workRoot, { recursive: true });
  // Who runs it: a resume may take over a run whose process died (kill -9, a crash).
  const owner = join(workRoot, OWNER_FILE);
  writeFileSync(owner, String(process.pid));
  snapshotSource(workspaceRoot, source, [resolve(request.home)]);
  const runner = new ProcessRunner({
    deps,
    plan: runPlan,
    source,
    workRoot,
    observer: request.observer,
    dryRun: request.dryRun,
    baseEnv: commandEnvironment(request.home, request.env),
  });
  const result = await runLocally({
    definition,
    input,
    deps,
    runner,
    observer: request.observer,
    retryDelayMs: request.retryDelayMs,
    signal: request.signal,
    dryRun: request.dryRun,
  }).finally(() => {
    rmSync(source, { recursive: true, force: true });
    rmSync(owner, { force: true });
  });
  const run = await backend.state.requireRun(input.runId);
  const nodes = await backend.state.getNodes(input.runId);
  const order = new Map(runPlan.order.map((id, i) => [id, i]));
  nodes.sort((a, b) => (order.get(a.node) ?? 0) - (order.get(b.node) ?? 0));
  return { ...result, runId: input.runId, run, nodes };
}

// A resume runs the definition the run was started with (as a Step Functions redrive does).
async function prepareResume(
  request: LocalRunRequest,
  runId: string,
): Promise<{ input: RunInput; definition: StateMachineDefinition; plan: Plan }> {
  const { backend } = request;
  const run = await backend.state.getRun(runId);
  if (!run) throw new LocalRunError('RUN_NOT_FOUND', `no run ${runId} is recorded in this project`);
  if (run.status === 'RUNNING') {
    const pid = Number(readFileOr(join(request.home, 'work', runId, OWNER_FILE), '0'));
    if (pid && isAlive(pid))
      throw new LocalRunError('RUN_ACTIVE', `run ${runId} is still running (process ${pid}); stop it first`);
    // Its process is gone: the attempts it began are recorded (its journal may hold counts that
    // DynamoDB had not stored yet), the run is ended as ABORTED, then resumed like any ended run.
    await backend.state.recordBegunAttempts(runId, readBegunAttempts(join(request.home, 'work', runId)));
    await finishRun(localRunDeps(backend, request.home, request.env), { runId, aborted: true });
  }
  if (run.pipeline !== request.plan.pipeline) {
    throw new LocalRunError(
      'RESUME_MISMATCH',
      `run ${runId} is of pipeline ${run.pipeline}, not ${request.plan.pipeline}`,
    );
  }
  const prefix = run.evidence.prefix;
  const definition = await backend.evidence.getJson<StateMachineDefinition>(
    `${prefix}${EVIDENCE.stateMachine}`,
  );
  const plan = await backend.evidence.getJson<Plan>(`${prefix}${EVIDENCE.plan}`);
  if (!definition || !plan)
    throw new LocalRunError('RUN_NOT_FOUND', `run ${runId} has no recorded state machine to resume`);
  await backend.state.reopenRun(runId);
  await backend.state.reopenNodes(runId);
  const input: RunInput = {
    runId,
    pipeline: run.pipeline,
    env: run.env as RunInput['env'],
    github: run.github,
    evidence: run.evidence,
  };
  return { input, definition, plan };
}

/** Sortable and unique: UTC time to the second plus random hex. */
export function newRunId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
