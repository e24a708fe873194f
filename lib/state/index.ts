export { documentClient } from './dynamo.js';
export { StateError } from './errors.js';
export type {
  ImageCheck,
  ImageHistoryRecord,
  ImageReasonRecord,
  ImageRecord,
  ImageVerificationRecord,
  PromotabilityRecord,
  PromotionRecord,
} from './image-records.js';
export { ImageStore } from './image-store.js';
export type { NodeRecord, RunRecord, WaiterRecord } from './records.js';
export type { AttemptJournal, BegunAttempt } from './run-mirror.js';
export { StateStore } from './state-store.js';
export { KEYS, STATE_TABLE_SCHEMA, TTL_ATTRIBUTE } from './table.js';
export { WaiverStore } from './waiver-store.js';
