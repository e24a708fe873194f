import type { KeyObject } from 'node:crypto';
import type { Signer } from '@sigstore/sign';

/** A Sigstore signer whose public key is known (a local key or a KMS key): what verifies its work. */
export interface KeyedSigner extends Signer {
  publicKey(): Promise<KeyObject>;
}
