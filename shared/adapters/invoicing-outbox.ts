import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#domain/keys';
import type { InvoicingOutbox, PendingInvoicing } from '#domain/ports';
import type { Item } from './dynamo-items.ts';

/**
 * The invoicing outbox on the table: `recordShipment` gives a shipment the sparse `keys.invoicingOutbox` gsi1 keys in
 * the same transaction, and `markSent` removes them once its request is queued.
 */
export function dynamoInvoicingOutbox(client: DynamoDBDocumentClient, tableName: string): InvoicingOutbox {
  return {
    async *pending() {
      let startKey: Item | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': keys.invoicingOutboxPartition },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) yield { orderId: String(item.orderId), carrier: String(item.carrier), trackingNumber: String(item.trackingNumber) } satisfies PendingInvoicing;
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    },

    async markSent(shipment) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.shipment(shipment.orderId, shipment.carrier, shipment.trackingNumber),
          UpdateExpression: 'REMOVE gsi1pk, gsi1sk',
          // Never creates a bare item for a shipment that does not exist.
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    },
  };
}
