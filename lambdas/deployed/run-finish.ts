// The deployed `mc-run-finish`: the unchanged handler, instrumented. A run's end counts once per
// status, and each failed node once under its stage.
import type { RunFinishResult } from '../../lib/contract/index.js';
import { createHandler } from '../run-finish.js';
import { awsDeps } from '../support/aws-deps.js';
import { count, instrumented } from '../support/powertools.js';

export const handler = instrumented('mc-run-finish', createHandler(awsDeps), (metrics, { result }) => {
  const finished = result as RunFinishResult | undefined;
  if (!finished) return;
  count(metrics, finished.status === 'SUCCEEDED' ? 'RunsSucceeded' : 'RunsFailed');
  for (const node of finished.failedNodes) count(metrics, 'NodeFailures', ['stage', node.split('/')[0]]);
});
