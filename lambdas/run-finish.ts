import { parsePayload, type RunFinishPayload } from '../lib/contract/index.js';
import { finishRun, type RunDeps } from '../lib/run/index.js';
import { awsDeps } from './support/aws-deps.js';

/** `Finish run` / `Record failure`: settles every node, derives the run's status, writes the summary. */
export const createHandler = (deps: () => RunDeps) => async (event: unknown) =>
  finishRun(deps(), parsePayload<RunFinishPayload>('runFinish', event));

export const handler = createHandler(awsDeps);
