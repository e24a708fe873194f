import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { GetPublicKeyCommand, SignCommand } from '@aws-sdk/client-kms';
import { p256 } from '@noble/curves/nist.js';
import type { KmsClient } from '../../lib/signing/index.js';

/**
 * A stand-in for AWS KMS (no emulator exists): it holds a real P-256 key and really signs the
 * digest it is sent, as KMS does for MessageType DIGEST.
 */
export function fakeKms(): KmsClient & { calls: string[] } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const calls: string[] = [];
  return {
    calls,
    send: (async (command: unknown) => {
      if (command instanceof GetPublicKeyCommand) {
        calls.push('GetPublicKey');
        return {
          KeyUsage: 'SIGN_VERIFY',
          KeySpec: 'ECC_NIST_P256',
          PublicKey: publicKey.export({ type: 'spki', format: 'der' }),
        };
      }
      if (command instanceof SignCommand) {
        calls.push(`Sign ${command.input.MessageType} ${command.input.SigningAlgorithm}`);
        // ECDSA over a given SHA-256 digest: sign the digest as the "already hashed" input.
        const digest = Buffer.from(command.input.Message as Uint8Array);
        return { Signature: signDigest(privateKey, digest) };
      }
      throw new Error('unexpected KMS command');
    }) as KmsClient['send'],
  };
}

// Node's crypto always hashes what it signs; KMS signs the digest it is given. @noble/curves signs a
// digest as it is (prehash: false), with the same private key.
function signDigest(privateKey: KeyObject, digest: Buffer): Buffer {
  const scalar = Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url');
  return Buffer.from(p256.sign(digest, scalar, { prehash: false, format: 'der', lowS: false }));
}
