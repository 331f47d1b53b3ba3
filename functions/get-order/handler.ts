import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { documentClient } from '#adapters/aws-clients';
import { dynamoOrderStore } from '#adapters/order-store';
import { getOrder } from '#domain/use-cases/read-orders';
import { loadConfig, requiredName } from '#shared/config';
import { authorize, httpErrors, json, type HttpEvent } from '#shared/http';
import { logger } from '#shared/observability';
import { findRoute } from '#shared/topology';

const config = loadConfig({ TABLE_NAME: requiredName });
const orders = dynamoOrderStore(documentClient(), config.TABLE_NAME);
const route = findRoute('GET /orders/{id}');

/** `GET /orders/{id}`: the order with its lines, totals, hold reasons and audit history. */
export const handler = middy(async (event: HttpEvent) => {
  authorize(event, route);
  return json(200, await getOrder(event.pathParameters?.id ?? '', { orders }));
})
  .use(injectLambdaContext(logger))
  .use(httpErrors());
