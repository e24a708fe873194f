export type { SfnClient } from './client.js';
export { awsErrorName, s3ClientFromEnv, sfnClientFromEnv } from './client.js';
export type { DriftDifference, DriftReport } from './drift.js';
export { compareDefinitions, MAX_DIFFERENCES } from './drift.js';
export type { RemoteErrorCode } from './errors.js';
export { DriftError, RemoteError } from './errors.js';
export { writeRemoteRunOpening } from './evidence.js';
export type { RemoteNode } from './history.js';
export { nodeOutcomes } from './history.js';
export type { ExecutionNameParts, StateMachineTarget } from './names.js';
export {
  evidenceBucketName,
  executionArn,
  executionName,
  MAX_SFN_NAME,
  parseExecutionArn,
  parseStateMachineArn,
  RERUN_TOKEN,
  stateMachineArn,
  stateMachineName,
} from './names.js';
export type { RemoteCall } from './permissions.js';
export { REMOTE_CALLS } from './permissions.js';
export { driftDocument, driftText, startDocument, startText, statusText } from './report.js';
export type { RemoteRunPrepared, RemoteRunRequest } from './run-remote.js';
export { prepareRemoteRun } from './run-remote.js';
export type { RemoteStartRequest, RemoteStartResult } from './start.js';
export { startRemoteRun } from './start.js';
export type { RemoteRunStatus } from './status.js';
export { describeRemoteRun, MAX_HISTORY_PAGES } from './status.js';
export type { RemoteFlags, RemoteTarget } from './target.js';
export { remoteRunInput, rerunId, resolveTarget } from './target.js';
