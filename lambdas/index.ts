import type { AdmissionDeps } from '../lib/admission/index.js';
import type { RunDeps } from '../lib/run/index.js';
import { PIPELINE_FUNCTIONS, type PipelineFunction } from '../statemachines/pipeline/resources.js';
import { IMAGE_FUNCTIONS, type ImageFunction } from '../statemachines/verify-image/resources.js';
import { createHandler as action } from './action.js';
import { createHandler as nodeGate } from './node-gate.js';
import { createHandler as nodeSignal } from './node-signal.js';
import { createHandler as promoteImage } from './promote-image.js';
import { createHandler as runFinish } from './run-finish.js';
import { createHandler as runStart } from './run-start.js';
import { createHandler as verifyImage } from './verify-image.js';

export type Handler = (event: unknown) => Promise<unknown>;

/** The pipeline functions' handlers, by deployed function name, bound to the given clients. */
export function platformHandlers(deps: () => RunDeps): Record<string, Handler> {
  const factories: Record<PipelineFunction, (d: () => RunDeps) => Handler> = {
    runStart,
    nodeGate,
    nodeSignal,
    runFinish,
    action,
  };
  return Object.fromEntries(
    Object.entries(factories).map(([fn, create]) => [
      PIPELINE_FUNCTIONS[fn as PipelineFunction],
      create(deps),
    ]),
  );
}

/** The image functions' handlers, by deployed function name, bound to the given clients. */
export function imageHandlers(deps: () => AdmissionDeps): Record<string, Handler> {
  const factories: Record<ImageFunction, (d: () => AdmissionDeps) => Handler> = { verifyImage, promoteImage };
  return Object.fromEntries(
    Object.entries(factories).map(([fn, create]) => [IMAGE_FUNCTIONS[fn as ImageFunction], create(deps)]),
  );
}
