import { createHash } from 'node:crypto';
import { ActionError, type ActionPayload, type ActionResult } from '../contract/index.js';
import { EVIDENCE } from '../evidence/index.js';
import type { RunDeps } from '../run/index.js';
import { provenanceStatement, signMessage, signStatement } from '../signing/index.js';
import { dependencyArtifacts, succeededAncestors } from '../workspace/index.js';
import { signImageAction } from './image-sign-action.js';
import { runPlan } from './run-plan.js';
import { runProvenanceFacts } from './run-provenance.js';
import { signatureChecks } from './signature-checks.js';

/**
 * `sign` / `cosign-sign` and `attest` / `cosign-attest` on file artifacts: every artifact the
 * nodes this one depends on declared (or those `with.artifacts` names) is signed with the run's
 * signer, or gets SLSA provenance signed as a DSSE bundle. Bundles are evidence of the attempt;
 * the gate verifies them. With `with.image`, the image is signed or attested instead.
 */
export function signingAction(kind: 'signature' | 'provenance') {
  return async (
    deps: RunDeps,
    payload: ActionPayload,
    context: { attempt: number; prefix: string },
  ): Promise<ActionResult> => {
    if (payload.with?.image !== undefined) return signImageAction(kind, deps, payload, context);
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
    const facts =
      kind === 'provenance' ? await runProvenanceFacts(deps, plan, payload.runId, context.prefix) : {};
    const signer = deps.signer();
    const evidence: string[] = [];
    for (const [path, bytes] of files) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const bundle =
        kind === 'signature'
          ? await signMessage({ signer }, bytes)
          : await signStatement({ signer }, provenanceStatement([{ name: path, sha256 }], facts));
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
