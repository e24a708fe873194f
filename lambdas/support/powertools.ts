import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** The CloudWatch namespace of the platform's own metrics (the dashboard and alarms read it). */
export const METRICS_NAMESPACE = 'MaestroConductor';

export type PlatformHandler = (event: unknown) => Promise<unknown>;
type LambdaContext = Parameters<Logger['addContext']>[0];

/** What an invocation ended with, for the metrics a function reports. */
export interface Outcome {
  readonly event: Record<string, unknown>;
  readonly result?: unknown;
  readonly error?: Error;
}

/** Adds the metrics one invocation stands for. */
export type MetricsOf = (metrics: Metrics, outcome: Outcome) => void;

/**
 * The handler as deployed: Powertools logs (JSON, with `run_id`, `stage` and `env`), EMF metrics
 * and an X-Ray subsegment around the unchanged handler. The handler's result and errors pass
 * through untouched, so the state machine sees exactly what the local engine sees.
 */
export function instrumented(service: string, handler: PlatformHandler, metricsOf?: MetricsOf) {
  const env = process.env.MC_ENV ?? 'unknown';
  const logger = new Logger({ serviceName: service, persistentKeys: { env } });
  const metrics = new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: service,
    defaultDimensions: { environment: env },
  });
  const tracer = new Tracer({ serviceName: service });
  return async (event: unknown, context: LambdaContext): Promise<unknown> => {
    const fields = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
    logger.addContext(context);
    logger.appendKeys({ run_id: runIdOf(fields), stage: stageOf(fields) });
    const parent = tracer.getSegment();
    const segment = parent?.addNewSubsegment(`## ${service}`);
    if (segment) tracer.setSegment(segment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    try {
      const result = await handler(event);
      metricsOf?.(metrics, { event: fields, result });
      return result;
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      tracer.addErrorAsMetadata(failure);
      logger.error('invocation failed', failure);
      metricsOf?.(metrics, { event: fields, error: failure });
      throw error;
    } finally {
      segment?.close();
      if (parent) tracer.setSegment(parent);
      metrics.publishStoredMetrics();
      logger.removeKeys(['run_id', 'stage']);
    }
  };
}

/** One count, with an extra dimension when given (a single-metric EMF document of its own). */
export function count(metrics: Metrics, name: string, dimension?: [string, string]): void {
  if (!dimension) {
    metrics.addMetric(name, MetricUnit.Count, 1);
    return;
  }
  const single = metrics.singleMetric();
  single.addDimension(dimension[0], dimension[1]);
  single.addMetric(name, MetricUnit.Count, 1);
}

function runIdOf(event: Record<string, unknown>): string | undefined {
  const run = event.run as { runId?: unknown } | undefined;
  const id = event.runId ?? run?.runId;
  return typeof id === 'string' ? id : undefined;
}

function stageOf(event: Record<string, unknown>): string | undefined {
  return typeof event.node === 'string' ? event.node.split('/')[0] : undefined;
}
