import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { METRICS_NAMESPACE } from '../../lambdas/support/powertools.js';
import type { EnvName } from '../plan/index.js';

/** A count the platform functions publish (lambdas/deployed/*.ts), summed per period. */
export function platformCount(
  env: EnvName,
  service: string,
  name: string,
  period = Duration.minutes(5),
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service, environment: env },
    statistic: 'Sum',
    period,
  });
}

/** Every series of a metric whatever its extra dimensions (e.g. NodeFailures by stage). */
export function platformSearch(
  env: EnvName,
  name: string,
  statistic: string,
  label: string,
): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE}} MetricName="${name}" environment="${env}"', '${statistic}', 300)`,
    label,
    period: Duration.minutes(5),
  });
}
