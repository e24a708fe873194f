import { ActionError, type ActionPayload, type ActionResult } from '../contract/index.js';
import { EVIDENCE } from '../evidence/index.js';
import { IMAGE_PREDICATES, imageDescriptor, signImage, vulnPredicate } from '../images/index.js';
import { type ImageReference, parseReference, RegistryError } from '../registry/index.js';
import type { RunDeps } from '../run/index.js';
import { provenanceStatement, SLSA_PROVENANCE_V1 } from '../signing/index.js';
import { succeededAncestors } from '../workspace/index.js';
import { dependencyEvidence } from './gate-action.js';
import { runPlan } from './run-plan.js';
import { runProvenanceFacts } from './run-provenance.js';

const TYPES = ['slsaprovenance1', 'cyclonedx', 'vuln'] as const;
type AttestationType = (typeof TYPES)[number];

/**
 * `cosign-sign` / `cosign-attest` (and `sign` / `attest`) with `with.image`: the image is signed,
 * or attested (`with.type`: SLSA provenance of this run by default; `cyclonedx` or `vuln` attach
 * the SBOMs or scanner reports the nodes it depends on kept), with the run's signer, as
 * `mc sign-image` / `mc attest-image` do, and the bundle is attached to the image by digest.
 */
export async function signImageAction(
  kind: 'signature' | 'provenance',
  deps: RunDeps,
  payload: ActionPayload,
  context: { attempt: number; prefix: string },
): Promise<ActionResult> {
  const ref = reference(payload.with?.image);
  const type = attestationType(payload.with?.type);
  const client = deps.registry(ref.registry);
  const signing = { signer: deps.signer() };
  const predicates = await predicatesFor(kind, type, deps, payload, context);
  const attached: { predicateType: string; referrer: string }[] = [];
  let digest = '';
  try {
    const subject = await imageDescriptor(client, ref);
    digest = subject.digest;
    const pinned = { ...ref, digest };
    for (const [predicateType, predicate] of predicates) {
      const signed = await signImage(client, pinned, signing, predicateType, predicate);
      attached.push({ predicateType, referrer: signed.referrer.digest });
    }
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    const code = error.code === 'BAD_REFERENCE' ? 'INVALID_INPUT' : 'STEP_FAILED';
    throw new ActionError(code, `${payload.with?.image}: ${error.message}`, { cause: error });
  }
  const key = `${context.prefix}${EVIDENCE.nodeResult(payload.node, context.attempt)}`;
  const image = `${ref.registry}/${ref.repository}@${digest}`;
  await deps.evidence.putJsonOnce(key, { action: payload.action, image, attached });
  return {
    evidence: [key],
    summary: `${kind === 'signature' ? 'signed' : 'attested'} ${image}: ${attached.map((a) => a.predicateType).join(', ')}`,
  };
}

function reference(value: unknown): ImageReference {
  if (typeof value !== 'string' || !value)
    throw new ActionError(
      'INVALID_INPUT',
      'with.image must be an image reference (registry/repository:tag or @sha256:…)',
    );
  try {
    return parseReference(value);
  } catch (error) {
    throw new ActionError('INVALID_INPUT', `with.image: ${(error as Error).message}`, { cause: error });
  }
}

function attestationType(value: unknown): AttestationType {
  if (value === undefined) return 'slsaprovenance1';
  if (typeof value === 'string' && (TYPES as readonly string[]).includes(value))
    return value as AttestationType;
  throw new ActionError(
    'INVALID_INPUT',
    `with.type must be one of ${TYPES.join(', ')}; got ${JSON.stringify(value)}`,
  );
}

// What to attach: a signature; this run's provenance; or every SBOM / scan report kept before it.
async function predicatesFor(
  kind: 'signature' | 'provenance',
  type: AttestationType,
  deps: RunDeps,
  payload: ActionPayload,
  context: { prefix: string },
): Promise<[string, unknown][]> {
  if (kind === 'signature') return [[IMAGE_PREDICATES.signature, {}]];
  const plan = await runPlan(deps, context.prefix);
  if (type === 'slsaprovenance1') {
    const facts = await runProvenanceFacts(deps, plan, payload.runId, context.prefix);
    const statement = provenanceStatement([], facts) as { predicate: unknown };
    return [[SLSA_PROVENANCE_V1, statement.predicate]];
  }
  const succeeded = await succeededAncestors(deps, plan, payload.runId, payload.node);
  const files = await dependencyEvidence(deps, succeeded, context.prefix);
  const kept = type === 'cyclonedx' ? files.sboms : files.findings;
  if (!kept.length)
    throw new ActionError(
      'INVALID_INPUT',
      `nothing to attest: no node this step depends on kept ${type === 'cyclonedx' ? 'an SBOM (sbom step)' : 'a scan report (scan step)'}`,
    );
  const predicateType = type === 'cyclonedx' ? IMAGE_PREDICATES.cyclonedx : IMAGE_PREDICATES.vuln;
  return kept.map((file): [string, unknown] => {
    const body = JSON.parse(file.text) as unknown;
    return [predicateType, type === 'vuln' ? vulnPredicate(body) : body];
  });
}
