import type { KeyObject } from 'node:crypto';
import { loadPublicKey, type SignerKind } from '../signing/index.js';
import {
  bundleSignerType,
  type VerifiedBundle,
  type VerifyArtifact,
  VerifyError,
  verifyBundle,
} from '../verify/index.js';
import { environmentTrust, refusedSigner, type TrustPolicy } from './trust-policy.js';

export interface TrustedVerification {
  readonly verified: VerifiedBundle;
  /** Which of the policy's keys or identities signed, and its kind. */
  readonly signer: { readonly kind: SignerKind; readonly name: string };
}

export interface TrustedVerifyOptions {
  /**
   * A KMS key's public key (asked for only when a listed KMS key has no public key written down);
   * undefined when it cannot be had here (the key is then skipped, saying so).
   */
  readonly kmsPublicKey?: (arn: string) => Promise<KeyObject | undefined>;
  /** Overrides the policy's trusted root. */
  readonly trustedRoot?: unknown;
}

/**
 * Verifies a bundle against what a trust policy trusts in an environment: one of its keys or
 * keyless identities must have signed it, and that kind of signer must be accepted there.
 * Fails closed with every reason: nothing listed, nothing matching, a kind not accepted.
 */
export async function verifyTrusted(
  text: string,
  file: string,
  artifact: VerifyArtifact,
  policy: TrustPolicy,
  env: string,
  options: TrustedVerifyOptions = {},
): Promise<TrustedVerification> {
  const trust = environmentTrust(policy, env);
  const tried: string[] = [];
  if (bundleSignerType(text, file) === 'key') {
    for (const key of policy.keys) {
      const publicKey = await publicKeyOf(key, options);
      if (!publicKey) {
        tried.push(`${key.name} (no public key: give publicKey, or verify online)`);
        continue;
      }
      let verified: VerifiedBundle;
      try {
        verified = verifyBundle(text, file, artifact, {
          key: publicKey,
          ...(trust.requireTlog ? { requireTlog: true } : {}),
        });
      } catch (error) {
        tried.push(`${key.name}: ${reasonAfter(file, error)}`);
        continue;
      }
      const refused = refusedSigner(policy, env, key.kind);
      if (refused) throw new VerifyError('NOT_VERIFIED', `${file}: ${refused}`);
      return { verified, signer: { kind: key.kind, name: key.name } };
    }
    throw new VerifyError(
      'NOT_VERIFIED',
      policy.keys.length
        ? `${file}: no key the trust policy ${policy.file} lists verifies it (${tried.join('; ')})`
        : `${file} is signed with a key, and the trust policy ${policy.file} lists no keys`,
    );
  }
  const refused = refusedSigner(policy, env, 'keyless');
  if (refused) throw new VerifyError('NOT_VERIFIED', `${file}: ${refused}`);
  const trustedRoot = options.trustedRoot ?? policy.trustedRoot;
  if (!trustedRoot)
    throw new VerifyError(
      'USAGE',
      `${file} carries a certificate: the trust policy ${policy.file} names no trustedRoot; give --trusted-root`,
    );
  for (const identity of policy.identities) {
    try {
      const verified = verifyBundle(text, file, artifact, {
        trustedRoot,
        identity: identity.subject ?? new RegExp(identity.subjectRegExp as string),
        issuer: identity.issuer,
      });
      return { verified, signer: { kind: 'keyless', name: identity.name } };
    } catch (error) {
      if (error instanceof VerifyError && error.code === 'USAGE') throw error;
      tried.push(`${identity.name}: ${reasonAfter(file, error)}`);
    }
  }
  throw new VerifyError(
    'NOT_VERIFIED',
    policy.identities.length
      ? `${file}: no identity the trust policy ${policy.file} lists signed it (${tried.join('; ')})`
      : `${file} carries a certificate, and the trust policy ${policy.file} lists no identities`,
  );
}

async function publicKeyOf(
  key: TrustPolicy['keys'][number],
  options: TrustedVerifyOptions,
): Promise<KeyObject | undefined> {
  if (key.publicKey) return loadPublicKey(key.publicKey, `the public key of ${key.name}`);
  if (key.kmsKeyArn && options.kmsPublicKey) return options.kmsPublicKey(key.kmsKeyArn);
  return undefined;
}

// The reason without the bundle's name in front, which the summary already gives.
function reasonAfter(file: string, error: unknown): string {
  const message = (error as Error).message;
  return message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message;
}
