import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { SigningError } from './errors.js';

/** A key pair as PEM text: PKCS#8 private key, SPKI public key. */
export interface PemKeyPair {
  readonly privateKey: string;
  readonly publicKey: string;
}

/** A new ECDSA P-256 key pair (the curve Sigstore clients default to). */
export function generateKeyPair(): PemKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** A PKCS#8 PEM private key; an encrypted one needs its passphrase. */
export function loadPrivateKey(pem: string, what: string, passphrase?: string): KeyObject {
  try {
    return createPrivateKey({ key: pem, format: 'pem', ...(passphrase !== undefined ? { passphrase } : {}) });
  } catch (error) {
    const message = (error as Error).message;
    // OpenSSL asks for a passphrase it was not given ("interrupted or cancelled"), or cannot decrypt.
    const encrypted =
      /ENCRYPTED PRIVATE KEY/.test(pem) || /passphrase|decrypt|interrupted or cancelled/i.test(message);
    if (encrypted)
      throw new SigningError(
        'BAD_KEY',
        `${what} is encrypted: give its passphrase (MC_KEY_PASSPHRASE or --passphrase-file), or it is wrong`,
        { cause: error },
      );
    throw new SigningError('BAD_KEY', `${what} is not a PEM private key (${message.split('\n')[0]})`, {
      cause: error,
    });
  }
}

/** A PEM public key (SPKI) or the public half of a PEM private key. */
export function loadPublicKey(pem: string, what: string): KeyObject {
  try {
    return createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new SigningError(
      'BAD_KEY',
      `${what} is not a PEM public key (${(error as Error).message.split('\n')[0]})`,
      {
        cause: error,
      },
    );
  }
}

/** The key's hint in bundles: the hex SHA-256 of its DER SubjectPublicKeyInfo. */
export function keyHint(key: KeyObject): string {
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

export function publicKeyPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}
