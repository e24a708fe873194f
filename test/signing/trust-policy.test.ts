import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  generateKeyPair,
  KeySigner,
  KmsSigner,
  loadPrivateKey,
  signMessage,
} from '../../lib/signing/index.js';
import {
  environmentTrust,
  loadTrustPolicy,
  parseTrustPolicy,
  refusedSigner,
  verifyTrusted,
} from '../../lib/trust/index.js';
import { fakeKms } from '../support/kms.js';

const ARTIFACT = Buffer.from('release bytes\n');

function policy(yaml: string, files: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mc-trust-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return parseTrustPolicy(
    `apiVersion: policy.maestro.dev/v1\nkind: TrustPolicy\nmetadata: {name: test}\n${yaml}`,
    'trust.yaml',
    dir,
  );
}

describe('the trust policy', () => {
  it('ships a policy under which prod accepts only KMS and keyless signers and requires signature and provenance', () => {
    const shipped = loadTrustPolicy();
    expect(environmentTrust(shipped, 'prod')).toEqual({
      signers: ['kms', 'keyless'],
      require: ['signature', 'provenance', 'sbom'],
    });
    expect(refusedSigner(shipped, 'prod', 'key')).toMatch(
      /signed with a local key, which the trust policy .* does not accept in prod/,
    );
    expect(refusedSigner(shipped, 'prod', 'kms')).toBeUndefined();
    expect(refusedSigner(shipped, 'dev', 'key')).toBeUndefined();
    // An environment a policy does not list: prod keeps its safe default, others accept any signer.
    const empty = policy('');
    expect(environmentTrust(empty, 'prod').signers).toEqual(['kms', 'keyless']);
    expect(environmentTrust(empty, 'qa').signers).toEqual(['key', 'kms', 'keyless']);
    // Prod keeps a signature and provenance whatever a policy lists, as a pipeline's prod profile does.
    expect(environmentTrust(policy('environments: {prod: {require: []}}'), 'prod').require).toEqual([
      'signature',
      'provenance',
    ]);
  });

  it('refuses a policy that is not one, naming what is wrong', () => {
    expect(() => policy('keys: [{name: k}]')).toThrow(/trust\.yaml: not a TrustPolicy: .*\/keys\/0/);
    expect(() => policy('colour: blue')).toThrow(/additional properties \(colour\)/);
    expect(() => policy('environments: {prod: {signers: [laptop]}}')).toThrow(
      /\/environments\/prod\/signers\/0/,
    );
    expect(() => policy('identities: [{name: i, issuer: "https://x", subjectRegExp: "acme"}]')).toThrow(
      /subjectRegExp/,
    );
    expect(() => policy('keys: [{name: k, publicKeyFile: missing.pub}]')).toThrow(
      /cannot read the public key of k missing\.pub/,
    );
    expect(() => loadTrustPolicy('/nonexistent/trust.yaml')).toThrow(/cannot read the trust policy/);
  });

  it('verifies against the keys it lists, says which one signed, and applies the kinds each environment accepts', async () => {
    const pair = generateKeyPair();
    const signer = new KeySigner(loadPrivateKey(pair.privateKey, 'key'));
    const bundle = JSON.stringify(await signMessage({ signer }, ARTIFACT));
    const trusted = policy('keys: [{name: laptop, publicKeyFile: laptop.pub}]', {
      'laptop.pub': pair.publicKey,
    });
    await expect(verifyTrusted(bundle, 'b.json', { bytes: ARTIFACT }, trusted, 'dev')).resolves.toMatchObject(
      {
        signer: { kind: 'key', name: 'laptop' },
      },
    );
    await expect(verifyTrusted(bundle, 'b.json', { bytes: ARTIFACT }, trusted, 'prod')).rejects.toThrow(
      /b\.json: signed with a local key, which the trust policy trust\.yaml does not accept in prod/,
    );
    const other = generateKeyPair();
    await expect(
      verifyTrusted(
        bundle,
        'b.json',
        { bytes: ARTIFACT },
        policy('keys: [{name: other, publicKeyFile: o.pub}]', { 'o.pub': other.publicKey }),
        'dev',
      ),
    ).rejects.toThrow(/no key the trust policy trust\.yaml lists verifies it \(other: SIGNATURE_ERROR/);
    await expect(verifyTrusted(bundle, 'b.json', { bytes: ARTIFACT }, policy(''), 'dev')).rejects.toThrow(
      /lists no keys/,
    );
  });

  it('trusts a KMS key it lists in prod, fetching its public key once asked', async () => {
    const kms = fakeKms();
    const arn = 'arn:aws:kms:eu-west-1:123456789012:key/release';
    const signer = new KmsSigner(kms, arn);
    const bundle = JSON.stringify(await signMessage({ signer }, ARTIFACT));
    const trusted = policy(`keys: [{name: release, kmsKeyArn: "${arn}"}]`);
    const verified = await verifyTrusted(bundle, 'b.json', { bytes: ARTIFACT }, trusted, 'prod', {
      kmsPublicKey: async (asked) => {
        expect(asked).toBe(arn);
        return signer.publicKey();
      },
    });
    expect(verified.signer).toEqual({ kind: 'kms', name: 'release' });
    // Offline (no way to fetch it), a KMS key without its public key written down verifies nothing.
    await expect(verifyTrusted(bundle, 'b.json', { bytes: ARTIFACT }, trusted, 'prod')).rejects.toThrow(
      /release \(no public key/,
    );
  });
});
