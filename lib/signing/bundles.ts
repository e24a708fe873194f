import { BUNDLE_V03_MEDIA_TYPE, type Bundle, bundleToJSON, type SerializedBundle } from '@sigstore/bundle';
import { DSSEBundleBuilder, MessageSignatureBundleBuilder, type Signer } from '@sigstore/sign';

/** The in-toto payload type of DSSE envelopes holding a Statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/**
 * A Sigstore bundle (v0.3) with a message signature over `data`. Signing with a key records no
 * transparency-log entry: verification checks the signature against the key.
 */
export async function signMessage(signer: Signer, data: Buffer): Promise<SerializedBundle> {
  const bundle = await new MessageSignatureBundleBuilder({ signer, witnesses: [] }).create({ data });
  return serialize(bundle);
}

/** A Sigstore bundle (v0.3) with a DSSE envelope around an in-toto Statement. */
export async function signStatement(signer: Signer, statement: object): Promise<SerializedBundle> {
  const bundle = await new DSSEBundleBuilder({ signer, witnesses: [] }).create({
    data: Buffer.from(JSON.stringify(statement)),
    type: IN_TOTO_PAYLOAD_TYPE,
  });
  return serialize(bundle);
}

// The builder labels v0.3 bundles with the legacy media type; v0.3 readers expect the current one.
function serialize(bundle: Bundle): SerializedBundle {
  return { ...bundleToJSON(bundle), mediaType: BUNDLE_V03_MEDIA_TYPE };
}
