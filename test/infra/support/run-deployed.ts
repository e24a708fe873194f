import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { evidenceLocation, type RunFinishResult } from '../../../lib/contract/index.js';
import { EVIDENCE } from '../../../lib/evidence/index.js';
import {
  LOCAL_BUCKET,
  type LocalBackend,
  newRunId,
  ProcessRunner,
  runLocally,
} from '../../../lib/local/index.js';
import { commandEnvironment } from '../../../lib/local/tools-path.js';
import type { Plan } from '../../../lib/plan/index.js';
import type { RunDeps } from '../../../lib/run/index.js';
import type { LocalTaskTokens } from '../../../lib/tokens/index.js';
import { snapshotSource } from '../../../lib/workspace/index.js';
import type { StateMachineDefinition } from '../../../statemachines/index.js';

export interface DeployedRun {
  readonly backend: LocalBackend;
  readonly home: string;
  readonly deps: RunDeps & { readonly tokens: LocalTaskTokens };
  /** The pipeline file (its directory is the workspace). */
  readonly file: string;
  readonly plan: Plan;
  /** The definition taken from the synthesized template, mapped back to local names. */
  readonly definition: StateMachineDefinition;
  readonly dryRun?: boolean;
}

/** What `mc run` does with a definition, except the compile: this one comes from the stack. */
export async function runDeployed(run: DeployedRun): Promise<RunFinishResult & { runId: string }> {
  const { backend, home, deps, plan } = run;
  const runId = newRunId();
  const evidence = evidenceLocation(LOCAL_BUCKET, plan.pipeline, runId);
  await backend.evidence.putJsonOnce(`${evidence.prefix}${EVIDENCE.plan}`, plan);
  const workRoot = join(home, 'work', runId);
  const source = mkdtempSync(join(tmpdir(), 'mc-deployed-source-'));
  mkdirSync(workRoot, { recursive: true });
  snapshotSource(dirname(run.file), source, [home]);
  const runner = new ProcessRunner({
    deps,
    plan,
    source,
    workRoot,
    observer: () => {},
    dryRun: run.dryRun,
    baseEnv: commandEnvironment(home, process.env),
  });
  const input = {
    runId,
    pipeline: plan.pipeline,
    env: plan.env,
    github: {
      sha: 'abc123',
      ref: 'refs/heads/main',
      repository: 'maestro-dev/maestro-conductor',
      actor: 'ci',
      event_name: 'push',
    },
    evidence,
  };
  const result = await runLocally({
    definition: run.definition,
    input,
    deps,
    runner,
    observer: () => {},
    retryDelayMs: 0,
    dryRun: run.dryRun,
  });
  return { ...result, runId };
}
