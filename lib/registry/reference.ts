import { RegistryError } from './errors.js';

/** An image reference: `registry/repository[:tag][@sha256:…]`. */
export interface ImageReference {
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Reads a reference; the registry part is required (mc never guesses Docker Hub). */
export function parseReference(text: string): ImageReference {
  const bad = (why: string) =>
    new RegistryError(
      'BAD_REFERENCE',
      `${text} is not an image reference (${why}); expected registry/repository[:tag][@sha256:<64 hex>]`,
    );
  const [name, digest, ...extra] = text.split('@');
  if (extra.length) throw bad('more than one @');
  if (digest !== undefined && !DIGEST.test(digest)) throw bad('the digest is not sha256:<64 hex>');
  const slash = name.indexOf('/');
  if (slash <= 0) throw bad('no registry host');
  const registry = name.slice(0, slash);
  let path = name.slice(slash + 1);
  let tag: string | undefined;
  const colon = path.lastIndexOf(':');
  if (colon >= 0) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!TAG.test(tag)) throw bad(`the tag "${tag}" is not valid`);
  }
  if (!REPOSITORY.test(path)) throw bad(`the repository "${path}" is not valid`);
  if (!tag && !digest) throw bad('neither a tag nor a digest');
  return { registry, repository: path, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

export function formatReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}
