import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { buckets, deadLetterQueueOf, deadLetterQueues, queues, table, type QueueKey } from '#shared/topology';
import type { QueueAddress } from './sqs-pollers.ts';

/** Creates the single table as CDK does (keys, gsi1, stream, TTL); a second run leaves the existing table alone. */
export async function provisionTable(client: DynamoDBClient): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table.localName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: table.partitionKey, AttributeType: 'S' },
          { AttributeName: table.sortKey, AttributeType: 'S' },
          ...table.globalIndexes.flatMap((index) => [
            { AttributeName: index.partitionKey, AttributeType: 'S' as const },
            { AttributeName: index.sortKey, AttributeType: 'S' as const },
          ]),
        ],
        KeySchema: [
          { AttributeName: table.partitionKey, KeyType: 'HASH' },
          { AttributeName: table.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: table.globalIndexes.map(indexDefinition),
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    await addMissingIndexes(client);
  }
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: table.localName }));
  if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED')
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: table.localName, TimeToLiveSpecification: { Enabled: true, AttributeName: table.ttlAttribute } }),
    );
}

type IndexSpec = (typeof table.globalIndexes)[number];

function indexDefinition(index: IndexSpec) {
  return {
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: index.projection === 'ALL' ? { ProjectionType: 'ALL' as const } : { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.projection] },
  };
}

/** A data directory from an older version lacks the indexes added since; they are created (and filled) here. */
async function addMissingIndexes(client: DynamoDBClient): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table.localName }));
  const existing = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of table.globalIndexes.filter((candidate) => !existing.has(candidate.name))) {
    await client.send(
      new UpdateTableCommand({
        TableName: table.localName,
        AttributeDefinitions: [
          { AttributeName: index.partitionKey, AttributeType: 'S' },
          { AttributeName: index.sortKey, AttributeType: 'S' },
        ],
        GlobalSecondaryIndexUpdates: [{ Create: indexDefinition(index) }],
      }),
    );
  }
}

export async function provisionBuckets(client: S3Client): Promise<void> {
  for (const bucket of Object.values(buckets)) {
    try {
      await client.send(new CreateBucketCommand({ Bucket: bucket.localName }));
    } catch (error) {
      const name = (error as Error).name;
      if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
    }
  }
}

/** Each queue with its DLQ and redrive policy, as CDK declares them. `visibilityOverride` shortens retries in tests. */
export async function provisionQueues(client: SQSClient, visibilityOverride?: number): Promise<Record<string, QueueAddress>> {
  const addresses: Record<string, QueueAddress> = {};
  for (const [key, spec] of Object.entries(queues) as [QueueKey, (typeof queues)[QueueKey]][]) {
    const fifo = 'fifo' in spec && spec.fifo === true;
    const fifoAttributes: Record<string, string> = fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : {};
    const dlqSpec = deadLetterQueueOf(key);
    const dlq = await createQueue(client, dlqSpec.localName, { ...fifoAttributes, MessageRetentionPeriod: String(14 * 24 * 3600) });
    const main = await createQueue(client, spec.localName, {
      ...fifoAttributes,
      VisibilityTimeout: String(visibilityOverride ?? spec.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(spec.retentionDays * 24 * 3600),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: spec.maxReceiveCount }),
    });
    addresses[key] = main;
    addresses[`${key}Dlq`] = dlq;
    addresses[dlqSpec.name] = dlq;
  }
  // The dead-letter queues no work queue feeds (async failures, schedules) exist too, so every function sees the
  // queue URLs CDK gives it; locally nothing puts messages in them but a person or a test.
  for (const spec of deadLetterQueues.filter((candidate) => !addresses[candidate.name]))
    addresses[spec.name] = await createQueue(client, spec.localName, { MessageRetentionPeriod: String(14 * 24 * 3600) });
  return addresses;
}

async function createQueue(client: SQSClient, name: string, attributes: Record<string, string>): Promise<QueueAddress> {
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}
