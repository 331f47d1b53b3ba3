import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS_SERVICE, REPORTS_NAMESPACE } from './metrics.ts';
import { metricsDiagnostics } from './observability.ts';

/**
 * The report job's KPIs from the ledger (DSO, match rate), once a day per currency, in their own namespace. Only the
 * report job builds this client, so the other emitting functions do not pay for a second one at cold start.
 */
export const reportsMetrics = new Metrics({ namespace: REPORTS_NAMESPACE, serviceName: METRICS_SERVICE, logger: metricsDiagnostics });
