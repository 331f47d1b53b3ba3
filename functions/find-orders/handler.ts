import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { documentClient } from '#adapters/aws-clients';
import { dynamoOrderStore } from '#adapters/order-store';
import { findOrdersByExternalId } from '#domain/use-cases/read-orders';
import { loadConfig, requiredName } from '#shared/config';
import { authorize, httpErrors, json, type HttpEvent } from '#shared/http';
import { logger } from '#shared/observability';
import { findRoute } from '#shared/topology';

const config = loadConfig({ TABLE_NAME: requiredName });
const orders = dynamoOrderStore(documentClient(), config.TABLE_NAME);
const route = findRoute('GET /orders');

/** `GET /orders?source=&externalId=`: a paginated list (`items`, `cursor`), here of at most one order. */
export const handler = middy(async (event: HttpEvent) => {
  authorize(event, route);
  const query = event.queryStringParameters ?? {};
  return json(200, await findOrdersByExternalId({ source: query.source, externalId: query.externalId }, { orders }));
})
  .use(injectLambdaContext(logger))
  .use(httpErrors());
