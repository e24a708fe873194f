import { createHash, verify as cryptoVerify } from 'node:crypto';
import {
  generateKeyPair,
  KeySigner,
  loadPrivateKey,
  loadPublicKey,
  provenanceStatement,
  signMessage,
  signStatement,
} from '../lib/signing/index.js';
import { verifyBundle } from '../lib/verify/index.js';
import { table } from './support.js';

// Bundle verification (parse, checks, signature) next to the bare signature check it wraps.
export async function benchVerify(): Promise<string> {
  const pair = generateKeyPair();
  const signer = new KeySigner(loadPrivateKey(pair.privateKey, 'bench key'));
  const key = loadPublicKey(pair.publicKey, 'bench key');
  const artifact = Buffer.alloc(64 * 1024, 7);
  const sha256 = createHash('sha256').update(artifact).digest('hex');
  const message = JSON.stringify(await signMessage({ signer }, artifact));
  const statement = provenanceStatement([{ name: 'app.tgz', sha256 }], { env: 'prod' });
  const dsse = JSON.stringify(await signStatement({ signer }, statement));
  const messageSig = Buffer.from(JSON.parse(message).messageSignature.signature, 'base64');
  const envelope = JSON.parse(dsse).dsseEnvelope;
  const payload = Buffer.from(envelope.payload, 'base64');
  const pae = Buffer.concat([
    Buffer.from(`DSSEv1 ${envelope.payloadType.length} ${envelope.payloadType} ${payload.length} `),
    payload,
  ]);
  const dsseSig = Buffer.from(envelope.signatures[0].sig, 'base64');
  // The bare checks must verify what mc verifies, or the comparison means nothing.
  if (!cryptoVerify('sha256', artifact, key, messageSig) || !cryptoVerify('sha256', pae, key, dsseSig))
    throw new Error('the raw signatures do not verify: the benchmark rebuilt them wrongly');
  const rate = (fn: () => void) => {
    for (let i = 0; i < 50; i++) fn();
    const started = performance.now();
    let n = 0;
    while (performance.now() - started < 1000) {
      fn();
      n++;
    }
    return n / ((performance.now() - started) / 1000);
  };
  const rows = [
    {
      bundle: 'message signature (64 KiB artifact)',
      raw: rate(() => cryptoVerify('sha256', artifact, key, messageSig)),
      mc: rate(() => verifyBundle(message, 'm', { bytes: artifact }, { key })),
    },
    {
      bundle: 'DSSE (SLSA provenance, by digest)',
      raw: rate(() => cryptoVerify('sha256', pae, key, dsseSig)),
      mc: rate(() => verifyBundle(dsse, 'd', { sha256 }, { key })),
    },
  ].map((r) => ({
    bundle: r.bundle,
    'crypto.verify /s': r.raw.toFixed(0),
    'mc verifyBundle /s': r.mc.toFixed(0),
    'ratio (mc ÷ raw)': (r.mc / r.raw).toFixed(2),
  }));
  return `verifying Sigstore bundles with a P-256 key, next to the bare signature check\n${table(rows)}`;
}
