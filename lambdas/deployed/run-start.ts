// The deployed `mc-run-start`: the unchanged handler, instrumented.
import { createHandler } from '../run-start.js';
import { awsDeps } from '../support/aws-deps.js';
import { count, instrumented } from '../support/powertools.js';

export const handler = instrumented('mc-run-start', createHandler(awsDeps), (metrics, { error }) => {
  if (!error) count(metrics, 'RunsStarted');
});
