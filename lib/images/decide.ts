import type { KeyObject } from 'node:crypto';
import {
  type CheckResult,
  checkGateSboms,
  decideGate,
  type GateFile,
  type GateReport,
  type Policy,
  type Waiver,
} from '../gate/index.js';
import { defaultProfile, type EnvName } from '../plan/index.js';
import { environmentTrust, refusedBuilder, type TrustPolicy, verifyTrusted } from '../trust/index.js';
import { provenanceFacts, VerifyError } from '../verify/index.js';
import type { CollectedImage, ImageAttachment } from './collect.js';
import { IMAGE_PREDICATES, vulnResult } from './predicates.js';

export interface ImageReason {
  /** A policy rule id (MC-SIG-001, …) or MC-IMAGE-* for what the image check itself found. */
  readonly code: string;
  readonly message: string;
}

export interface ImageDecision {
  readonly image: string;
  readonly digest: string;
  readonly env: string;
  readonly verdict: 'verified' | 'rejected';
  readonly signature: CheckResult & { readonly signer?: string };
  readonly provenance: CheckResult & { readonly builder?: string };
  /** With the referrers (artifact manifest digests) of the SBOM attestations that counted. */
  readonly sbom: CheckResult & { readonly referrers?: readonly string[] };
  readonly reasons: readonly ImageReason[];
  readonly gate: GateReport;
  /** The gate report as Markdown, for people. */
  readonly markdown: string;
}

export interface ImageDecisionOptions {
  readonly env: EnvName;
  /** How the image is named in reasons and the report (default: its repository). */
  readonly name?: string;
  readonly trust: TrustPolicy;
  readonly policy: Policy;
  readonly waivers: readonly Waiver[];
  readonly enforce: boolean;
  readonly now: Date;
  readonly kmsPublicKey?: (arn: string) => Promise<KeyObject>;
}

/**
 * Judges an image on what is attached to it: a signature by a signer the trust policy trusts
 * here, SLSA provenance for this digest from a trusted builder, and an SBOM (with scanner
 * findings) that passes the supply-chain policy. The policy decides, as for a pipeline's gate,
 * with the environment's requirements taken from the trust policy.
 */
export async function decideImage(
  image: CollectedImage,
  options: ImageDecisionOptions,
): Promise<ImageDecision> {
  const reasons: ImageReason[] = [];
  const byType = (type: string) => image.attachments.filter((a) => a.predicateType === type);
  const verify = (attachment: ImageAttachment) =>
    verifyTrusted(
      attachment.bundle,
      `bundle ${attachment.referrer.slice(0, 19)}…`,
      { sha256: image.digest.replace(/^sha256:/, '') },
      options.trust,
      options.env,
      options.kmsPublicKey ? { kmsPublicKey: options.kmsPublicKey } : {},
    );

  const signature = await firstVerified(byType(IMAGE_PREDICATES.signature), 'signature', async (a) => {
    const { signer } = await verify(a);
    return { detail: `signed by ${signer.name} (${signer.kind})`, signer: signer.name };
  });
  const provenance = await firstVerified(
    byType(IMAGE_PREDICATES.slsaprovenance1),
    'provenance',
    async (a) => {
      const { verified, signer } = await verify(a);
      const facts = provenanceFacts(JSON.parse(verified.payload?.body.toString('utf8') ?? '{}'));
      const refused = refusedBuilder(options.trust, facts);
      if (refused) throw new VerifyError('NOT_VERIFIED', refused);
      return {
        detail: `from ${facts.builder ?? '(no builder)'}, signed by ${signer.name}`,
        builder: facts.builder ?? '',
      };
    },
  );

  // SBOMs and scanner reports count only when a trusted signer attested them.
  const sboms: GateFile[] = [];
  const findings: GateFile[] = [];
  const sbomReferrers: string[] = [];
  for (const [type, into] of [
    [IMAGE_PREDICATES.cyclonedx, sboms],
    [IMAGE_PREDICATES.vuln, findings],
  ] as const)
    for (const attachment of byType(type)) {
      try {
        const { verified } = await verify(attachment);
        const { predicate } = JSON.parse(verified.payload?.body.toString('utf8') ?? '{}') as {
          predicate?: unknown;
        };
        const body = type === IMAGE_PREDICATES.vuln ? vulnResult(predicate) : predicate;
        into.push({
          file: `${type === IMAGE_PREDICATES.vuln ? 'scan' : 'sbom'} ${attachment.referrer.slice(0, 19)}…`,
          text: JSON.stringify(body ?? null),
        });
        if (type === IMAGE_PREDICATES.cyclonedx) sbomReferrers.push(attachment.referrer);
      } catch (error) {
        reasons.push({ code: 'MC-IMAGE-UNTRUSTED-ATTESTATION', message: (error as Error).message });
      }
    }
  let sbom: CheckResult & { referrers?: string[] } = sboms.length
    ? {
        status: 'verified',
        detail: `${sboms.length} SBOM attestation${sboms.length === 1 ? '' : 's'}`,
        referrers: sbomReferrers,
      }
    : { status: 'missing', detail: 'no SBOM attestation by a trusted signer' };
  try {
    await checkGateSboms(sboms);
  } catch (error) {
    sbom = { status: 'invalid', detail: (error as Error).message };
    sboms.length = 0;
  }

  const require = environmentTrust(options.trust, options.env).require;
  const gate = decideGate(
    { sboms, findings },
    {
      env: options.env,
      profile: {
        ...defaultProfile(options.env),
        require_signature: require.includes('signature'),
        require_provenance: require.includes('provenance'),
        require_sbom: require.includes('sbom'),
      },
      policy: options.policy,
      waivers: options.waivers,
      enforce: options.enforce,
      subject: { name: options.name ?? image.repository, digest: image.digest },
      signatures: signature,
      provenance,
      now: options.now,
    },
  );
  for (const v of gate.report.violations) reasons.push({ code: v.rule, message: v.message });
  if (sbom.status === 'invalid') reasons.push({ code: 'MC-IMAGE-SBOM-INVALID', message: sbom.detail });
  for (const tag of image.legacy)
    reasons.push({
      code: 'MC-IMAGE-LEGACY-COSIGN',
      message: `${tag} holds a cosign legacy signature or attestation, which mc does not verify (sign with mc sign-image or cosign --new-bundle-format)`,
    });
  // What the trust policy requires here is required, even where the supply-chain policy is advisory.
  const checks = { signature, provenance, sbom } as const;
  const unmet = require.filter((r) => checks[r].status !== 'verified');
  // A blocking gate's violations say it already; an advisory one's would read as a pass.
  if (gate.passes)
    for (const r of unmet)
      reasons.push({
        code: 'MC-IMAGE-REQUIRED',
        message: `${options.env} requires a verified ${r} (trust policy ${options.trust.file}): ${checks[r].detail}`,
      });
  const blocking = !gate.passes || sbom.status === 'invalid' || unmet.length > 0;
  return {
    image: options.name ?? image.repository,
    digest: image.digest,
    env: options.env,
    verdict: blocking ? 'rejected' : 'verified',
    signature,
    provenance,
    sbom,
    reasons,
    gate: gate.report,
    markdown: gate.markdown,
  };
}

/** The first attachment of a kind that verifies; else `missing`, or `invalid` with every reason. */
async function firstVerified<T extends object>(
  attachments: readonly ImageAttachment[],
  kind: string,
  check: (a: ImageAttachment) => Promise<{ detail: string } & T>,
): Promise<CheckResult & Partial<T>> {
  if (!attachments.length)
    return { status: 'missing', detail: `no ${kind} is attached` } as CheckResult & Partial<T>;
  const failures: string[] = [];
  for (const attachment of attachments)
    try {
      return { status: 'verified', ...(await check(attachment)) };
    } catch (error) {
      failures.push((error as Error).message);
    }
  return { status: 'invalid', detail: failures.join('; ') } as CheckResult & Partial<T>;
}
