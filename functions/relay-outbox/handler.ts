import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { relayPendingInvoicingRequests } from '#domain/use-cases/relay-invoicing';
import { logger } from '#shared/logger';
import { invoicingRelay } from '#shared/wiring';

const deps = invoicingRelay();

/**
 * EventBridge Scheduler, every minute (locally: at start and every minute): sends the invoicing requests whose
 * shipment was recorded but whose sender died before the queue had them. Usually there are none.
 */
export const handler = middy(async () => {
  const summary = await relayPendingInvoicingRequests(deps);
  if (summary.relayed > 0) logger.warn('invoicing requests relayed from the outbox', summary);
  return summary;
}).use(injectLambdaContext(logger));
