export type { CollectedImage, ImageAttachment } from './collect.js';
export { collectImage } from './collect.js';
export type { ImageDecision, ImageDecisionOptions, ImageReason } from './decide.js';
export { decideImage } from './decide.js';
export { ImageError } from './errors.js';
export type { ImagePredicate } from './predicates.js';
export { IMAGE_PREDICATES, imageStatement } from './predicates.js';
export type { SignedImage } from './sign-image.js';
export { imageDescriptor, signImage } from './sign-image.js';
