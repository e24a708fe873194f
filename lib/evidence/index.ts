export { EvidenceStore } from './evidence-store.js';
export { BUILD_EVIDENCE_DIR, EVIDENCE } from './keys.js';
