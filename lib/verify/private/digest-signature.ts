import type { KeyObject } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import type { SignedEntity } from '@sigstore/verify';
import { VerifyError } from '../errors.js';

/**
 * A message signature checked against the artifact's digest alone, through the same verifier as
 * a file: what a log entry is compared with stays the bundle's, and the ECDSA P-256 signature is
 * verified over the digest. Node's crypto always hashes what it verifies, so the prehashed check
 * is @noble/curves'. The caller has checked that the bundle's message digest is this digest.
 */
export function overDigest(entity: SignedEntity, digest: Buffer, file: string): SignedEntity {
  const content = entity.signature;
  return {
    ...entity,
    signature: {
      signature: content.signature,
      compareSignature: (signature) => content.compareSignature(signature),
      compareDigest: (d) => content.compareDigest(d),
      compareSignedDigest: (d) => content.compareSignedDigest(d),
      verifySignature: (key) => verifyP256Digest(key, digest, content.signature, file),
    },
  };
}

function verifyP256Digest(key: KeyObject, digest: Buffer, signature: Buffer, file: string): boolean {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y)
    throw new VerifyError(
      'NOT_VERIFIED',
      `${file}: verifying by digest needs an ECDSA P-256 signer, and this one's key is ${jwk.kty === 'EC' ? `on ${jwk.crv}` : (jwk.kty ?? key.asymmetricKeyType)}: give the file`,
    );
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x, 'base64url'),
    Buffer.from(jwk.y, 'base64url'),
  ]);
  try {
    return p256.verify(signature, digest, point, { prehash: false, format: 'der', lowS: false });
  } catch {
    return false;
  }
}
