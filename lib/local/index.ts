export type { LocalBackend } from './backend.js';
export {
  backendClients,
  LOCAL_BUCKET,
  LOCAL_TABLE,
  LocalBackendError,
  localRunDeps,
  openLocalBackend,
} from './backend.js';
export type { LocalRunOptions } from './engine.js';
export { runLocally } from './engine.js';
export { evidenceEventSink, LOCAL_EVENTS_PREFIX } from './event-sink.js';
export { githubContext } from './github-context.js';
export type { EventSink, ImageMachineOptions, ImageMachineRun, PutEventsEntry } from './image-machine.js';
export { runImageMachine } from './image-machine.js';
export type { RunEvent, RunObserver } from './observer.js';
export type { BuildParameters, ProcessRunnerOptions } from './process-runner.js';
export { liveLogPath, ProcessRunner, safe } from './process-runner.js';
export type { LocalRunRequest, LocalRunResult } from './run-pipeline.js';
export { LocalRunError, newRunId, runPipelineLocally } from './run-pipeline.js';
