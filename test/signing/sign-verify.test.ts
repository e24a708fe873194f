import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateKeyPair,
  IN_TOTO_PAYLOAD_TYPE,
  KeySigner,
  KmsSigner,
  loadPrivateKey,
  loadPublicKey,
  provenanceStatement,
  signMessage,
  signStatement,
} from '../../lib/signing/index.js';
import { verifyBundle } from '../../lib/verify/index.js';
import { fakeKms } from '../support/kms.js';

const artifact = Buffer.from('the release tarball\n');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('signing and verifying blobs', () => {
  const pair = generateKeyPair();
  const signer = new KeySigner(loadPrivateKey(pair.privateKey, 'test key'));
  const key = loadPublicKey(pair.publicKey, 'test public key');

  it('round-trips a message signature with a local key, and refuses a tampered artifact or another key', async () => {
    const bundle = JSON.stringify(await signMessage({ signer }, artifact));
    expect(JSON.parse(bundle).mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(JSON.parse(bundle).verificationMaterial.publicKey.hint).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyBundle(bundle, 'b.json', { bytes: artifact }, { key })).toMatchObject({
      kind: 'message-signature',
    });
    expect(() => verifyBundle(bundle, 'b.json', { bytes: Buffer.from('tampered\n') }, { key })).toThrow(
      /b\.json: .*(digest|signature)/i,
    );
    const other = loadPublicKey(generateKeyPair().publicKey, 'other');
    expect(() => verifyBundle(bundle, 'b.json', { bytes: artifact }, { key: other })).toThrow(
      /b\.json: .*signature/i,
    );
  });

  it('round-trips a DSSE attestation, by bytes and by digest, and refuses another subject', async () => {
    const statement = provenanceStatement([{ name: 'app.tgz', sha256: sha256(artifact) }], { env: 'dev' });
    const bundle = JSON.stringify(await signStatement({ signer }, statement));
    const verified = verifyBundle(bundle, 'p.json', { bytes: artifact }, { key });
    expect(verified.payload?.type).toBe(IN_TOTO_PAYLOAD_TYPE);
    expect(verifyBundle(bundle, 'p.json', { sha256: sha256(artifact) }, { key }).kind).toBe('dsse');
    expect(() => verifyBundle(bundle, 'p.json', { bytes: Buffer.from('another file') }, { key })).toThrow(
      /p\.json: no subject of the statement has the digest sha256:/,
    );
  });

  it('signs with a KMS key (a stand-in that really signs) and verifies with its public key', async () => {
    const kms = fakeKms();
    const kmsSigner = new KmsSigner(kms, 'arn:aws:kms:eu-west-1:123456789012:key/test');
    const bundle = JSON.stringify(await signMessage({ signer: kmsSigner }, artifact));
    expect(kms.calls).toEqual(['GetPublicKey', 'Sign DIGEST ECDSA_SHA_256']);
    expect(
      verifyBundle(bundle, 'k.json', { bytes: artifact }, { key: await kmsSigner.publicKey() }).kind,
    ).toBe('message-signature');
  });

  it('gives a clear reason, never a crash, for garbage, truncated and unknown bundles', async () => {
    const good = JSON.stringify(await signMessage({ signer }, artifact));
    expect(() => verifyBundle('garbage', 'g.json', { bytes: artifact }, { key })).toThrow(
      /g\.json: not JSON/,
    );
    expect(() =>
      verifyBundle(good.slice(0, good.length / 2), 't.json', { bytes: artifact }, { key }),
    ).toThrow(/t\.json: not JSON/);
    const unknown = JSON.stringify({
      ...JSON.parse(good),
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.9+json',
    });
    expect(() => verifyBundle(unknown, 'u.json', { bytes: artifact }, { key })).toThrow(
      /u\.json: unknown bundle version/,
    );
    const broken = JSON.stringify({ ...JSON.parse(good), messageSignature: undefined });
    expect(() => verifyBundle(broken, 'x.json', { bytes: artifact }, { key })).toThrow(
      /x\.json: not a valid Sigstore bundle/,
    );
    // By digest: the signed digest must be the one given, and the signature must verify over it.
    expect(verifyBundle(good, 'm.json', { sha256: sha256(artifact) }, { key }).kind).toBe(
      'message-signature',
    );
    const otherDigest = sha256(Buffer.from('other'));
    expect(() => verifyBundle(good, 'm.json', { sha256: otherDigest }, { key })).toThrow(
      /m\.json: the signed digest is not sha256:/,
    );
    const forged = JSON.parse(good);
    forged.messageSignature.messageDigest.digest = Buffer.from(otherDigest, 'hex').toString('base64');
    expect(() => verifyBundle(JSON.stringify(forged), 'f.json', { sha256: otherDigest }, { key })).toThrow(
      /f\.json: SIGNATURE_ERROR/,
    );
    const otherKey = loadPublicKey(generateKeyPair().publicKey, 'other');
    expect(() => verifyBundle(good, 'k.json', { sha256: sha256(artifact) }, { key: otherKey })).toThrow(
      /k\.json: SIGNATURE_ERROR/,
    );
    expect(() => verifyBundle(good, 'n.json', { bytes: artifact }, {})).toThrow(
      /is signed with a key: give --key/,
    );
  });

  it('asks for a log entry by digest as by file, when --require-tlog says so', async () => {
    const bundle = JSON.stringify(await signMessage({ signer }, artifact));
    for (const given of [{ bytes: artifact }, { sha256: sha256(artifact) }])
      expect(() => verifyBundle(bundle, 'm.json', given, { key, requireTlog: true })).toThrow(
        /m\.json: TLOG_ERROR: expected 1 tlog entries, got 0/,
      );
  });

  it('says why a signed DSSE payload names no subject, never a crash', async () => {
    const digest = sha256(artifact);
    for (const payload of ['null', '5', '{"subject":"app.tgz"}', '{"subject":[null]}'])
      for (const given of [{ bytes: artifact }, { sha256: digest }]) {
        // Signed as it is: toJSON hands JSON.stringify the payload, even one that is not an object.
        const bundle = JSON.stringify(await signStatement({ signer }, { toJSON: () => JSON.parse(payload) }));
        expect(() => verifyBundle(bundle, 's.json', given, { key })).toThrow(
          /s\.json: the DSSE payload is not an in-toto Statement \(no subject list\)|s\.json: no subject of the statement has the digest/,
        );
      }
  });
});
