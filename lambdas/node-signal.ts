import { parsePayload, type SignalPayload } from '../lib/contract/index.js';
import { type RunDeps, signal } from '../lib/run/index.js';
import { awsDeps } from './support/aws-deps.js';

/** `<node> | skipped` / `<node> | failed`: records the status and releases the nodes waiting for it. */
export const createHandler = (deps: () => RunDeps) => async (event: unknown) => {
  await signal(deps(), parsePayload<SignalPayload>('signal', event));
  return {};
};

export const handler = createHandler(awsDeps);
