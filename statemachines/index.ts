export { AslError, assemble, MAX_STATE_NAME } from './asl/graph.js';
export type { HistoryModel } from './asl/history.js';
export { eventsOfState, expectedEvents, modelHistory } from './asl/history.js';
export type { Json, State, StateMachineDefinition, TaskState } from './asl/types.js';
export { WORKSPACE_TOOL } from './pipeline/buildspec.js';
export {
  compilePipeline,
  definitionSizeWarning,
  MAX_BRANCHES,
  MAX_DEFINITION_BYTES,
  TOP_STATES,
} from './pipeline/compile.js';
export type { NodeStateRole } from './pipeline/names.js';
export { stateName } from './pipeline/names.js';
export type { PipelineFunction, PlatformFunction, StageCompute } from './pipeline/resources.js';
export {
  FUNCTIONS,
  functionName,
  LAMBDA_COMPUTE_LIMIT_SECONDS,
  PIPELINE_FUNCTIONS,
  RESOURCES,
  STAGE_RUNNER_PROJECT,
  STAGE_RUNNER_PROJECTS,
} from './pipeline/resources.js';
export { aslToMermaid } from './render/mermaid.js';
export { compileVerifyImage } from './verify-image/compile.js';
export type { ImageFunction } from './verify-image/resources.js';
export { EVENT_SOURCE, IMAGE_EVENTS, IMAGE_FUNCTIONS, PUT_EVENTS } from './verify-image/resources.js';
