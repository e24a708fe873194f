import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { IN_TOTO_PAYLOAD_TYPE, SLSA_PROVENANCE_V1 } from '../signing/index.js';
import { type VerifiedBundle, type VerifyArtifact, VerifyError, verifyBundle } from '../verify/index.js';
import { UsageError } from './errors.js';
import { readInputFile } from './files.js';
import { type CliIO, EXIT, printJson } from './io.js';
import { jsonOption } from './options.js';
import { verificationKey } from './signer-options.js';

interface VerifyFlags {
  readonly bundle: string;
  readonly key?: string;
  readonly kms?: string;
  readonly certificateIdentity?: string;
  readonly certificateIdentityRegexp?: string;
  readonly certificateOidcIssuer?: string;
  readonly certificateOidcIssuerRegexp?: string;
  readonly trustedRoot?: string;
  readonly offline?: boolean;
  readonly requireTlog?: boolean;
  readonly json?: boolean;
}

const PREDICATE_TYPES: Record<string, string> = { slsaprovenance1: SLSA_PROVENANCE_V1 };
const EXIT_CODES =
  '\nExit codes: 0 verified, 1 not verified (the reason on stderr), 2 usage error (a flag that cannot be applied is an error, never ignored).';

function addVerifyOptions(command: Command): Command {
  return command
    .argument('<file>', 'the artifact, or sha256:<64 hex> to verify by digest')
    .requiredOption('--bundle <file>', 'the Sigstore bundle (v0.1–v0.3)')
    .option('--key <pem>', "the signer's public key (PEM)")
    .option('--kms <key-arn>', "the signer's AWS KMS key (its public key is fetched)")
    .option('--certificate-identity <identity>', "the certificate's exact subject (SAN)")
    .option('--certificate-identity-regexp <regexp>', 'a regular expression the subject must match')
    .option('--certificate-oidc-issuer <issuer>', 'the exact OIDC issuer')
    .option('--certificate-oidc-issuer-regexp <regexp>', 'a regular expression the issuer must match')
    .option('--trusted-root <file>', 'a Sigstore trusted_root.json (CAs, logs) for certificate bundles')
    .option('--offline', 'touch no network (with a certificate, --trusted-root is then required)')
    .option('--require-tlog', 'require a transparency-log entry even for key signatures')
    .addOption(jsonOption());
}

export function registerVerify(program: Command, io: CliIO, exit: (code: number) => void): void {
  addVerifyOptions(
    program.command('verify-blob').description('verify a file (or a digest) against a Sigstore bundle'),
  )
    .addHelpText('after', EXIT_CODES)
    .action(async (file: string, flags: VerifyFlags) =>
      exit(
        await run(file, flags, io, (verified) => {
          if (verified.kind !== 'message-signature')
            throw new VerifyError(
              'NOT_VERIFIED',
              `${flags.bundle} holds an attestation (DSSE), not a signature of the file: use mc verify-attestation`,
            );
          return undefined;
        }),
      ),
    );
  addVerifyOptions(
    program
      .command('verify-attestation')
      .description(
        'verify an in-toto attestation (DSSE bundle) of a file: signature, subject digest, predicate type, and builder and source when given',
      ),
  )
    .option('--type <type>', 'the predicate type (slsaprovenance1 or a URI)', 'slsaprovenance1')
    .option('--builder-id <id>', 'the builder.id the provenance must name')
    .option('--source-uri <uri>', 'the source repository the provenance must name')
    .addHelpText('after', EXIT_CODES)
    .action(
      async (file: string, flags: VerifyFlags & { type: string; builderId?: string; sourceUri?: string }) =>
        exit(await run(file, flags, io, (verified) => checkStatement(verified, flags))),
    );
}

async function run(
  file: string,
  flags: VerifyFlags,
  io: CliIO,
  check: (verified: VerifiedBundle) => unknown,
): Promise<number> {
  const bundle = readInputFile(io.cwd, flags.bundle);
  if (flags.certificateIdentity && flags.certificateIdentityRegexp)
    throw new UsageError('give --certificate-identity or --certificate-identity-regexp, not both');
  if (flags.certificateOidcIssuer && flags.certificateOidcIssuerRegexp)
    throw new UsageError('give --certificate-oidc-issuer or --certificate-oidc-issuer-regexp, not both');
  if (flags.offline && flags.kms)
    throw new UsageError('--kms fetches the public key from AWS; with --offline give it as --key PEM');
  const artifact = artifactOf(file, io);
  const key = await verificationKey(flags, io);
  try {
    const verified = verifyBundle(bundle.text, bundle.display, artifact, {
      ...(key ? { key } : {}),
      ...(flags.trustedRoot ? { trustedRoot: trustedRootJson(io, flags.trustedRoot) } : {}),
      ...identity(flags),
      ...(flags.requireTlog ? { requireTlog: true } : {}),
    });
    const statement = check(verified);
    if (flags.json)
      printJson(io, {
        verified: true,
        file,
        bundle: bundle.display,
        kind: verified.kind,
        ...(statement ? { statement } : {}),
      });
    else
      io.stdout(
        `verified ${file} with ${bundle.display} (${verified.kind === 'dsse' ? 'attestation' : 'signature'})\n`,
      );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof VerifyError && error.code === 'USAGE') throw new UsageError(error.message);
    if (!(error instanceof VerifyError)) throw error;
    if (flags.json) printJson(io, { verified: false, file, bundle: bundle.display, reason: error.message });
    io.stderr(`mc: not verified: ${error.message}\n`);
    return EXIT.failed;
  }
}

function trustedRootJson(io: CliIO, name: string): unknown {
  const file = readInputFile(io.cwd, name);
  try {
    return JSON.parse(file.text);
  } catch (error) {
    throw new UsageError(
      `${file.display}: not JSON (${(error as Error).message}); expected a Sigstore trusted_root.json`,
    );
  }
}

function artifactOf(file: string, io: CliIO): VerifyArtifact {
  const digest = /^sha256:([0-9a-f]{64})$/i.exec(file);
  if (digest) return { sha256: digest[1].toLowerCase() };
  if (file.startsWith('sha256:')) throw new UsageError(`${file}: a digest is sha256: and 64 hex digits`);
  try {
    return { bytes: readFileSync(resolve(io.cwd, file)) };
  } catch {
    throw new UsageError(`cannot read ${file}: no such file`);
  }
}

function identity(flags: VerifyFlags): { identity?: string | RegExp; issuer?: string | RegExp } {
  const regexp = (text: string, flag: string) => {
    try {
      return new RegExp(text);
    } catch (error) {
      throw new UsageError(`${flag} ${text}: ${(error as Error).message}`);
    }
  };
  return {
    ...(flags.certificateIdentity ? { identity: flags.certificateIdentity } : {}),
    ...(flags.certificateIdentityRegexp
      ? { identity: regexp(flags.certificateIdentityRegexp, '--certificate-identity-regexp') }
      : {}),
    ...(flags.certificateOidcIssuer ? { issuer: flags.certificateOidcIssuer } : {}),
    ...(flags.certificateOidcIssuerRegexp
      ? { issuer: regexp(flags.certificateOidcIssuerRegexp, '--certificate-oidc-issuer-regexp') }
      : {}),
  };
}

// The attestation's own promises: an in-toto Statement of the asked type, from the asked builder and source.
function checkStatement(
  verified: VerifiedBundle,
  flags: { bundle: string; type: string; builderId?: string; sourceUri?: string },
): unknown {
  const fail = (why: string) => {
    throw new VerifyError('NOT_VERIFIED', `${flags.bundle}: ${why}`);
  };
  if (verified.kind !== 'dsse' || !verified.payload)
    return fail('holds a message signature, not an attestation (DSSE)');
  if (verified.payload.type !== IN_TOTO_PAYLOAD_TYPE)
    return fail(`the DSSE payload type is ${verified.payload.type}, not ${IN_TOTO_PAYLOAD_TYPE}`);
  const statement = JSON.parse(verified.payload.body.toString('utf8')) as {
    predicateType?: string;
    predicate?: {
      runDetails?: { builder?: { id?: string } };
      buildDefinition?: {
        externalParameters?: { source?: { repository?: string } };
        resolvedDependencies?: { uri?: string }[];
      };
    };
  };
  const wanted = PREDICATE_TYPES[flags.type] ?? flags.type;
  if (statement.predicateType !== wanted)
    return fail(`the predicate type is ${statement.predicateType ?? '(none)'}, not ${wanted}`);
  const builder = statement.predicate?.runDetails?.builder?.id;
  if (flags.builderId && builder !== flags.builderId)
    return fail(`the builder is ${builder ?? '(none)'}, not ${flags.builderId}`);
  if (flags.sourceUri) {
    const build = statement.predicate?.buildDefinition;
    // Exactly the repository: `git+<uri>@<ref>` in the dependencies names <uri>, nothing longer.
    const named = [
      build?.externalParameters?.source?.repository,
      ...(build?.resolvedDependencies ?? []).map((d) => /^git\+(.*?)(?:@[^@]*)?$/.exec(d.uri ?? '')?.[1]),
    ];
    if (!named.includes(flags.sourceUri))
      return fail(`the provenance does not name the source ${flags.sourceUri}`);
  }
  return statement;
}
