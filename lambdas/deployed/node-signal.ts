// The deployed `mc-node-signal`: the unchanged handler, instrumented.
import { createHandler } from '../node-signal.js';
import { awsDeps } from '../support/aws-deps.js';
import { instrumented } from '../support/powertools.js';

export const handler = instrumented('mc-node-signal', createHandler(awsDeps));
