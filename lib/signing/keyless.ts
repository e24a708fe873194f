import { FulcioSigner, RekorWitness, TSAWitness, type Witness } from '@sigstore/sign';
import type { Signing } from './bundles.js';
import { SigningError } from './errors.js';

export const PUBLIC_GOOD = {
  fulcio: 'https://fulcio.sigstore.dev',
  rekor: 'https://rekor.sigstore.dev',
} as const;

/** Rekor v1 records DSSE envelopes as `intoto` entries, as npm provenance does. */
const ENTRY_TYPE = 'intoto';

export interface KeylessOptions {
  /** Resolves the OIDC identity token, asked for once per certificate. */
  readonly token: () => Promise<string>;
  readonly fulcioURL?: string;
  readonly rekorURL?: string;
  /** Rekor's API: 1 (entries carry a signed timestamp) or 2 (a timestamp authority is then required). */
  readonly rekorVersion?: 1 | 2;
  /** An RFC 3161 timestamp authority; required with Rekor v2, whose entries carry no time. */
  readonly tsaURL?: string;
}

/**
 * Keyless signing: an ephemeral key certified by Fulcio for the token's identity, the signature
 * recorded in Rekor. For signing from CI (GitHub Actions), never inside Lambda: a function has no
 * identity token of its own, and a token must never travel through state-machine input.
 */
export function keylessSigning(options: KeylessOptions, env: NodeJS.ProcessEnv = process.env): Signing {
  if (env.AWS_LAMBDA_FUNCTION_NAME)
    throw new SigningError(
      'KEYLESS',
      'keyless signing is for CI (GitHub Actions), not Lambda: pipelines on AWS sign with their KMS key',
    );
  const version = options.rekorVersion ?? 1;
  if (version === 2 && !options.tsaURL)
    throw new SigningError(
      'KEYLESS',
      'Rekor v2 entries carry no time: give a timestamp authority (--tsa-url)',
    );
  const witnesses: Witness[] = [
    new RekorWitness({
      rekorBaseURL: options.rekorURL ?? PUBLIC_GOOD.rekor,
      majorApiVersion: version,
      entryType: ENTRY_TYPE,
    }),
  ];
  if (options.tsaURL) witnesses.push(new TSAWitness({ tsaBaseURL: options.tsaURL }));
  return {
    signer: new FulcioSigner({
      fulcioBaseURL: options.fulcioURL ?? PUBLIC_GOOD.fulcio,
      identityProvider: { getToken: options.token },
    }),
    witnesses,
  };
}
