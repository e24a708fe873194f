import type { SerializedBundle } from '@sigstore/bundle';
import { type Descriptor, MEDIA_TYPES, type RegistryClient } from '../registry/index.js';

const EMPTY_CONFIG = Buffer.from('{}');
export const PREDICATE_ANNOTATION = 'dev.sigstore.bundle.predicateType';

/**
 * Attaches a Sigstore bundle to an image as an OCI 1.1 artifact (the layout cosign uses for
 * bundles): an empty config, the bundle as the one layer, the image as the subject, the predicate
 * type as an annotation so a verifier picks bundles without downloading them.
 */
export async function attachBundle(
  client: RegistryClient,
  repository: string,
  subject: Descriptor,
  bundle: SerializedBundle,
  predicateType: string,
): Promise<Descriptor> {
  const config = await client.putBlob(repository, EMPTY_CONFIG, MEDIA_TYPES.ociEmpty);
  const layer = await client.putBlob(
    repository,
    Buffer.from(JSON.stringify(bundle)),
    MEDIA_TYPES.sigstoreBundle,
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      artifactType: MEDIA_TYPES.sigstoreBundle,
      config,
      layers: [layer],
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
      annotations: { [PREDICATE_ANNOTATION]: predicateType },
    }),
  );
  return client.putReferrer(repository, manifest, MEDIA_TYPES.ociManifest, subject.digest);
}
