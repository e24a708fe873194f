import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SigningError } from './errors.js';
import { KeySigner } from './key-signer.js';
import { generateKeyPair, loadPrivateKey } from './keys.js';

/** The project's signing key pair under `.mc/keys/`: `mc.key` (PKCS#8, mode 0600) and `mc.pub`. */
export function projectKeyPaths(home: string): { privateKey: string; publicKey: string } {
  const dir = join(home, 'keys');
  return { privateKey: join(dir, 'mc.key'), publicKey: join(dir, 'mc.pub') };
}

/** Writes a new project key pair; refuses to replace one unless `force`. */
export function writeProjectKey(home: string, force: boolean): { privateKey: string; publicKey: string } {
  const paths = projectKeyPaths(home);
  if (existsSync(paths.privateKey) && !force)
    throw new SigningError(
      'KEY_EXISTS',
      `${paths.privateKey} exists; --force replaces it (what was signed with it then no longer verifies with the new key)`,
    );
  const pair = generateKeyPair();
  mkdirSync(join(home, 'keys'), { recursive: true, mode: 0o700 });
  writeFileSync(paths.privateKey, pair.privateKey, { mode: 0o600 });
  chmodSync(paths.privateKey, 0o600);
  writeFileSync(paths.publicKey, pair.publicKey);
  return paths;
}

/** A signer with the project key, created on first use (`created` says so). */
export function projectKeySigner(
  home: string,
  passphrase?: string,
): { signer: KeySigner; created: boolean; publicKey: string } {
  const paths = projectKeyPaths(home);
  const created = !existsSync(paths.privateKey);
  if (created) writeProjectKey(home, false);
  const signer = new KeySigner(
    loadPrivateKey(readFileSync(paths.privateKey, 'utf8'), paths.privateKey, passphrase),
  );
  return { signer, created, publicKey: paths.publicKey };
}
