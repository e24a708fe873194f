export { EvidenceStore } from './evidence-store.js';
export { EVIDENCE } from './keys.js';
