import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { mcHome } from '../paths/index.js';
import {
  defaultKmsSigner,
  identityToken,
  KeySigner,
  type KmsSigner,
  keylessSigning,
  loadPrivateKey,
  loadPublicKey,
  PUBLIC_GOOD,
  projectKeyPaths,
  projectKeySigner,
  type Signing,
  writeProjectKey,
} from '../signing/index.js';
import { UsageError } from './errors.js';
import { readInputFile } from './files.js';
import type { CliIO } from './io.js';
import { asUsage } from './policy-file.js';

export interface SignerFlags {
  readonly key?: string;
  readonly kms?: string;
  readonly keyless?: boolean;
  readonly passphraseFile?: string;
  readonly identityToken?: string;
  readonly fulcioUrl?: string;
  readonly rekorUrl?: string;
  readonly rekorVersion?: string;
  readonly tsaUrl?: string;
}

/** `--key PEM | --kms KEY_ARN | --keyless` and `--passphrase-file`, as every signing command takes them. */
export function addSignerOptions(command: Command): Command {
  return command
    .option(
      '--key <pem>',
      'sign with this PKCS#8 PEM private key (default: the project key in .mc/keys/, created on first use)',
    )
    .option(
      '--kms <key-arn>',
      'sign with this AWS KMS key (ECC_NIST_P256, SIGN_VERIFY); the private key never leaves KMS',
    )
    .option(
      '--keyless',
      "sign through Fulcio and Rekor with an OIDC token (GitHub Actions' own, or --identity-token)",
    )
    .option('--passphrase-file <file>', 'the passphrase of an encrypted --key (or MC_KEY_PASSPHRASE)')
    .option(
      '--identity-token <jwt>',
      'with --keyless: the OIDC token to present (or SIGSTORE_ID_TOKEN; default: GitHub Actions)',
    )
    .option('--fulcio-url <url>', `with --keyless: the certificate authority (default ${PUBLIC_GOOD.fulcio})`)
    .option('--rekor-url <url>', `with --keyless: the transparency log (default ${PUBLIC_GOOD.rekor})`)
    .option(
      '--rekor-version <1|2>',
      "with --keyless: the log's API version, 1 (the default) or 2 (needs --tsa-url)",
    )
    .option('--tsa-url <url>', 'with --keyless: an RFC 3161 timestamp authority to countersign too');
}

/** Writes a new project key pair in `.mc/keys/` (or MC_HOME); refuses to replace one unless `force`. */
export function writeKeys(io: CliIO, force: boolean): { privateKey: string; publicKey: string } {
  return asUsage(() => writeProjectKey(mcHome(io.cwd, io.env), force));
}

/** How the flags sign: a key, a KMS key or keyless; the project key is created on first use, and said so. */
export async function signerFrom(
  flags: SignerFlags,
  io: CliIO,
): Promise<{ signing: Signing; description: string }> {
  const chosen = [flags.key, flags.kms, flags.keyless].filter(Boolean).length;
  if (chosen > 1) throw new UsageError('give one of --key, --kms and --keyless');
  const keylessOnly = [
    flags.identityToken,
    flags.fulcioUrl,
    flags.rekorUrl,
    flags.rekorVersion,
    flags.tsaUrl,
  ].some(Boolean);
  if (keylessOnly && !flags.keyless)
    throw new UsageError(
      '--identity-token, --fulcio-url, --rekor-url, --rekor-version and --tsa-url apply to --keyless only',
    );
  if (flags.passphraseFile && (flags.kms || flags.keyless))
    throw new UsageError(
      `--passphrase-file applies to an encrypted private key (--key or the project key), not to ${flags.kms ? '--kms' : '--keyless'}`,
    );
  if (flags.keyless) return keyless(flags, io);
  if (flags.kms)
    return { signing: { signer: kmsSigner(flags.kms, io) }, description: `AWS KMS key ${flags.kms}` };
  const passphrase = flags.passphraseFile
    ? readInputFile(io.cwd, flags.passphraseFile).text.replace(/\r?\n$/, '')
    : io.env.MC_KEY_PASSPHRASE;
  if (flags.key) {
    const file = readInputFile(io.cwd, flags.key);
    if (flags.passphraseFile) requireEncrypted(file.text, file.display);
    return {
      signing: { signer: new KeySigner(asUsage(() => loadPrivateKey(file.text, file.display, passphrase))) },
      description: `key ${file.display}`,
    };
  }
  const home = mcHome(io.cwd, io.env);
  if (flags.passphraseFile) {
    const { privateKey } = projectKeyPaths(home);
    requireEncrypted(existsSync(privateKey) ? readFileSync(privateKey, 'utf8') : '', privateKey);
  }
  const project = asUsage(() => projectKeySigner(home, passphrase));
  if (project.created)
    io.stderr(
      `mc: created the project key ${projectKeyPaths(home).privateKey} (public key ${project.publicKey}); keep it private\n`,
    );
  return { signing: { signer: project.signer }, description: `the project key ${project.publicKey}` };
}

// A passphrase for a key that has none would be silently unused: say so instead.
function requireEncrypted(pem: string, display: string): void {
  if (!pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----'))
    throw new UsageError(
      `--passphrase-file: ${display} is not an encrypted PKCS#8 key (-----BEGIN ENCRYPTED PRIVATE KEY-----), so a passphrase does not apply`,
    );
}

async function keyless(flags: SignerFlags, io: CliIO): Promise<{ signing: Signing; description: string }> {
  const version = flags.rekorVersion ?? '1';
  if (version !== '1' && version !== '2') throw new UsageError(`--rekor-version ${version}: give 1 or 2`);
  const options = {
    ...(flags.fulcioUrl ? { fulcioURL: flags.fulcioUrl } : {}),
    ...(flags.rekorUrl ? { rekorURL: flags.rekorUrl } : {}),
    ...(flags.tsaUrl ? { tsaURL: flags.tsaUrl } : {}),
    rekorVersion: version === '2' ? (2 as const) : (1 as const),
  };
  // The options are checked before a token is asked for; it is fetched once, for every file signed.
  let token = '';
  const signing = asUsage(() => keylessSigning({ ...options, token: async () => token }, io.env));
  token = await identityToken(io.env, flags.identityToken);
  return { signing, description: `a Fulcio certificate (keyless, ${flags.fulcioUrl ?? PUBLIC_GOOD.fulcio})` };
}

/** A KMS key's public key, fetched with GetPublicKey. */
export function kmsPublicKey(arn: string, io: CliIO) {
  return kmsSigner(arn, io).publicKey();
}

function kmsSigner(arn: string, io: CliIO): KmsSigner {
  return defaultKmsSigner(arn, io.env.AWS_REGION);
}

/** `--key PEM` (a public key, or a private key's public half) or `--kms ARN` for verification. */
export async function verificationKey(flags: { key?: string; kms?: string }, io: CliIO) {
  if (flags.key && flags.kms) throw new UsageError('give either --key or --kms, not both');
  if (flags.key) {
    const file = readInputFile(io.cwd, flags.key);
    return asUsage(() => loadPublicKey(file.text, file.display));
  }
  if (flags.kms) return kmsPublicKey(flags.kms, io);
  return undefined;
}
