import { runAction } from '../lib/actions/index.js';
import { type ActionPayload, parsePayload } from '../lib/contract/index.js';
import type { RunDeps } from '../lib/run/index.js';
import { awsDeps } from './support/aws-deps.js';

/** `<node>` for built-in actions: one attempt of the action. */
export const createHandler = (deps: () => RunDeps) => async (event: unknown) =>
  runAction(deps(), parsePayload<ActionPayload>('action', event));

export const handler = createHandler(awsDeps);
