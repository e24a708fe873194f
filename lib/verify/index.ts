export { VerifyError } from './errors.js';
export type { VerifiedBundle, VerifyArtifact, VerifyOptions } from './verify-bundle.js';
export { verifyBundle } from './verify-bundle.js';
