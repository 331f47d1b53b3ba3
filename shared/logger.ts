import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One logger per function instance. The service name comes from POWERTOOLS_SERVICE_NAME (set per function by CDK).
 * Apart from the metrics clients (`./observability.ts`) so a function that only logs bundles and builds only this.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'o2c' });
