import { type Command, Option } from 'commander';
import { decisionOptions } from '../admission/index.js';
import {
  type CollectedImage,
  collectImage,
  decideImage,
  IMAGE_PREDICATES,
  type ImageReason,
  locateRepository,
} from '../images/index.js';
import { ENVIRONMENTS, type EnvName } from '../plan/index.js';
import { RegistryError } from '../registry/index.js';
import { VerifyError, verifyBundle } from '../verify/index.js';
import { UsageError } from './errors.js';
import {
  addImagePolicyOptions,
  type ImagePolicyFlags,
  imageReference,
  localAdmissionDeps,
  registryClient,
} from './image-options.js';
import { type CliIO, EXIT, printJson } from './io.js';
import { withLocalBackend } from './local-backend.js';
import { jsonOption } from './options.js';
import { verificationKey } from './signer-options.js';
import { type IdentityFlags, identity, trustedRootJson } from './verify.js';

type Flags = ImagePolicyFlags &
  IdentityFlags & {
    readonly key?: string;
    readonly kms?: string;
    readonly trustedRoot?: string;
    readonly env?: EnvName;
    readonly json?: boolean;
  };

interface Outcome {
  readonly verified: boolean;
  readonly image: string;
  readonly digest: string;
  readonly reasons: readonly ImageReason[];
  readonly [more: string]: unknown;
}

export function registerImageVerify(program: Command, io: CliIO, exit: (code: number) => void): void {
  addImagePolicyOptions(
    program
      .command('verify-image')
      .description(
        "verify an image as the ECR push check does: its signatures (--key, --kms or a certificate identity), or everything an environment's trust policy requires (--trust-policy / --env)",
      )
      .argument('<image>', 'registry/repository:tag or registry/repository@sha256:<digest>'),
  )
    .option('--key <pem>', "the signer's public key (PEM): check signatures only, as cosign verify does")
    .option('--kms <key-arn>', "the signer's AWS KMS key: check signatures only")
    .option('--certificate-identity <identity>', "a keyless signature's exact subject (SAN)")
    .option('--certificate-identity-regexp <regexp>', 'a regular expression the subject must match')
    .option('--certificate-oidc-issuer <issuer>', 'the exact OIDC issuer')
    .option('--certificate-oidc-issuer-regexp <regexp>', 'a regular expression the issuer must match')
    .option('--trusted-root <file>', 'a Sigstore trusted_root.json for keyless signatures')
    .addOption(
      new Option(
        '--env <env>',
        "the environment whose requirements apply (default: the repository's in the promotion map, else prod)",
      ).choices(ENVIRONMENTS),
    )
    .addOption(jsonOption())
    .addHelpText(
      'after',
      "\nWith --key/--kms/--certificate-* it checks that a signature attached to the image verifies; with --trust-policy or --env it checks signature, SLSA provenance and SBOM attestations as that environment requires, and the supply-chain policy with the project's waivers.\nExit codes: 0 verified, 1 rejected (the reasons on stderr), 2 usage error.",
    )
    .action(async (image: string, flags: Flags) => exit(await verifyImageCommand(io, image, flags)));
}

async function verifyImageCommand(io: CliIO, image: string, flags: Flags): Promise<number> {
  const signers = [flags.key, flags.kms, flags.certificateIdentity, flags.certificateIdentityRegexp].filter(
    Boolean,
  );
  const policyMode = Boolean(flags.trustPolicy || flags.env);
  if (policyMode && signers.length)
    throw new UsageError(
      'give either the signer (--key, --kms, --certificate-identity…) or --trust-policy/--env, which says whose signatures count',
    );
  if (!policyMode && !signers.length)
    throw new UsageError(
      'give --key, --kms or --certificate-identity(-regexp) to check signatures, or --trust-policy/--env',
    );
  if ((flags.certificateIdentity || flags.certificateIdentityRegexp) && !flags.trustedRoot)
    throw new UsageError(
      'a certificate identity needs --trusted-root (the CA and logs to check the certificate against)',
    );
  const ref = imageReference(image);
  const name = `${ref.registry}/${ref.repository}`;
  const client = registryClient(io, flags, ref.registry);
  let collected: CollectedImage;
  try {
    const digest = ref.digest ?? (await client.resolve(ref.repository, ref.tag as string))?.digest;
    if (!digest) return report(io, flags, failed(name, '', 'MC-IMAGE-NOT-FOUND', `${image}: no such tag`));
    await client.manifest(ref.repository, digest);
    collected = await collectImage(client, ref.repository, digest);
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    const code = error.code === 'NOT_FOUND' ? 'MC-IMAGE-NOT-FOUND' : 'MC-IMAGE-REGISTRY';
    return report(io, flags, failed(name, ref.digest ?? '', code, error.message));
  }
  if (!policyMode) return report(io, flags, await signaturesOnly(io, flags, name, collected));
  return withLocalBackend(io, async (backend) => {
    const deps = localAdmissionDeps(io, backend, flags);
    const env = flags.env ?? locateRepository(deps.promotionMap(), name)?.env ?? 'prod';
    const decision = await decideImage(collected, { ...(await decisionOptions(deps, name)), env });
    const { gate: _gate, markdown: _markdown, verdict, ...rest } = decision;
    return report(io, flags, { ...rest, verified: verdict === 'verified' });
  });
}

// cosign verify's meaning: some signature attached to the image verifies with the given signer.
async function signaturesOnly(
  io: CliIO,
  flags: Flags,
  image: string,
  collected: CollectedImage,
): Promise<Outcome> {
  const key = await verificationKey(flags, io);
  const options = {
    ...(key ? { key } : {}),
    ...(flags.trustedRoot ? { trustedRoot: trustedRootJson(io, flags.trustedRoot) } : {}),
    ...identity(flags),
  };
  const signatures = collected.attachments.filter((a) => a.predicateType === IMAGE_PREDICATES.signature);
  const reasons: ImageReason[] = [];
  const verified: string[] = [];
  for (const attachment of signatures)
    try {
      verifyBundle(
        attachment.bundle,
        `bundle ${attachment.referrer}`,
        { sha256: collected.digest.slice(7) },
        options,
      );
      verified.push(attachment.referrer);
    } catch (error) {
      if (!(error instanceof VerifyError)) throw error;
      if (error.code === 'USAGE') throw new UsageError(error.message);
      reasons.push({ code: 'MC-SIG-INVALID', message: error.message });
    }
  if (!signatures.length)
    reasons.push({
      code: 'MC-SIG-MISSING',
      message: `${image}@${collected.digest} has no signature attached`,
    });
  return {
    verified: verified.length > 0,
    image,
    digest: collected.digest,
    signatures: verified,
    reasons: verified.length ? [] : reasons,
  };
}

function failed(image: string, digest: string, code: string, message: string): Outcome {
  return { verified: false, image, digest, reasons: [{ code, message }] };
}

function report(io: CliIO, flags: Flags, outcome: Outcome): number {
  if (flags.json) printJson(io, outcome);
  else if (outcome.verified) {
    io.stdout(`verified ${outcome.image}@${outcome.digest}\n`);
    // What passed with a note (an advisory finding, a legacy signature) is still said.
    for (const r of outcome.reasons) io.stderr(`mc: note: ${r.code}: ${r.message}\n`);
  }
  if (!outcome.verified) {
    io.stderr(`mc: rejected ${outcome.image}${outcome.digest ? `@${outcome.digest}` : ''}:\n`);
    for (const r of outcome.reasons) io.stderr(`  ${r.code}: ${r.message}\n`);
  }
  return outcome.verified ? EXIT.ok : EXIT.failed;
}
