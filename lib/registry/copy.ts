import type { Descriptor, Manifest, RegistryClient } from './client.js';
import { isIndex } from './media-types.js';

export interface CopyTarget {
  readonly client: RegistryClient;
  readonly repository: string;
  /** The tags the copy gets (the manifest is always also reachable by its digest). */
  readonly tags: readonly string[];
}

/**
 * Copies a manifest by digest, with everything it references (an index's manifests, a manifest's
 * config and layers) and, with `referrers`, the signatures and attestations that name it, into
 * another repository (or registry), then tags it. The digest does not change: the bytes are the same.
 * Tags are written last, so a tag never points at a manifest whose content is not all there.
 */
export async function copyImage(
  source: RegistryClient,
  repository: string,
  digest: string,
  target: CopyTarget,
  options: { readonly referrers?: boolean } = {},
): Promise<Descriptor> {
  const manifest = await source.manifest(repository, digest);
  await copyContent(source, repository, manifest, target);
  if (options.referrers)
    for (const referrer of await source.referrers(repository, digest)) {
      const artifact = await source.manifest(repository, referrer.digest);
      await copyBlobs(source, repository, artifact, target);
      await target.client.putReferrer(target.repository, artifact.bytes, artifact.mediaType, digest);
    }
  let copied: Descriptor = {
    mediaType: manifest.mediaType,
    digest: manifest.digest,
    size: manifest.bytes.length,
  };
  for (const tag of target.tags)
    copied = await target.client.putManifest(target.repository, tag, manifest.bytes, manifest.mediaType);
  return copied;
}

async function copyContent(
  source: RegistryClient,
  repository: string,
  manifest: Manifest,
  target: CopyTarget,
): Promise<void> {
  if (isIndex(manifest.mediaType))
    for (const child of manifest.json.manifests ?? []) {
      const inner = await source.manifest(repository, child.digest);
      await copyContent(source, repository, inner, target);
    }
  else await copyBlobs(source, repository, manifest, target);
  await target.client.putManifest(target.repository, manifest.digest, manifest.bytes, manifest.mediaType);
}

async function copyBlobs(source: RegistryClient, repository: string, manifest: Manifest, target: CopyTarget) {
  for (const blob of [manifest.json.config, ...(manifest.json.layers ?? [])])
    if (blob)
      await target.client.putBlob(
        target.repository,
        await source.blob(repository, blob.digest),
        blob.mediaType,
      );
}
