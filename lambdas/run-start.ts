import { parsePayload, type RunStartPayload } from '../lib/contract/index.js';
import { type RunDeps, startRun } from '../lib/run/index.js';
import { awsDeps } from './support/aws-deps.js';

/** `Start run`: records the run. */
export const createHandler = (deps: () => RunDeps) => async (event: unknown) => {
  const { run } = parsePayload<RunStartPayload>('runStart', event);
  await startRun(deps(), run);
  return { runId: run.runId };
};

export const handler = createHandler(awsDeps);
