export { EvidenceStore } from './evidence-store.js';
export { BUILD_EVIDENCE_DIR, EVIDENCE, SIGNED_SUFFIX } from './keys.js';
