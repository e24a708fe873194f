import { createPublicKey, type KeyObject, sign } from 'node:crypto';
import type { Signature, Signer } from '@sigstore/sign';
import { keyHint, publicKeyPem } from './keys.js';

/** Signs with a private key held by this process (a local key, `--key PEM`). */
export class KeySigner implements Signer {
  private readonly publicKey: KeyObject;

  constructor(private readonly privateKey: KeyObject) {
    this.publicKey = createPublicKey(privateKey);
  }

  async sign(data: Buffer): Promise<Signature> {
    return {
      signature: sign('sha256', data, this.privateKey),
      key: { $case: 'publicKey', publicKey: publicKeyPem(this.publicKey), hint: keyHint(this.publicKey) },
    };
  }
}
