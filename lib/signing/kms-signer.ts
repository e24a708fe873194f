import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import type { Signature } from '@sigstore/sign';
import { SigningError } from './errors.js';
import type { KeyedSigner } from './keyed-signer.js';
import { keyHint, publicKeyPem } from './keys.js';

/** The part of the KMS client the signer uses (a real KMSClient on AWS). */
export type KmsClient = Pick<KMSClient, 'send'>;

/**
 * Signs with an asymmetric AWS KMS key (ECC_NIST_P256, SIGN_VERIFY): the private key never leaves
 * KMS. The message is hashed here and sent as a digest, so artifacts of any size can be signed
 * (KMS takes at most 4 KiB of raw message).
 */
export class KmsSigner implements KeyedSigner {
  readonly kind = 'kms';
  private cached: KeyObject | undefined;

  constructor(
    private readonly client: KmsClient,
    readonly keyId: string,
  ) {}

  async sign(data: Buffer): Promise<Signature> {
    const publicKey = await this.publicKey();
    const digest = createHash('sha256').update(data).digest();
    let signature: Uint8Array | undefined;
    try {
      ({ Signature: signature } = await this.client.send(
        new SignCommand({
          KeyId: this.keyId,
          Message: digest,
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ));
    } catch (error) {
      throw new SigningError('KMS', `KMS could not sign with ${this.keyId}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (!signature) throw new SigningError('KMS', `KMS returned no signature for ${this.keyId}`);
    return {
      signature: Buffer.from(signature),
      key: { $case: 'publicKey', publicKey: publicKeyPem(publicKey), hint: keyHint(publicKey) },
    };
  }

  /** The key's public half (fetched once). */
  async publicKey(): Promise<KeyObject> {
    if (this.cached) return this.cached;
    let der: Uint8Array | undefined;
    try {
      const answer = await this.client.send(new GetPublicKeyCommand({ KeyId: this.keyId }));
      if (answer.KeyUsage && answer.KeyUsage !== 'SIGN_VERIFY')
        throw new Error(`its usage is ${answer.KeyUsage}, not SIGN_VERIFY`);
      if (answer.KeySpec && answer.KeySpec !== 'ECC_NIST_P256')
        throw new Error(`its spec is ${answer.KeySpec}; mc signs with ECC_NIST_P256 keys`);
      der = answer.PublicKey;
    } catch (error) {
      throw new SigningError('KMS', `cannot use KMS key ${this.keyId}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (!der) throw new SigningError('KMS', `KMS returned no public key for ${this.keyId}`);
    this.cached = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
    return this.cached;
  }
}
