import { Metrics } from '@aws-lambda-powertools/metrics';
import { meterSink } from '#adapters/metering';
import { logger } from './logger.ts';
import { byDimensions, METRICS_NAMESPACE, METRICS_SERVICE, type MetricPoint } from './metrics.ts';

/**
 * One metrics client per function instance, for the functions that emit business metrics; the namespace is shared
 * so dashboards see one product. The logger is `./logger.ts` (re-exported here), so a function that only logs
 * neither bundles nor builds a metrics client.
 */
export { logger };

/** Powertools Metrics' "nothing to publish" when an invocation caused no business event (a duplicate, a replay). */
const NOTHING_TO_PUBLISH = 'No application metrics to publish';
const say = (level: 'debug' | 'info' | 'warn' | 'error') => (...content: unknown[]) => logger[level](content.map(String).join(' '));

/**
 * Metrics' own diagnostics go through our logger (its level, its JSON), as Powertools allows; "nothing to
 * publish" is expected for most calls of an emitting handler, so it is debug rather than a warning every time.
 */
export const metricsDiagnostics = {
  trace: say('debug'),
  debug: say('debug'),
  info: say('info'),
  warn: (...content: unknown[]) => (String(content[0]).startsWith(NOTHING_TO_PUBLISH) ? say('debug') : say('warn'))(...content),
  error: say('error'),
};

/**
 * EMF to stdout, flushed by the `logMetrics` middleware of each emitting handler. Off where POWERTOOLS_METRICS_DISABLED
 * is true: the local runtime (`local/function-environment.ts`) and the tests (`vitest.config.ts`).
 */
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE, serviceName: METRICS_SERVICE, logger: metricsDiagnostics });

/**
 * Records business metrics of the catalogue (`#shared/metrics`). EMF gives one document one set of dimension values,
 * so each group of values is one document: a group flushes whatever is stored before it, and the handler's
 * `logMetrics` flushes the last one when it returns or throws. Emitting handlers call this once their use case returned.
 */
export function recordMetrics(points: readonly MetricPoint[]): void {
  // Metrics are disabled locally; the embedded runtime's meter still counts what they would cost on AWS.
  meterSink()?.metricPoints(points);
  for (const group of byDimensions(points)) {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    for (const [name, value] of Object.entries(group.dimensions)) metrics.addDimension(name, value);
    for (const { metric, value } of group.metrics) metrics.addMetric(metric.name, metric.unit, value);
  }
}
