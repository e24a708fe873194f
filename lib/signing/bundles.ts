import { BUNDLE_V03_MEDIA_TYPE, type Bundle, bundleToJSON, type SerializedBundle } from '@sigstore/bundle';
import { DSSEBundleBuilder, MessageSignatureBundleBuilder, type Signer, type Witness } from '@sigstore/sign';

/** The in-toto payload type of DSSE envelopes holding a Statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/**
 * How a bundle is made: who signs, and who witnesses the signature (the transparency log and a
 * timestamp authority for keyless signing; nobody for a key, whose signature stands on the key).
 */
export interface Signing {
  readonly signer: Signer;
  readonly witnesses?: readonly Witness[];
}

/** A Sigstore bundle (v0.3) with a message signature over `data`. */
export async function signMessage(signing: Signing, data: Buffer): Promise<SerializedBundle> {
  const bundle = await new MessageSignatureBundleBuilder(options(signing)).create({ data });
  return serialize(bundle);
}

/** A Sigstore bundle (v0.3) with a DSSE envelope around an in-toto Statement. */
export async function signStatement(signing: Signing, statement: object): Promise<SerializedBundle> {
  const bundle = await new DSSEBundleBuilder(options(signing)).create({
    data: Buffer.from(JSON.stringify(statement)),
    type: IN_TOTO_PAYLOAD_TYPE,
  });
  return serialize(bundle);
}

function options(signing: Signing) {
  return { signer: signing.signer, witnesses: [...(signing.witnesses ?? [])] };
}

/**
 * Bundles as v0.3 says: the builder labels message signatures with the legacy media type and puts
 * a keyless certificate in a one-element chain, where v0.3 holds the leaf certificate alone.
 */
function serialize(bundle: Bundle): SerializedBundle {
  const material = bundle.verificationMaterial.content;
  const content =
    material.$case === 'x509CertificateChain'
      ? { $case: 'certificate' as const, certificate: material.x509CertificateChain.certificates[0] }
      : material;
  const v03 = { ...bundle, verificationMaterial: { ...bundle.verificationMaterial, content } } as Bundle;
  return { ...bundleToJSON(v03), mediaType: BUNDLE_V03_MEDIA_TYPE };
}
