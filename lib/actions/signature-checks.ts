import { createHash, type KeyObject } from 'node:crypto';
import { EVIDENCE, SIGNED_SUFFIX } from '../evidence/index.js';
import type { CheckResult } from '../gate/index.js';
import type { Plan } from '../plan/index.js';
import type { RunDeps } from '../run/index.js';
import { IN_TOTO_PAYLOAD_TYPE, keyHint, SLSA_PROVENANCE_V1, STATEMENT_TYPE } from '../signing/index.js';
import { refusedBuilder, refusedSigner, type TrustPolicy, verifyTrusted } from '../trust/index.js';
import { provenanceFacts, type VerifiedBundle, VerifyError, verifyBundle } from '../verify/index.js';
import { dependencyArtifacts, type SucceededAncestor } from '../workspace/index.js';

/**
 * What the gate knows about signatures and provenance: every artifact file the nodes before it
 * declared must have a bundle from a sign (attest) node before it that verifies against the file's
 * bytes and a signer the trust policy trusts (its listed keys and identities, or, when it lists
 * none, the run's own key if its kind is accepted here). Anything less is `missing` or `invalid`.
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
  const policy = deps.trustPolicy();
  // A policy that lists keys or identities says whose signatures count; one that lists none
  // leaves it to the run's own key, of a kind the policy accepts here.
  const listed = policy.keys.length > 0 || policy.identities.length > 0;
  const check = async (kind: 'signature' | 'provenance'): Promise<CheckResult> => {
    const unsigned = [...files.keys()].filter((path) => !bundles[kind].has(path));
    if (unsigned.length) return { status: 'missing', detail: `no ${kind} for ${unsigned.join(', ')}` };
    const signer = deps.signer();
    const refused = listed ? undefined : refusedSigner(policy, plan.env, signer.kind);
    if (refused) return { status: 'invalid', detail: refused };
    publicKey ??= await signer.publicKey();
    const runKey = publicKey;
    const signers = new Set<string>();
    for (const [path, key] of bundles[kind]) {
      try {
        const text = (await deps.evidence.getText(key)) ?? '';
        const display = key.slice(prefix.length);
        const artifact = { bytes: files.get(path) as Buffer };
        let verified: VerifiedBundle;
        if (listed) {
          const trusted = await verifyTrusted(text, display, artifact, policy, plan.env, {
            // A listed KMS key without its public key written down is known here only when it is
            // the run's own (the same ARN); any other is skipped, saying so.
            kmsPublicKey: async (arn) => (signer.kind === 'kms' && signer.keyId === arn ? runKey : undefined),
          });
          verified = trusted.verified;
          signers.add(trusted.signer.name);
        } else verified = verifyBundle(text, display, artifact, { key: runKey });
        // A bundle of the other kind, copied into place, proves nothing about this one.
        if (kind === 'signature' && verified.kind !== 'message-signature')
          throw new VerifyError('NOT_VERIFIED', 'an attestation where a signature belongs');
        if (kind === 'provenance') checkProvenance(verified, listed ? policy : undefined);
      } catch (error) {
        return { status: 'invalid', detail: `${path}: ${(error as Error).message}` };
      }
    }
    const digests = [...files.values()].map((b) => createHash('sha256').update(b).digest('hex').slice(0, 12));
    return {
      status: 'verified',
      detail: `${files.size} artifact file${files.size === 1 ? '' : 's'} (${digests.join(', ')}…) by ${
        listed
          ? `${[...signers].join(', ')} (trust policy ${policy.name})`
          : `key ${keyHint(runKey).slice(0, 16)}`
      }`,
    };
  };
  return { signatures: await check('signature'), provenance: await check('provenance') };
}

// Provenance is a DSSE envelope holding an in-toto Statement v1 with a SLSA Provenance v1
// predicate, from a builder the trust policy trusts when it lists builders.
function checkProvenance(verified: VerifiedBundle, policy: TrustPolicy | undefined): void {
  if (verified.kind !== 'dsse' || !verified.payload)
    notVerified('a signature where provenance (DSSE) belongs');
  if (verified.payload.type !== IN_TOTO_PAYLOAD_TYPE)
    notVerified(`the DSSE payload type is ${verified.payload.type}, not ${IN_TOTO_PAYLOAD_TYPE}`);
  const statement = JSON.parse(verified.payload.body.toString('utf8')) as {
    _type?: string;
    predicateType?: string;
  };
  if (statement._type !== STATEMENT_TYPE || statement.predicateType !== SLSA_PROVENANCE_V1)
    notVerified(
      `not SLSA provenance v1 in an in-toto Statement v1 (${statement._type}, ${statement.predicateType})`,
    );
  const refused = policy ? refusedBuilder(policy, provenanceFacts(statement)) : undefined;
  if (refused) notVerified(refused);
}

function notVerified(why: string): never {
  throw new VerifyError('NOT_VERIFIED', why);
}
