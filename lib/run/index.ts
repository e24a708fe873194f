export { beginAttempt, failAttempt, succeedAttempt } from './attempt.js';
export { decide } from './decide.js';
export { failedNodeOf, failureCause } from './failure.js';
export { completeNode, gate, releaseDependents, signal } from './gate.js';
export { finishRun, startRun } from './lifecycle.js';
export type { AttemptStart } from './attempt.js';
export type { RunDeps } from './deps.js';
export type { RunSummary } from './lifecycle.js';
