import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#domain/keys';
import type { DeliveryLog } from '#domain/ports';
import { epochSeconds } from '#domain/dates';

/** Delivery marks expire after 30 days (DynamoDB TTL); stores retry for far less than that. */
const DELIVERY_RETENTION_SECONDS = 30 * 24 * 3600;

export function dynamoDeliveryLog(client: DynamoDBDocumentClient, tableName: string): DeliveryLog {
  return {
    async has(source, deliveryId) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.webhookDelivery(source, deliveryId), ConsistentRead: true }));
      return Item !== undefined;
    },
    async record(source, deliveryId, at) {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...keys.webhookDelivery(source, deliveryId),
            entityType: 'WebhookDelivery',
            receivedAt: at.toISOString(),
            expiresAt: epochSeconds(at) + DELIVERY_RETENTION_SECONDS,
          },
        }),
      );
    },
  };
}
