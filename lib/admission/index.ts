export type { AdmissionDeps } from './deps.js';
export { retryableRegistry } from './errors.js';
export { splitImage } from './image-name.js';
export type { BlockedDetail, PromotedDetail, PromoteOutcome, PromotionRequest } from './promote.js';
export { blockedReason, promoteVerified } from './promote.js';
export type { RollbackResult } from './rollback.js';
export { rollback } from './rollback.js';
export type { ImageEventDetail, VerificationRequest, VerifyOutcome } from './verify-image.js';
export { verifyImage, verifyPush } from './verify-image.js';
