import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { documentClient, sqsClient } from '#adapters/aws-clients';
import { dynamoDeliveryLog } from '#adapters/order-store';
import { sqsOrderQueue } from '#adapters/order-queue';
import { readSecret } from '#adapters/secrets';
import { receiveGenericOrder } from '#domain/use-cases/receive-generic-order';
import { businessClock, wallClock } from '#shared/clock';
import { loadConfig, requiredName } from '#shared/config';
import { header, httpErrors, json, rawBody } from '#shared/http';
import { logger } from '#shared/observability';

const config = loadConfig({ TABLE_NAME: requiredName, ORDERS_QUEUE_URL: requiredName });
const deliveries = dynamoDeliveryLog(documentClient(), config.TABLE_NAME);
const queue = sqsOrderQueue(sqsClient(), config.ORDERS_QUEUE_URL);

/** `POST /webhooks/orders`: 202 once the order is safely queued (or was already), 4xx with a reason otherwise. */
export const handler = middy(async (event: APIGatewayProxyEventV2) => {
  const outcome = await receiveGenericOrder(
    { rawBody: rawBody(event), signatureHeader: header(event, 'x-o2c-signature') },
    { secret: await readSecret('webhook'), wallClock, clock: businessClock, deliveries, queue },
  );
  return json(202, outcome);
})
  .use(injectLambdaContext(logger))
  .use(httpErrors());
