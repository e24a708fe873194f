import {
  type Descriptor,
  type ImageReference,
  type RegistryClient,
  RegistryError,
} from '../registry/index.js';
import { type Signing, signStatement } from '../signing/index.js';
import { attachBundle } from './attach.js';
import { imageStatement } from './predicates.js';

export interface SignedImage {
  readonly digest: string;
  /** The artifact manifest that carries the bundle, attached to the image. */
  readonly referrer: Descriptor;
  readonly predicateType: string;
}

/** The image a reference names, by digest (a tag is resolved once; a digest is read as it is). */
export async function imageDescriptor(client: RegistryClient, ref: ImageReference): Promise<Descriptor> {
  if (ref.digest) {
    const manifest = await client.manifest(ref.repository, ref.digest);
    return { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.length };
  }
  const found = await client.resolve(ref.repository, ref.tag as string);
  if (!found)
    throw new RegistryError('NOT_FOUND', `${client.registry}: no image ${ref.repository}:${ref.tag}`);
  return found;
}

/**
 * Signs (predicate `signature`) or attests an image by digest: an in-toto Statement naming the
 * manifest digest, signed as a DSSE bundle and attached to the image as an OCI referrer.
 */
export async function signImage(
  client: RegistryClient,
  ref: ImageReference,
  signing: Signing,
  predicateType: string,
  predicate: unknown,
): Promise<SignedImage> {
  const subject = await imageDescriptor(client, ref);
  const bundle = await signStatement(
    signing,
    imageStatement(ref.repository, subject.digest, predicateType, predicate),
  );
  const referrer = await attachBundle(client, ref.repository, subject, bundle, predicateType);
  return { digest: subject.digest, referrer, predicateType };
}
