import { type GatePayload, parsePayload } from '../lib/contract/index.js';
import { gate, type RunDeps } from '../lib/run/index.js';
import { awsDeps } from './support/aws-deps.js';

/** `<node> | wait`: registers the task token; the node's dependencies (or this call) release it. */
export const createHandler = (deps: () => RunDeps) => async (event: unknown) => {
  await gate(deps(), parsePayload<GatePayload>('gate', event));
  return {};
};

export const handler = createHandler(awsDeps);
