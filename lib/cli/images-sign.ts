import type { Command } from 'commander';
import { IMAGE_PREDICATES, signImage, vulnPredicate } from '../images/index.js';
import { formatReference } from '../registry/index.js';
import { validateSbom } from '../sbom/index.js';
import { SLSA_PROVENANCE_V1 } from '../signing/index.js';
import { UsageError } from './errors.js';
import { readInputFile } from './files.js';
import { addRegistryOption, imageReference, type RegistryFlags, registryClient } from './image-options.js';
import { type CliIO, EXIT, printJson } from './io.js';
import { jsonOption } from './options.js';
import { asUsageAsync } from './policy-file.js';
import { addSignerOptions, type SignerFlags, signerFrom } from './signer-options.js';

const ATTESTATION_TYPES = {
  slsaprovenance1: SLSA_PROVENANCE_V1,
  cyclonedx: IMAGE_PREDICATES.cyclonedx,
  vuln: IMAGE_PREDICATES.vuln,
} as const;

type Flags = SignerFlags & RegistryFlags & { readonly json?: boolean };

const ATTACHED =
  '\nThe bundle is attached to the image by digest as an OCI 1.1 artifact (the referrers API, or the fallback tag sha256-<hex> where the registry has none); a tag is resolved to its digest once, first.';

export function registerImageSigning(program: Command, io: CliIO, exit: (code: number) => void): void {
  addRegistryOption(
    addSignerOptions(
      program
        .command('sign-image')
        .description(
          'sign an image by digest: a Sigstore bundle (DSSE, cosign sign/v1 predicate) attached to it',
        )
        .argument('<image>', 'registry/repository:tag or registry/repository@sha256:<digest>'),
    ),
  )
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `${ATTACHED}\nExit codes: 0 signed, 1 signing or the registry failed, 2 usage error.`,
    )
    .action(async (image: string, flags: Flags) =>
      exit(await attach(io, image, flags, IMAGE_PREDICATES.signature, {}, 'signed')),
    );

  addRegistryOption(
    addSignerOptions(
      program
        .command('attest-image')
        .description(
          'attest an image by digest: SLSA provenance, a CycloneDX SBOM or a scan report, signed and attached',
        )
        .argument('<image>', 'registry/repository:tag or registry/repository@sha256:<digest>'),
    ),
  )
    .requiredOption(
      '--predicate <file>',
      'the predicate: SLSA v1 provenance, a CycloneDX SBOM, or grype/trivy JSON',
    )
    .requiredOption('--type <type>', `what the predicate is: ${Object.keys(ATTESTATION_TYPES).join(', ')}`)
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `\nA CycloneDX predicate must be a valid SBOM (1.4–1.6); a vuln predicate is the scanner's own JSON, wrapped as cosign's vuln/v1 predicate.${ATTACHED}\nExit codes: 0 attested, 1 signing or the registry failed, 2 usage error.`,
    )
    .action(async (image: string, flags: Flags & { predicate: string; type: string }) => {
      const type = ATTESTATION_TYPES[flags.type as keyof typeof ATTESTATION_TYPES];
      if (!type)
        throw new UsageError(
          `--type ${flags.type}: expected one of ${Object.keys(ATTESTATION_TYPES).join(', ')}`,
        );
      const file = readInputFile(io.cwd, flags.predicate);
      let predicate: unknown;
      try {
        predicate = JSON.parse(file.text);
      } catch (error) {
        throw new UsageError(`${file.display}: not JSON (${(error as Error).message})`);
      }
      if (type === IMAGE_PREDICATES.cyclonedx) {
        const validation = await asUsageAsync(() => validateSbom(file.text, file.display));
        if (validation.format !== 'cyclonedx')
          throw new UsageError(
            `${file.display}: an ${validation.format} SBOM; --type cyclonedx takes CycloneDX`,
          );
        if (!validation.valid)
          throw new UsageError(
            `${file.display}: not a valid SBOM: ${validation.errors.slice(0, 5).join('; ')}`,
          );
      }
      const body = type === IMAGE_PREDICATES.vuln ? vulnPredicate(predicate) : predicate;
      exit(await attach(io, image, flags, type, body, 'attested'));
    });
}

async function attach(
  io: CliIO,
  image: string,
  flags: Flags,
  predicateType: string,
  predicate: unknown,
  verb: string,
): Promise<number> {
  const ref = imageReference(image);
  const { signing, description } = await signerFrom(flags, io);
  const client = registryClient(io, flags, ref.registry);
  const signed = await signImage(client, ref, signing, predicateType, predicate);
  const at = formatReference({ ...ref, tag: undefined, digest: signed.digest } as typeof ref);
  if (flags.json)
    printJson(io, {
      image: at,
      digest: signed.digest,
      predicateType,
      referrer: signed.referrer.digest,
      signer: description,
      referrersApi: client.hasReferrersApi() === true,
    });
  else
    io.stdout(
      `${verb} ${at} (${predicateType}) with ${description}: attached as ${signed.referrer.digest}${client.hasReferrersApi() ? '' : ' (fallback tag)'}\n`,
    );
  return EXIT.ok;
}
