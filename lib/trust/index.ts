export { refusedBuilder } from './builders.js';
export { TrustError } from './errors.js';
export type {
  EnvironmentTrust,
  Requirement,
  TrustedBuilder,
  TrustedIdentity,
  TrustedKey,
  TrustPolicy,
} from './trust-policy.js';
export {
  environmentTrust,
  loadTrustPolicy,
  parseTrustPolicy,
  refusedSigner,
  SHIPPED_TRUST_POLICY,
} from './trust-policy.js';
export type { TrustedVerification, TrustedVerifyOptions } from './verify-trusted.js';
export { verifyTrusted } from './verify-trusted.js';
