export { EvidenceStore } from './evidence-store.js';
export { BUILD_EVIDENCE_DIR, EVIDENCE, IMAGE_EVIDENCE, SIGNED_SUFFIX } from './keys.js';
export type { RunOpening } from './run-opening.js';
export { writeRunOpening } from './run-opening.js';
