import { createHash, type KeyObject } from 'node:crypto';
import { EVIDENCE, SIGNED_SUFFIX } from '../evidence/index.js';
import type { CheckResult } from '../gate/index.js';
import type { Plan } from '../plan/index.js';
import type { RunDeps } from '../run/index.js';
import { IN_TOTO_PAYLOAD_TYPE, keyHint, SLSA_PROVENANCE_V1, STATEMENT_TYPE } from '../signing/index.js';
import { refusedSigner } from '../trust/index.js';
import { type VerifiedBundle, verifyBundle } from '../verify/index.js';
import { dependencyArtifacts, type SucceededAncestor } from '../workspace/index.js';

/**
 * What the gate knows about signatures and provenance: every artifact file the nodes before it
 * declared must have a bundle from a sign (attest) node before it that verifies against the run's
 * signing key and the file's bytes. Anything less is `missing` or `invalid`, never `verified`.
 */
export async function signatureChecks(
  deps: RunDeps,
  plan: Plan,
  node: string,
  succeeded: readonly SucceededAncestor[],
  prefix: string,
): Promise<{ signatures: CheckResult; provenance: CheckResult }> {
  const { files } = await dependencyArtifacts(deps, plan, node, succeeded);
  if (!files.size) {
    const none: CheckResult = {
      status: 'missing',
      detail: 'no artifact is declared (artifacts:) by the nodes before the gate',
    };
    return { signatures: none, provenance: none };
  }
  // One listing per ancestor and kind (not a lookup per file): a later node's bundle wins.
  const bundles = { signature: new Map<string, string>(), provenance: new Map<string, string>() };
  for (const { id, attempt } of succeeded)
    for (const kind of ['signature', 'provenance'] as const) {
      const base = `${prefix}${EVIDENCE.nodeSignedPrefix(id, attempt, kind)}`;
      for (const key of await deps.evidence.list(base)) {
        const path = key.slice(base.length, key.length - SIGNED_SUFFIX[kind].length);
        if (key.endsWith(SIGNED_SUFFIX[kind]) && files.has(path)) bundles[kind].set(path, key);
      }
    }
  // The key is asked for only when there is something to verify (locally, asking makes one).
  let publicKey: KeyObject | undefined;
  const check = async (kind: 'signature' | 'provenance'): Promise<CheckResult> => {
    const unsigned = [...files.keys()].filter((path) => !bundles[kind].has(path));
    if (unsigned.length) return { status: 'missing', detail: `no ${kind} for ${unsigned.join(', ')}` };
    const signer = deps.signer();
    // The run verifies its own signatures; the trust policy says whether its kind of signer counts here.
    const refused = refusedSigner(deps.trustPolicy(), plan.env, signer.kind);
    if (refused) return { status: 'invalid', detail: refused };
    publicKey ??= await signer.publicKey();
    for (const [path, key] of bundles[kind]) {
      try {
        const verified = verifyBundle(
          (await deps.evidence.getText(key)) ?? '',
          key.slice(prefix.length),
          { bytes: files.get(path) as Buffer },
          { key: publicKey },
        );
        // A bundle of the other kind, copied into place, proves nothing about this one.
        if (kind === 'signature' && verified.kind !== 'message-signature')
          throw new Error('an attestation where a signature belongs');
        if (kind === 'provenance') checkProvenance(verified);
      } catch (error) {
        return { status: 'invalid', detail: `${path}: ${(error as Error).message}` };
      }
    }
    const digests = [...files.values()].map((b) => createHash('sha256').update(b).digest('hex').slice(0, 12));
    return {
      status: 'verified',
      detail: `${files.size} artifact file${files.size === 1 ? '' : 's'} (${digests.join(', ')}…) by key ${keyHint(publicKey).slice(0, 16)}`,
    };
  };
  return { signatures: await check('signature'), provenance: await check('provenance') };
}

// Provenance is a DSSE envelope holding an in-toto Statement v1 with a SLSA Provenance v1 predicate.
function checkProvenance(verified: VerifiedBundle): void {
  if (verified.kind !== 'dsse' || !verified.payload)
    throw new Error('a signature where provenance (DSSE) belongs');
  if (verified.payload.type !== IN_TOTO_PAYLOAD_TYPE)
    throw new Error(`the DSSE payload type is ${verified.payload.type}, not ${IN_TOTO_PAYLOAD_TYPE}`);
  const statement = JSON.parse(verified.payload.body.toString('utf8')) as {
    _type?: string;
    predicateType?: string;
  };
  if (statement._type !== STATEMENT_TYPE || statement.predicateType !== SLSA_PROVENANCE_V1)
    throw new Error(
      `not SLSA provenance v1 in an in-toto Statement v1 (${statement._type}, ${statement.predicateType})`,
    );
}
