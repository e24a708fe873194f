import type { KeyObject } from 'node:crypto';
import type { Signer } from '@sigstore/sign';

/** How a signature was made, as the trust policy tells signers apart. */
export type SignerKind = 'key' | 'kms' | 'keyless';

/** A Sigstore signer whose public key is known (a local key or a KMS key): what verifies its work. */
export interface KeyedSigner extends Signer {
  readonly kind: Exclude<SignerKind, 'keyless'>;
  /** For a KMS key: the key id or ARN it signs with (a trust policy names KMS keys by ARN). */
  readonly keyId?: string;
  publicKey(): Promise<KeyObject>;
}
