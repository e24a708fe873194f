export type { AttemptStart } from './attempt.js';
export { beginAttempt, failAttempt, succeedAttempt } from './attempt.js';
export { decide } from './decide.js';
export type { RunDeps } from './deps.js';
export { failedNodeOf, failedNodesOf, failureCause } from './failure.js';
export { completeNode, gate, signal } from './gate.js';
export type { RunSummary } from './lifecycle.js';
export { finishRun, startRun } from './lifecycle.js';
