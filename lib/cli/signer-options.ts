import { KMSClient } from '@aws-sdk/client-kms';
import type { Command } from 'commander';
import { mcHome } from '../paths/index.js';
import {
  KeySigner,
  KmsSigner,
  loadPrivateKey,
  loadPublicKey,
  projectKeyPaths,
  projectKeySigner,
  type Signer,
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
    .option('--keyless', 'sign through Fulcio and Rekor with an OIDC token (GitHub Actions)')
    .option('--passphrase-file <file>', 'the passphrase of an encrypted --key (or MC_KEY_PASSPHRASE)');
}

/** Writes a new project key pair in `.mc/keys/` (or MC_HOME); refuses to replace one unless `force`. */
export function writeKeys(io: CliIO, force: boolean): { privateKey: string; publicKey: string } {
  return asUsage(() => writeProjectKey(mcHome(io.cwd, io.env), force));
}

/** The signer the flags name; the project key is created on first use, and said so on stderr. */
export function signerFrom(flags: SignerFlags, io: CliIO): { signer: Signer; description: string } {
  const chosen = [flags.key, flags.kms, flags.keyless].filter(Boolean).length;
  if (chosen > 1) throw new UsageError('give one of --key, --kms and --keyless');
  if (flags.keyless)
    throw new UsageError(
      'keyless signing (Fulcio and Rekor through an OIDC token) is not available in this version of mc yet; sign with --kms on AWS or --key',
    );
  if (flags.kms) {
    const region = /^arn:aws[\w-]*:kms:([\w-]+):/.exec(flags.kms)?.[1] ?? io.env.AWS_REGION;
    return {
      signer: new KmsSigner(new KMSClient(region ? { region } : {}), flags.kms),
      description: `AWS KMS key ${flags.kms}`,
    };
  }
  const passphrase = flags.passphraseFile
    ? readInputFile(io.cwd, flags.passphraseFile).text.replace(/\r?\n$/, '')
    : io.env.MC_KEY_PASSPHRASE;
  if (flags.key) {
    const file = readInputFile(io.cwd, flags.key);
    return {
      signer: new KeySigner(asUsage(() => loadPrivateKey(file.text, file.display, passphrase))),
      description: `key ${file.display}`,
    };
  }
  const home = mcHome(io.cwd, io.env);
  const project = asUsage(() => projectKeySigner(home, passphrase));
  if (project.created)
    io.stderr(
      `mc: created the project key ${projectKeyPaths(home).privateKey} (public key ${project.publicKey}); keep it private\n`,
    );
  return { signer: project.signer, description: `the project key ${project.publicKey}` };
}

/** `--key PEM` (a public key, or a private key's public half) or `--kms ARN` for verification. */
export async function verificationKey(flags: { key?: string; kms?: string }, io: CliIO) {
  if (flags.key && flags.kms) throw new UsageError('give either --key or --kms, not both');
  if (flags.key) {
    const file = readInputFile(io.cwd, flags.key);
    return asUsage(() => loadPublicKey(file.text, file.display));
  }
  if (flags.kms) return (signerFrom({ kms: flags.kms }, io).signer as KmsSigner).publicKey();
  return undefined;
}
