import { fallbackTag, MEDIA_TYPES, type RegistryClient } from '../registry/index.js';
import { PREDICATE_ANNOTATION } from './attach.js';

/** A Sigstore bundle attached to an image. */
export interface ImageAttachment {
  /** The artifact manifest's digest (names the bundle in reasons). */
  readonly referrer: string;
  readonly predicateType: string;
  readonly bundle: string;
}

export interface CollectedImage {
  readonly repository: string;
  readonly digest: string;
  readonly attachments: readonly ImageAttachment[];
  /** cosign's legacy `.sig` / `.att` tags, which mc notes but does not verify. */
  readonly legacy: readonly string[];
}

/**
 * Everything attached to an image: its referrers (the API, else the fallback tag) that carry a
 * Sigstore bundle, each manifest and bundle fetched once. Nothing is judged here.
 */
export async function collectImage(
  client: RegistryClient,
  repository: string,
  digest: string,
): Promise<CollectedImage> {
  const referrers = await client.referrers(repository, digest);
  const attachments: ImageAttachment[] = [];
  for (const referrer of referrers) {
    if (referrer.artifactType && referrer.artifactType !== MEDIA_TYPES.sigstoreBundle) continue;
    const manifest = await client.manifest(repository, referrer.digest);
    const layer = manifest.json.layers?.find((l) => l.mediaType === MEDIA_TYPES.sigstoreBundle);
    if (!layer) continue;
    const bundle = (await client.blob(repository, layer.digest)).toString('utf8');
    const predicateType =
      manifest.json.annotations?.[PREDICATE_ANNOTATION] ?? referrer.annotations?.[PREDICATE_ANNOTATION] ?? '';
    attachments.push({ referrer: referrer.digest, predicateType, bundle });
  }
  const legacy: string[] = [];
  for (const suffix of ['sig', 'att'])
    if (await client.resolve(repository, `${fallbackTag(digest)}.${suffix}`))
      legacy.push(`${fallbackTag(digest)}.${suffix}`);
  return { repository, digest, attachments, legacy };
}
