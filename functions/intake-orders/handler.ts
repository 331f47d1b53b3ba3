import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { documentClient, dynamoClient, sfnClient } from '#adapters/aws-clients';
import { dynamoOrderStore } from '#adapters/order-store';
import { stepFunctionsWorkflows } from '#adapters/workflows';
import { keys } from '#domain/keys';
import { acceptOrder } from '#domain/use-cases/accept-order';
import { OrderDelivered } from '#schemas/messages';
import { businessClock } from '#shared/clock';
import { ulids } from '#shared/ids';
import { loadConfig, requiredName } from '#shared/config';
import { logger } from '#shared/observability';

const config = loadConfig({ TABLE_NAME: requiredName, ORDER_STATE_MACHINE_ARN: requiredName });
const deps = {
  orders: dynamoOrderStore(documentClient(), config.TABLE_NAME),
  workflows: stepFunctionsWorkflows(sfnClient(), config.ORDER_STATE_MACHINE_ARN),
  clock: businessClock,
  ids: ulids,
};

const idempotency = new IdempotencyConfig({ eventKeyJmesPath: '[order.source, deliveryId]' });
const acceptOnce = makeIdempotent((message: OrderDelivered) => acceptOrder(message, deps), {
  persistenceStore: new DynamoDBPersistenceLayer({
    tableName: config.TABLE_NAME,
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    staticPkValue: keys.idempotencyPartition('intake-orders'),
    expiryAttr: 'expiresAt',
    awsSdkV3Client: dynamoClient(),
  }),
  config: idempotency,
});

const processor = new BatchProcessor(EventType.SQS);
const processRecord = async (record: SQSRecord) => acceptOnce(OrderDelivered.parse(JSON.parse(record.body)));

/** Orders queue consumer: each message stored once; failures are reported per message so one never blocks the batch. */
export const handler = middy(async (event: SQSEvent, context: Context) => {
  idempotency.registerLambdaContext(context);
  return processPartialResponse(event, processRecord, processor, { context });
}).use(injectLambdaContext(logger));
