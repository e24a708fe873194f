import { createHash } from 'node:crypto';
import type { SerializedBundle } from '@sigstore/bundle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keylessSigning, signMessage, signStatement } from '../../lib/signing/index.js';
import { type VerifyOptions, verifyBundle } from '../../lib/verify/index.js';
import {
  type RootShape,
  type SigstoreServices,
  startSigstoreServices,
} from '../support/sigstore-services.js';

// The kinds of case Sigstore's client conformance suite checks for bundle verification, each
// rebuilt with this test's own CA, logs and timestamp authority, verified offline.

const IDENTITY = 'https://github.com/acme/api/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';
const ARTIFACT = Buffer.from('release bytes\n');
const DIGEST = createHash('sha256').update(ARTIFACT).digest('hex');
const STATEMENT = {
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'app.tgz', digest: { sha256: DIGEST } }],
  predicateType: 'https://slsa.dev/provenance/v1',
  predicate: {},
};

let sigstore: SigstoreServices;
let attacker: SigstoreServices;

beforeAll(async () => {
  [sigstore, attacker] = await Promise.all([startSigstoreServices(), startSigstoreServices()]);
});
afterAll(async () => {
  await Promise.all([sigstore.close(), attacker.close()]);
});

function signing(services: SigstoreServices, rekorVersion: 1 | 2 = 1) {
  const token = services.token({ sub: IDENTITY, iss: ISSUER });
  return keylessSigning(
    {
      token: async () => token,
      fulcioURL: services.url,
      rekorURL: services.url,
      rekorVersion,
      ...(rekorVersion === 2 ? { tsaURL: services.url } : {}),
    },
    {},
  );
}

function verify(
  bundle: object,
  options: Partial<VerifyOptions> & { shape?: RootShape } = {},
  bytes = ARTIFACT,
) {
  return verifyBundle(
    JSON.stringify(bundle),
    'bundle.sigstore.json',
    { bytes },
    { trustedRoot: sigstore.trustedRoot(options.shape), identity: IDENTITY, issuer: ISSUER, ...options },
  );
}

const entryOf = (bundle: SerializedBundle) => bundle.verificationMaterial.tlogEntries[0];
const seconds = (bundle: SerializedBundle) => new Date(Number(entryOf(bundle).integratedTime) * 1000);

describe('keyless bundles against a private trusted root (offline)', () => {
  it('verifies message signatures and DSSE with Rekor v1 entries, and with Rekor v2 entries and a timestamp', async () => {
    for (const version of [1, 2] as const) {
      const message = await signMessage(signing(sigstore, version), ARTIFACT);
      expect(verify(message).kind).toBe('message-signature');
      const dsse = await signStatement(signing(sigstore, version), STATEMENT);
      expect(verify(dsse).kind).toBe('dsse');
      if (version === 2) {
        expect(entryOf(message).kindVersion).toEqual({ kind: 'hashedrekord', version: '0.0.2' });
        expect(message.verificationMaterial.timestampVerificationData?.rfc3161Timestamps).toHaveLength(1);
      }
    }
  });

  it('refuses a Rekor v2 entry that records another signature', async () => {
    const bundle = await signMessage(signing(sigstore, 2), ARTIFACT);
    const other = await signMessage(signing(sigstore, 2), Buffer.from('other'));
    const swapped = {
      ...bundle,
      verificationMaterial: {
        ...bundle.verificationMaterial,
        tlogEntries: other.verificationMaterial.tlogEntries,
      },
    };
    expect(() => verify(swapped)).toThrow(/TLOG_BODY_ERROR/);
  });

  it('refuses a Rekor v1 entry swapped in from another bundle (CVE-2022-36056)', async () => {
    const bundle = await signMessage(signing(sigstore), ARTIFACT);
    const other = await signMessage(signing(sigstore), Buffer.from('other'));
    const swapped = {
      ...bundle,
      verificationMaterial: {
        ...bundle.verificationMaterial,
        tlogEntries: other.verificationMaterial.tlogEntries,
      },
    };
    expect(() => verify(swapped)).toThrow(/bundle\.sigstore\.json: TLOG_BODY_ERROR/);
  });

  it('refuses a checkpoint that does not match the inclusion proof', async () => {
    const bundle = await signMessage(signing(sigstore), ARTIFACT);
    const entry = entryOf(bundle);
    const proof = entry.inclusionProof as NonNullable<typeof entry.inclusionProof>;
    const lines = proof.checkpoint.envelope.split('\n');
    lines[2] = Buffer.alloc(32, 7).toString('base64');
    const tampered = {
      ...bundle,
      verificationMaterial: {
        ...bundle.verificationMaterial,
        tlogEntries: [
          {
            ...entry,
            inclusionProof: { ...proof, rootHash: lines[2], checkpoint: { envelope: lines.join('\n') } },
          },
        ],
      },
    };
    // A checkpoint (and proof) for another tree than the log signed.
    expect(() => verify(tampered)).toThrow(/TLOG_INCLUSION_PROOF_ERROR: invalid checkpoint signature/);
    // A checkpoint that verifies but is for another tree than the proof's.
    const otherRoot = {
      ...bundle,
      verificationMaterial: {
        ...bundle.verificationMaterial,
        tlogEntries: [
          { ...entry, inclusionProof: { ...proof, rootHash: Buffer.alloc(32, 7).toString('base64') } },
        ],
      },
    };
    expect(() => verify(otherRoot)).toThrow(
      /the checkpoint \(tree size 1\) does not match the inclusion proof/,
    );
  });

  it('judges validity windows of the trusted root: a missing start fails, an end is inclusive, an expired CA fails', async () => {
    const bundle = await signMessage(signing(sigstore), ARTIFACT);
    expect(() => verify(bundle, { shape: { tlog: { start: null } } })).toThrow(
      /no validity start for the transparency log/,
    );
    expect(() => verify(bundle, { shape: { ca: { start: null } } })).toThrow(
      /no validity start for the certificate authority/,
    );
    expect(verify(bundle, { shape: { tlog: { end: seconds(bundle) } } }).kind).toBe('message-signature');
    expect(() =>
      verify(bundle, { shape: { tlog: { end: new Date(seconds(bundle).getTime() - 1000) } } }),
    ).toThrow(/TLOG/);
    expect(() =>
      verify(bundle, { shape: { ca: { end: new Date(seconds(bundle).getTime() - 60_000) } } }),
    ).toThrow(/CERTIFICATE_ERROR|certificate/i);
  });

  it('refuses a Rekor v2 bundle whose timestamp authority was not yet trusted when it stamped', async () => {
    const bundle = await signMessage(signing(sigstore, 2), ARTIFACT);
    expect(() => verify(bundle, { shape: { tsa: { start: new Date(Date.now() + 3_600_000) } } })).toThrow(
      /TIMESTAMP_ERROR/,
    );
  });

  it('builds the chain from the trusted root: a root certificate in a v0.1 chain changes nothing, another CA is refused', async () => {
    const bundle = await signMessage(signing(sigstore), ARTIFACT);
    const leaf = bundle.verificationMaterial.certificate?.rawBytes as string;
    const root = (
      sigstore.trustedRoot() as {
        certificateAuthorities: { certChain: { certificates: { rawBytes: string }[] } }[];
      }
    ).certificateAuthorities[0].certChain.certificates[0].rawBytes;
    const v01 = {
      mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
      verificationMaterial: {
        x509CertificateChain: { certificates: [{ rawBytes: leaf }, { rawBytes: root }] },
        tlogEntries: bundle.verificationMaterial.tlogEntries,
      },
      messageSignature: bundle.messageSignature,
    };
    expect(verify(v01).kind).toBe('message-signature');
    const foreign = await signMessage(signing(attacker), ARTIFACT);
    expect(() => verify(foreign)).toThrow(/bundle\.sigstore\.json: CERTIFICATE_ERROR/);
  });

  it('enforces identity and issuer, exact or by regular expression, and the artifact digest', async () => {
    const bundle = await signMessage(signing(sigstore), ARTIFACT);
    expect(() => verify(bundle, { identity: `${IDENTITY}x` })).toThrow(/certificate identity error/);
    // An exact identity is exact: a prefix of the real one does not match.
    expect(() => verify(bundle, { identity: IDENTITY.slice(0, -4) })).toThrow(/certificate identity error/);
    expect(() => verify(bundle, { issuer: 'https://accounts.google.com' })).toThrow(/expected issuer=/);
    expect(
      verify(bundle, { identity: /^https:\/\/github\.com\/acme\//, issuer: /githubusercontent/ }).kind,
    ).toBe('message-signature');
    expect(() => verify(bundle, { identity: /^https:\/\/github\.com\/evil\// })).toThrow(
      /certificate identity error/,
    );
    expect(() => verify(bundle, { issuer: /^https:\/\/gitlab/ })).toThrow(/issuer/);
    expect(() => verify(bundle, {}, Buffer.from('tampered'))).toThrow(/SIGNATURE_ERROR/);
  });

  it('verifies a keyless message signature by digest, with every check a file gets', async () => {
    const bundle = await signMessage(signing(sigstore), ARTIFACT);
    const byDigest = (b: object, options: Partial<VerifyOptions> = {}, sha256 = DIGEST) =>
      verifyBundle(
        JSON.stringify(b),
        'bundle.sigstore.json',
        { sha256 },
        { trustedRoot: sigstore.trustedRoot(), identity: IDENTITY, issuer: ISSUER, ...options },
      );
    expect(byDigest(bundle).kind).toBe('message-signature');
    expect(() =>
      byDigest(
        bundle,
        {},
        DIGEST.replace(/^./, (c) => (c === '0' ? '1' : '0')),
      ),
    ).toThrow(/the signed digest is not sha256:/);
    expect(() => byDigest(bundle, { identity: `${IDENTITY}x` })).toThrow(/certificate identity error/);
    expect(() => byDigest(bundle, { trustedRoot: attacker.trustedRoot() })).toThrow(
      /bundle\.sigstore\.json: /,
    );
    // Another signature over the same digest: the log entry records the real one.
    const other = await signMessage(signing(sigstore), Buffer.from('other bytes'));
    const swapped = {
      ...bundle,
      messageSignature: { ...bundle.messageSignature, signature: other.messageSignature?.signature },
    };
    expect(() => byDigest(swapped)).toThrow(/TLOG_BODY_ERROR|SIGNATURE_ERROR/);
  });

  it('refuses a certificate that had expired when the log recorded the signature', async () => {
    const late = await startSigstoreServices({ caClock: new Date(Date.now() - 2 * 3_600_000) });
    try {
      const token = late.token({ sub: IDENTITY, iss: ISSUER });
      const bundle = await signMessage(
        keylessSigning({ token: async () => token, fulcioURL: late.url, rekorURL: late.url }, {}),
        ARTIFACT,
      );
      expect(() =>
        verifyBundle(
          JSON.stringify(bundle),
          'late.json',
          { bytes: ARTIFACT },
          {
            trustedRoot: late.trustedRoot({ ca: { start: new Date(Date.now() - 3 * 3_600_000) } }),
            identity: IDENTITY,
            issuer: ISSUER,
          },
        ),
      ).toThrow(/late\.json: CERTIFICATE_ERROR/);
    } finally {
      await late.close();
    }
  });
});
