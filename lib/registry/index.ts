export type { EcrTokenSource, RegistryAuth } from './auth.js';
export { anonymous, basicAuth, ecrAuth, parseBearerChallenge } from './auth.js';
export type { Descriptor, Manifest, RegistryClientOptions } from './client.js';
export { fallbackTag, RegistryClient, sha256Digest } from './client.js';
export { copyImage } from './copy.js';
export { RegistryError } from './errors.js';
export { isIndex, MANIFEST_ACCEPT, MEDIA_TYPES } from './media-types.js';
export type { ImageReference } from './reference.js';
export { formatReference, parseReference } from './reference.js';
