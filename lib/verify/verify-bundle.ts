import { createHash, type KeyObject } from 'node:crypto';
import {
  type Bundle,
  bundleFromJSON,
  isBundleWithDsseEnvelope,
  isBundleWithMessageSignature,
  isBundleWithPublicKey,
} from '@sigstore/bundle';
import { HashAlgorithm, TrustedRoot } from '@sigstore/protobuf-specs';
import {
  type Signer,
  toSignedEntity,
  toTrustMaterial,
  type VerificationPolicy,
  Verifier,
} from '@sigstore/verify';
import { VerifyError } from './errors.js';
import { overDigest } from './private/digest-signature.js';

/** What a bundle is checked against: the artifact's bytes, or its SHA-256 (`sha256:<hex>`). */
export type VerifyArtifact = { readonly bytes: Buffer } | { readonly sha256: string };

export interface VerifyOptions {
  /** The signer's public key (`--key`, or a KMS key's public half). */
  readonly key?: KeyObject;
  /** A Sigstore trusted root (`trusted_root.json`) for certificate (keyless) bundles. */
  readonly trustedRoot?: unknown;
  readonly identity?: string | RegExp;
  readonly issuer?: string | RegExp;
  /** Require a transparency-log entry even for key-signed bundles. */
  readonly requireTlog?: boolean;
}

export interface VerifiedBundle {
  readonly kind: 'message-signature' | 'dsse';
  /** For DSSE bundles: the payload (an in-toto Statement) and its type. */
  readonly payload?: { readonly type: string; readonly body: Buffer };
  readonly signer: Signer;
}

const EMPTY_ROOT = { certificateAuthorities: [], ctlogs: [], tlogs: [], timestampAuthorities: [] };

/**
 * Verifies a Sigstore bundle (v0.1–v0.3, message signature or DSSE), failing closed with a reason
 * a person understands: a bundle signed with a key needs that key; one with a certificate needs a
 * trusted root and both an identity and an issuer constraint, always enforced.
 */
export function verifyBundle(
  text: string,
  file: string,
  artifact: VerifyArtifact,
  options: VerifyOptions,
): VerifiedBundle {
  const bundle = parseBundle(text, file);
  const dsse = isBundleWithDsseEnvelope(bundle);
  const withKey = isBundleWithPublicKey(bundle);
  if (withKey && !options.key)
    throw new VerifyError('USAGE', `${file} is signed with a key: give --key (or --kms) to verify it`);
  if (!withKey && options.key)
    throw new VerifyError(
      'USAGE',
      `${file} carries a certificate, not a key signature: verify it with --certificate-identity and --certificate-oidc-issuer (and a trusted root), not --key`,
    );
  if (!withKey && (options.identity === undefined || options.issuer === undefined))
    throw new VerifyError(
      'USAGE',
      `${file} carries a certificate: both --certificate-identity(-regexp) and --certificate-oidc-issuer(-regexp) are required, so any signer is never accepted`,
    );
  if (withKey && (options.identity !== undefined || options.issuer !== undefined))
    throw new VerifyError(
      'USAGE',
      `${file} is signed with a key, which has no identity or issuer: drop --certificate-identity/--certificate-oidc-issuer`,
    );
  if (withKey && options.trustedRoot)
    throw new VerifyError(
      'USAGE',
      `${file} is signed with a key; a trusted root applies to certificate bundles only: drop --trusted-root`,
    );
  if (!withKey && !options.trustedRoot)
    throw new VerifyError(
      'USAGE',
      `${file} carries a certificate: give --trusted-root trusted_root.json (offline) to check its chain and log entries`,
    );

  const bytes = 'bytes' in artifact ? artifact.bytes : undefined;
  const digest = bytes ? undefined : (artifact as { sha256: string }).sha256;
  if (digest !== undefined && dsse) checkSubject(bundle, file, digest);
  if (digest !== undefined && !dsse) checkMessageDigest(bundle, file, digest);

  const root = options.trustedRoot ? trustedRoot(options.trustedRoot) : TrustedRoot.fromJSON(EMPTY_ROOT);
  const material = toTrustMaterial(
    root,
    options.key ? () => ({ publicKey: options.key as KeyObject, validFor: () => true }) : undefined,
  );
  const verifier = new Verifier(material, {
    tlogThreshold: withKey && !options.requireTlog ? 0 : 1,
    ctlogThreshold: withKey ? 0 : 1,
    timestampThreshold: withKey ? 0 : 1,
  });
  // The library matches a string as an unanchored pattern: an exact identity becomes ^…$ escaped.
  const policy: VerificationPolicy | undefined = withKey
    ? undefined
    : {
        subjectAlternativeName:
          typeof options.identity === 'string' ? exactly(options.identity) : options.identity,
        extensions: typeof options.issuer === 'string' ? { issuer: options.issuer } : undefined,
      };
  checkCheckpoints(bundle, file);
  let signer: Signer;
  try {
    const entity = toSignedEntity(bundle, dsse ? undefined : (bytes ?? Buffer.alloc(0)));
    signer = verifier.verify(
      digest !== undefined && !dsse ? overDigest(entity, Buffer.from(digest, 'hex'), file) : entity,
      policy,
    );
  } catch (error) {
    if (error instanceof VerifyError) throw error;
    throw new VerifyError('NOT_VERIFIED', `${file}: ${reason(error)}`, { cause: error });
  }
  if (!withKey && options.issuer instanceof RegExp) {
    const issuer = signer.identity?.extensions?.issuer ?? '';
    if (!options.issuer.test(issuer))
      throw new VerifyError(
        'NOT_VERIFIED',
        `${file}: the certificate's issuer ${issuer || '(none)'} does not match ${options.issuer}`,
      );
  }
  if (dsse && bytes) checkSubject(bundle, file, createHash('sha256').update(bytes).digest('hex'));
  const envelope = dsse ? bundle.content.dsseEnvelope : undefined;
  return {
    kind: dsse ? 'dsse' : 'message-signature',
    ...(envelope ? { payload: { type: envelope.payloadType, body: envelope.payload } } : {}),
    signer,
  };
}

// By digest, a message signature verifies only the digest it says it signed.
function checkMessageDigest(bundle: Bundle, file: string, sha256: string): void {
  if (!isBundleWithMessageSignature(bundle)) return;
  const { messageDigest } = bundle.content.messageSignature;
  if (
    messageDigest.algorithm !== HashAlgorithm.SHA2_256 ||
    messageDigest.digest.toString('hex') !== sha256.toLowerCase()
  )
    throw new VerifyError('NOT_VERIFIED', `${file}: the signed digest is not sha256:${sha256}`);
}

/** Whether a bundle is signed with a key or carries a (keyless) certificate; unreadable bundles throw why. */
export function bundleSignerType(text: string, file: string): 'key' | 'certificate' {
  return isBundleWithPublicKey(parseBundle(text, file)) ? 'key' : 'certificate';
}

function parseBundle(text: string, file: string): Bundle {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new VerifyError(
      'NOT_VERIFIED',
      `${file}: not JSON (${(error as Error).message}); expected a Sigstore bundle`,
    );
  }
  const mediaType = (doc as { mediaType?: unknown } | null)?.mediaType;
  if (
    typeof mediaType !== 'string' ||
    !/^application\/vnd\.dev\.sigstore\.bundle(\.v0\.3)?\+json(;version=0\.[123])?$/.test(mediaType)
  )
    throw new VerifyError(
      'NOT_VERIFIED',
      `${file}: ${typeof mediaType === 'string' ? `unknown bundle version ${mediaType}` : 'no mediaType'}; expected a Sigstore bundle v0.1–v0.3`,
    );
  try {
    return bundleFromJSON(doc);
  } catch (error) {
    throw new VerifyError('NOT_VERIFIED', `${file}: not a valid Sigstore bundle: ${reason(error)}`, {
      cause: error,
    });
  }
}

/**
 * An inclusion proof and its checkpoint must describe one tree: same size, same root hash. The
 * library proves inclusion against the checkpoint alone; Sigstore's reference clients also refuse
 * a proof whose own root disagrees with the checkpoint's.
 */
function checkCheckpoints(bundle: Bundle, file: string): void {
  for (const entry of bundle.verificationMaterial.tlogEntries) {
    const proof = entry.inclusionProof;
    const note = proof?.checkpoint?.envelope;
    if (!proof || !note) continue;
    const [, size, root] = note.split('\n');
    if (size !== proof.treeSize || Buffer.from(root ?? '', 'base64').compare(proof.rootHash) !== 0)
      throw new VerifyError(
        'NOT_VERIFIED',
        `${file}: TLOG_INCLUSION_PROOF_ERROR: the checkpoint (tree size ${size}) does not match the inclusion proof (tree size ${proof.treeSize}, another root hash or size)`,
      );
  }
}

// A DSSE bundle verifies an artifact only if the statement names it among its subjects.
function checkSubject(bundle: Bundle, file: string, sha256: string): void {
  if (!isBundleWithDsseEnvelope(bundle)) return;
  let statement: unknown;
  try {
    statement = JSON.parse(bundle.content.dsseEnvelope.payload.toString('utf8'));
  } catch {
    throw new VerifyError('NOT_VERIFIED', `${file}: the DSSE payload is not JSON, so it names no subject`);
  }
  const subjects = (statement as { subject?: unknown } | null)?.subject;
  if (!Array.isArray(subjects))
    throw new VerifyError(
      'NOT_VERIFIED',
      `${file}: the DSSE payload is not an in-toto Statement (no subject list), so it names no subject`,
    );
  const named = (s: unknown) => (s as { digest?: { sha256?: unknown } } | null)?.digest?.sha256;
  if (!subjects.some((s) => String(named(s) ?? '').toLowerCase() === sha256.toLowerCase()))
    throw new VerifyError(
      'NOT_VERIFIED',
      `${file}: no subject of the statement has the digest sha256:${sha256}`,
    );
}

function trustedRoot(json: unknown): TrustedRoot {
  let root: TrustedRoot;
  try {
    root = TrustedRoot.fromJSON(json);
  } catch (error) {
    throw new VerifyError('USAGE', `the trusted root is not a Sigstore TrustedRoot: ${reason(error)}`);
  }
  requireValidityStarts(root);
  return root;
}

/**
 * Every key and CA in a trusted root must say from when it is trusted. The library reads a missing
 * start as "since the beginning of time"; Sigstore's reference clients refuse such a root.
 */
function requireValidityStarts(root: TrustedRoot): void {
  const undated = [
    ...root.tlogs.filter((l) => !l.publicKey?.validFor?.start).map((l) => `transparency log ${l.baseUrl}`),
    ...root.ctlogs.filter((l) => !l.publicKey?.validFor?.start).map((l) => `CT log ${l.baseUrl}`),
    ...root.certificateAuthorities
      .filter((c) => !c.validFor?.start)
      .map((c) => `certificate authority ${c.uri}`),
    ...root.timestampAuthorities.filter((c) => !c.validFor?.start).map((c) => `timestamp authority ${c.uri}`),
  ];
  if (undated.length)
    throw new VerifyError(
      'NOT_VERIFIED',
      `the trusted root gives no validity start for the ${undated.join(', ')}: an authority trusted since no stated time is not trusted`,
    );
}

function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

function reason(error: unknown): string {
  const e = error as { message?: string; code?: string };
  return [e.code, e.message].filter(Boolean).join(': ').split('\n')[0];
}
