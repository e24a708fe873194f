// The deployed `mc-action`: the unchanged handler, instrumented. The supply-chain gate's
// decisions are counted (blocks drive an alarm).
import { ERROR_NAMES } from '../../lib/contract/index.js';
import { createHandler } from '../action.js';
import { awsDeps } from '../support/aws-deps.js';
import { count, instrumented } from '../support/powertools.js';

export const handler = instrumented('mc-action', createHandler(awsDeps), (metrics, { event, error }) => {
  if (event.action !== 'gate') return;
  if (!error) count(metrics, 'GatePassed');
  else if (error.name === ERROR_NAMES.gateBlocked) count(metrics, 'GateBlocked');
});
