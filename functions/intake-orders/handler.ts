import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { dynamoClient } from '#adapters/aws-clients';
import { keys } from '#domain/keys';
import { acceptOrder } from '#domain/use-cases/accept-order';
import { cancelStoreOrder } from '#domain/use-cases/release-order';
import { IntakeMessage } from '#schemas/messages';
import { loadConfig, requiredName } from '#shared/config';
import { logger } from '#shared/logger';
import { creditPolicy } from '#shared/policy-wiring';
import { orderWorkflows, tableDeps } from '#shared/wiring';

const { TABLE_NAME } = loadConfig({ TABLE_NAME: requiredName });
const deps = { ...tableDeps(), workflows: orderWorkflows(), policy: creditPolicy() };

const idempotency = new IdempotencyConfig({ eventKeyJmesPath: '[kind, deliveryId, order.source || source]' });
const processOnce = makeIdempotent(
  (message: IntakeMessage) => (message.kind === 'cancellation' ? cancelStoreOrder(message, deps) : acceptOrder(message, deps)),
  {
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: TABLE_NAME,
      keyAttr: 'pk',
      sortKeyAttr: 'sk',
      staticPkValue: keys.idempotencyPartition('intake-orders'),
      expiryAttr: 'expiresAt',
      awsSdkV3Client: dynamoClient(),
    }),
    config: idempotency,
  },
);

const processor = new BatchProcessor(EventType.SQS);
const processRecord = async (record: SQSRecord) => processOnce(IntakeMessage.parse(JSON.parse(record.body)));

/** Orders queue consumer: each message applied once; failures are reported per message so one never blocks the batch. */
export const handler = middy(async (event: SQSEvent, context: Context) => {
  idempotency.registerLambdaContext(context);
  return processPartialResponse(event, processRecord, processor, { context });
}).use(injectLambdaContext(logger));
