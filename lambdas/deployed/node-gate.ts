// The deployed `mc-node-gate`: the unchanged handler, instrumented.
import { createHandler } from '../node-gate.js';
import { awsDeps } from '../support/aws-deps.js';
import { instrumented } from '../support/powertools.js';

export const handler = instrumented('mc-node-gate', createHandler(awsDeps));
