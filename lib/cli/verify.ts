import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ENVIRONMENTS } from '../plan/index.js';
import { IN_TOTO_PAYLOAD_TYPE, SLSA_PROVENANCE_V1 } from '../signing/index.js';
import { loadTrustPolicy, refusedBuilder, type TrustPolicy, verifyTrusted } from '../trust/index.js';
import {
  provenanceFacts,
  type VerifiedBundle,
  type VerifyArtifact,
  VerifyError,
  verifyBundle,
} from '../verify/index.js';
import { UsageError } from './errors.js';
import { readInputFile } from './files.js';
import { type CliIO, EXIT, printJson } from './io.js';
import { jsonOption } from './options.js';
import { asUsage } from './policy-file.js';
import { kmsPublicKey, verificationKey } from './signer-options.js';

/** The certificate identity flags of every verify command. */
export type IdentityFlags = Pick<
  VerifyFlags,
  | 'certificateIdentity'
  | 'certificateIdentityRegexp'
  | 'certificateOidcIssuer'
  | 'certificateOidcIssuerRegexp'
>;

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
  readonly trustPolicy?: string;
  readonly env?: string;
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
    .option(
      '--trust-policy <file>',
      'verify against the keys, identities and builders a trust policy trusts (or MC_TRUST_POLICY); instead of --key/--kms/--certificate-*',
    )
    .option(
      '--env <env>',
      "with a trust policy: the environment whose rules apply (default prod, the strictest); alone: the shipped policy's",
    )
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
        exit(await run(file, flags, io, (verified, policy) => checkStatement(verified, flags, policy))),
    );
}

async function run(
  file: string,
  flags: VerifyFlags,
  io: CliIO,
  check: (verified: VerifiedBundle, policy: TrustPolicy | undefined) => unknown,
): Promise<number> {
  const bundle = readInputFile(io.cwd, flags.bundle);
  if (flags.certificateIdentity && flags.certificateIdentityRegexp)
    throw new UsageError('give --certificate-identity or --certificate-identity-regexp, not both');
  if (flags.certificateOidcIssuer && flags.certificateOidcIssuerRegexp)
    throw new UsageError('give --certificate-oidc-issuer or --certificate-oidc-issuer-regexp, not both');
  if (flags.offline && flags.kms)
    throw new UsageError('--kms fetches the public key from AWS; with --offline give it as --key PEM');
  const artifact = artifactOf(file, io);
  const policy = trustPolicyOf(flags, io);
  const key = policy ? undefined : await verificationKey(flags, io);
  try {
    let verified: VerifiedBundle;
    let signer: { kind: string; name: string } | undefined;
    if (policy) {
      const trusted = await verifyTrusted(
        bundle.text,
        bundle.display,
        artifact,
        policy,
        flags.env ?? 'prod',
        {
          ...(flags.trustedRoot ? { trustedRoot: trustedRootJson(io, flags.trustedRoot) } : {}),
          ...(flags.offline ? {} : { kmsPublicKey: (arn: string) => kmsPublicKey(arn, io) }),
        },
      );
      ({ verified, signer } = trusted);
    } else
      verified = verifyBundle(bundle.text, bundle.display, artifact, {
        ...(key ? { key } : {}),
        ...(flags.trustedRoot ? { trustedRoot: trustedRootJson(io, flags.trustedRoot) } : {}),
        ...identity(flags),
        ...(flags.requireTlog ? { requireTlog: true } : {}),
      });
    const statement = check(verified, policy);
    if (flags.json)
      printJson(io, {
        verified: true,
        file,
        bundle: bundle.display,
        kind: verified.kind,
        ...(signer ? { signer, trustPolicy: policy?.file, env: flags.env ?? 'prod' } : {}),
        ...(statement ? { statement } : {}),
      });
    else
      io.stdout(
        `verified ${file} with ${bundle.display} (${verified.kind === 'dsse' ? 'attestation' : 'signature'}${signer ? `, signed by ${signer.name}, trusted in ${flags.env ?? 'prod'}` : ''})\n`,
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

export function trustedRootJson(io: CliIO, name: string): unknown {
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

export function identity(flags: IdentityFlags): { identity?: string | RegExp; issuer?: string | RegExp } {
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

// The attestation's own promises: an in-toto Statement of the asked type, from the asked (or a
// trusted) builder and source.
function checkStatement(
  verified: VerifiedBundle,
  flags: { bundle: string; type: string; builderId?: string; sourceUri?: string },
  policy: TrustPolicy | undefined,
): unknown {
  const fail = (why: string) => {
    throw new VerifyError('NOT_VERIFIED', `${flags.bundle}: ${why}`);
  };
  if (verified.kind !== 'dsse' || !verified.payload)
    return fail('holds a message signature, not an attestation (DSSE)');
  if (verified.payload.type !== IN_TOTO_PAYLOAD_TYPE)
    return fail(`the DSSE payload type is ${verified.payload.type}, not ${IN_TOTO_PAYLOAD_TYPE}`);
  const statement: unknown = JSON.parse(verified.payload.body.toString('utf8'));
  const facts = provenanceFacts(statement);
  const wanted = PREDICATE_TYPES[flags.type] ?? flags.type;
  if (facts.predicateType !== wanted)
    return fail(`the predicate type is ${facts.predicateType ?? '(none)'}, not ${wanted}`);
  if (flags.builderId && facts.builder !== flags.builderId)
    return fail(`the builder is ${facts.builder ?? '(none)'}, not ${flags.builderId}`);
  if (flags.sourceUri && !facts.sources.includes(flags.sourceUri))
    return fail(`the provenance does not name the source ${flags.sourceUri}`);
  const refused = policy ? refusedBuilder(policy, facts) : undefined;
  if (refused) return fail(refused);
  return statement;
}

/** The trust policy to verify against, if any: `--trust-policy`, MC_TRUST_POLICY with `--env`, or the shipped one with `--env`. */
function trustPolicyOf(flags: VerifyFlags, io: CliIO): TrustPolicy | undefined {
  const path = flags.trustPolicy ?? (flags.env ? io.env.MC_TRUST_POLICY : undefined);
  if (!path && !flags.env) return undefined;
  const signerFlags = {
    '--key': flags.key,
    '--kms': flags.kms,
    '--certificate-identity': flags.certificateIdentity,
    '--certificate-identity-regexp': flags.certificateIdentityRegexp,
    '--certificate-oidc-issuer': flags.certificateOidcIssuer,
    '--certificate-oidc-issuer-regexp': flags.certificateOidcIssuerRegexp,
    '--require-tlog': flags.requireTlog,
  };
  const given = Object.entries(signerFlags)
    .filter(([, value]) => value)
    .map(([flag]) => flag);
  if (given.length)
    throw new UsageError(
      `${given.join(', ')}: with a trust policy, the policy says whose signatures count (its keys, identities and requireTlog); drop ${given.length === 1 ? 'it' : 'them'}`,
    );
  const policy = asUsage(() => loadTrustPolicy(path, io.cwd));
  // An environment nobody defined would fall back to accepting any signer: a typo must not do that.
  const known = [...ENVIRONMENTS, ...Object.keys(policy.environments)];
  if (flags.env && !known.includes(flags.env))
    throw new UsageError(
      `--env ${flags.env}: not an environment of mc (${ENVIRONMENTS.join(', ')}) nor one the trust policy ${policy.file} defines; give one of ${[...new Set(known)].join(', ')}`,
    );
  return policy;
}
