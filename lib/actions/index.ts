export type { ActionRuntime, ActionSpec } from './registry.js';
export { actionSpec, actionSpecs } from './registry.js';
export type { BuiltinAction } from './run-action.js';
export { runAction } from './run-action.js';
