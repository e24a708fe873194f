import { createHash } from 'node:crypto';
import { ActionError, type ActionPayload, type ActionResult } from '../contract/index.js';
import { EVIDENCE } from '../evidence/index.js';
import type { RunDeps } from '../run/index.js';
import { provenanceStatement, signMessage, signStatement } from '../signing/index.js';
import { dependencyArtifacts, succeededAncestors } from '../workspace/index.js';
import { runPlan } from './run-plan.js';
import { signatureChecks } from './signature-checks.js';

/**
 * `sign` / `cosign-sign` and `attest` / `cosign-attest` on file artifacts: every artifact the
 * nodes this one depends on declared (or those `with.artifacts` names) is signed with the run's
 * signer, or gets SLSA provenance signed as a DSSE bundle. Bundles are evidence of the attempt;
 * the gate verifies them.
 */
export function signingAction(kind: 'signature' | 'provenance') {
  return async (
    deps: RunDeps,
    payload: ActionPayload,
    context: { attempt: number; prefix: string },
  ): Promise<ActionResult> => {
    if (payload.with?.image !== undefined)
      throw new ActionError(
        'ACTION_UNAVAILABLE',
        `signing an image (with.image) arrives with image signing and verification (issue 6); this step signs file artifacts`,
      );
    const plan = await runPlan(deps, context.prefix);
    const only = payload.with?.artifacts;
    if (only !== undefined && (!Array.isArray(only) || only.some((a) => typeof a !== 'string')))
      throw new ActionError('INVALID_INPUT', 'with.artifacts must be a list of artifact paths');
    const succeeded = await succeededAncestors(deps, plan, payload.runId, payload.node);
    const { files, missing } = await dependencyArtifacts(
      deps,
      plan,
      payload.node,
      succeeded,
      only as string[] | undefined,
    );
    if (missing.length)
      throw new ActionError(
        'INVALID_INPUT',
        `declared artifacts not produced by the nodes this step depends on: ${missing.join(', ')}`,
      );
    if (!files.size)
      throw new ActionError(
        'INVALID_INPUT',
        'nothing to sign: no node this step depends on declares artifacts (artifacts: on a step), and with.artifacts names none',
      );
    const run = await deps.state.requireRun(payload.runId);
    const pipelineText =
      kind === 'provenance'
        ? await deps.evidence.getText(`${context.prefix}${EVIDENCE.pipeline}`)
        : undefined;
    const signer = deps.signer();
    const evidence: string[] = [];
    for (const [path, bytes] of files) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const bundle =
        kind === 'signature'
          ? await signMessage({ signer }, bytes)
          : await signStatement(
              { signer },
              provenanceStatement([{ name: path, sha256 }], {
                ...(process.env.MC_BUILDER_ID ? { builderId: process.env.MC_BUILDER_ID } : {}),
                // The pipeline file as the run recorded it: the same digest `mc attest --pipeline` gives.
                ...(pipelineText !== undefined
                  ? { pipeline: { name: plan.pipeline, text: pipelineText } }
                  : {}),
                source: {
                  ...(run.github.repository ? { repository: run.github.repository } : {}),
                  ...(run.github.sha ? { commit: run.github.sha } : {}),
                  ...(run.github.ref ? { ref: run.github.ref } : {}),
                },
                env: plan.env,
                run: { id: run.runId, startedOn: run.startedAt, finishedOn: deps.now().toISOString() },
              }),
            );
      const key = `${context.prefix}${EVIDENCE.nodeSigned(payload.node, context.attempt, kind, path)}`;
      await deps.evidence.putJsonOnce(key, bundle);
      evidence.push(key);
    }
    const what = kind === 'signature' ? 'signed' : 'attested (SLSA provenance v1)';
    return {
      evidence,
      summary: `${what} ${files.size} artifact file${files.size === 1 ? '' : 's'}: ${[...files.keys()].join(', ')}`,
    };
  };
}

/**
 * `verify`: the signatures and provenance of every artifact declared before it must verify
 * against the run's signing key; anything missing or invalid fails the node, saying what.
 */
export async function verifyAction(
  deps: RunDeps,
  payload: ActionPayload,
  context: { attempt: number; prefix: string },
): Promise<ActionResult> {
  const plan = await runPlan(deps, context.prefix);
  const succeeded = await succeededAncestors(deps, plan, payload.runId, payload.node);
  const checks = await signatureChecks(deps, plan, payload.node, succeeded, context.prefix);
  const failed = Object.entries(checks).filter(([, c]) => c.status !== 'verified');
  if (failed.length)
    throw new ActionError(
      'GATE_BLOCKED',
      `not verified: ${failed.map(([kind, c]) => `${kind} ${c.status} (${c.detail})`).join('; ')}`,
    );
  return {
    evidence: [],
    summary: `verified: signatures ${checks.signatures.detail}; provenance ${checks.provenance.detail}`,
  };
}
