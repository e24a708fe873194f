import { createPublicKey, type KeyObject, sign } from 'node:crypto';
import type { Signature } from '@sigstore/sign';
import type { KeyedSigner } from './keyed-signer.js';
import { keyHint, publicKeyPem } from './keys.js';

/** Signs with a private key held by this process (a local key, `--key PEM`). */
export class KeySigner implements KeyedSigner {
  readonly kind = 'key';
  private readonly public: KeyObject;

  constructor(private readonly privateKey: KeyObject) {
    this.public = createPublicKey(privateKey);
  }

  async publicKey(): Promise<KeyObject> {
    return this.public;
  }

  async sign(data: Buffer): Promise<Signature> {
    return {
      signature: sign('sha256', data, this.privateKey),
      key: { $case: 'publicKey', publicKey: publicKeyPem(this.public), hint: keyHint(this.public) },
    };
  }
}
