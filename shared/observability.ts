import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One logger and one metrics client per function instance. The service name comes from
 * POWERTOOLS_SERVICE_NAME (set per function by CDK); the namespace is shared so dashboards see one product.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'o2c' });
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'O2C', serviceName: 'o2c' });
