export { AslError, assemble, MAX_STATE_NAME } from './asl/graph.js';
export { eventsOfState, expectedEvents, type HistoryModel, modelHistory } from './asl/history.js';
export type { Json, State, StateMachineDefinition, TaskState } from './asl/types.js';
export { WORKSPACE_TOOL } from './pipeline/buildspec.js';
export { compilePipeline, MAX_BRANCHES, TOP_STATES } from './pipeline/compile.js';
export type { NodeStateRole } from './pipeline/names.js';
export { stateName } from './pipeline/names.js';
export { FUNCTIONS, functionName, RESOURCES, STAGE_RUNNER_PROJECT } from './pipeline/resources.js';
export { aslToMermaid } from './render/mermaid.js';
