// The deployed `mc-promote-image`: the unchanged handler, instrumented. Promotions and blocks
// count, and a new promotion reports how long it took from the push (the dashboard's latency).

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { PromoteOutcome } from '../../lib/admission/index.js';
import { createHandler } from '../promote-image.js';
import { admissionDeps } from '../support/admission-deps.js';
import { count, instrumented } from '../support/powertools.js';

export const handler = instrumented(
  'mc-promote-image',
  createHandler(admissionDeps),
  (metrics, { result }) => {
    const promoted = result as Pick<PromoteOutcome, 'outcome' | 'detail'> | undefined;
    if (!promoted) return;
    if (promoted.outcome === 'blocked') {
      count(metrics, 'PromotionBlocked');
      return;
    }
    count(metrics, 'ImagePromoted');
    const { at, pushedAt } = promoted.detail as { at: string; pushedAt?: string };
    if (pushedAt)
      metrics.addMetric('PromotionLatency', MetricUnit.Milliseconds, Date.parse(at) - Date.parse(pushedAt));
  },
);
