import { EVIDENCE } from '../evidence/index.js';
import type { Plan } from '../plan/index.js';
import type { RunDeps } from '../run/index.js';
import type { ProvenanceFacts } from '../signing/index.js';

/**
 * What a run knows about how its artifacts were built, for SLSA provenance: the builder
 * (MC_BUILDER_ID), the pipeline file as the run recorded it (the digest `mc attest --pipeline`
 * gives), the source, the environment and the run itself.
 */
export async function runProvenanceFacts(
  deps: RunDeps,
  plan: Plan,
  runId: string,
  prefix: string,
): Promise<ProvenanceFacts> {
  const run = await deps.state.requireRun(runId);
  const pipelineText = await deps.evidence.getText(`${prefix}${EVIDENCE.pipeline}`);
  return {
    ...(process.env.MC_BUILDER_ID ? { builderId: process.env.MC_BUILDER_ID } : {}),
    ...(pipelineText !== undefined ? { pipeline: { name: plan.pipeline, text: pipelineText } } : {}),
    source: {
      ...(run.github.repository ? { repository: run.github.repository } : {}),
      ...(run.github.sha ? { commit: run.github.sha } : {}),
      ...(run.github.ref ? { ref: run.github.ref } : {}),
    },
    env: plan.env,
    run: { id: run.runId, startedOn: run.startedAt, finishedOn: deps.now().toISOString() },
  };
}
