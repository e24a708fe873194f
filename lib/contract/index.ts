export type { ErrorName } from './errors.js';
export { ActionError, ERROR_NAMES } from './errors.js';
export { parsePayload } from './schemas.js';
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
export { evidenceLocation, evidencePrefix, FINAL_NODE_STATUSES, parseEvidenceUri, NODE_STATUSES, RUN_STATUSES } from './run.js';
export type { PayloadKind } from './schemas.js';
