export { LocalTaskTokens, LocalTokenCancelled } from './local-task-tokens.js';
export { SfnTaskTokens } from './sfn-task-tokens.js';
export type { TaskTokens } from './task-tokens.js';
