export { VerifyError } from './errors.js';
export type { ProvenanceFacts } from './provenance-facts.js';
export { provenanceFacts } from './provenance-facts.js';
export type { VerifiedBundle, VerifyArtifact, VerifyOptions } from './verify-bundle.js';
export { bundleSignerType, verifyBundle } from './verify-bundle.js';
