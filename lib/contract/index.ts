export type { ErrorName } from './errors.js';
export { ActionError, ERROR_NAMES } from './errors.js';
export type { Json } from './json.js';
export type {
  ActionPayload,
  ActionResult,
  GateDecision,
  GatePayload,
  RunFinishPayload,
  RunFinishResult,
  RunStartPayload,
  SignalPayload,
} from './payloads.js';
export type { EvidenceLocation, GithubContext, NodeStatus, RunInput, RunStatus } from './run.js';
export {
  evidenceLocation,
  evidencePrefix,
  FINAL_NODE_STATUSES,
  NODE_STATUSES,
  parseEvidenceUri,
  RUN_STATUSES,
} from './run.js';
export type { PayloadKind } from './schemas.js';
export { parsePayload } from './schemas.js';
