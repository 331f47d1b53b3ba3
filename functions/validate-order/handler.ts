import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { documentClient } from '#adapters/aws-clients';
import { dynamoCatalogue, dynamoOrderStore } from '#adapters/order-store';
import { validateOrder } from '#domain/use-cases/validate-order';
import { OrderWorkflowInput } from '#schemas/messages';
import { businessClock } from '#shared/clock';
import { ulids } from '#shared/ids';
import { loadConfig, requiredName } from '#shared/config';
import { logger } from '#shared/observability';

const config = loadConfig({ TABLE_NAME: requiredName });
const deps = {
  orders: dynamoOrderStore(documentClient(), config.TABLE_NAME),
  catalogue: dynamoCatalogue(documentClient(), config.TABLE_NAME),
  clock: businessClock,
  ids: ulids,
};

/** Order workflow task `ValidateOrder`: returns `{orderId, status, reasons}` for the next Choice state. */
export const handler = middy(async (event: unknown) => validateOrder(OrderWorkflowInput.parse(event).orderId, deps)).use(
  injectLambdaContext(logger),
);
