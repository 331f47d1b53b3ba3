import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#domain/keys';
import type { Receivables } from '#domain/ports';

const DAY_MS = 86_400_000;

/**
 * Open invoices of a customer, read from its gsi1 collection (`INVOICE#…` items, written by invoicing). Until
 * invoicing exists there are none, and no customer is overdue.
 */
export function dynamoReceivables(client: DynamoDBDocumentClient, tableName: string): Receivables {
  return {
    async oldestOverdueDays(customerId, today) {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
          FilterExpression: 'openMinor > :zero AND dueDate < :today',
          ExpressionAttributeValues: { ':pk': keys.customerPartition(customerId), ':prefix': 'INVOICE#', ':zero': 0, ':today': today.toISOString().slice(0, 10) },
          ProjectionExpression: 'dueDate',
        }),
      );
      const dueDates = Items.map((item) => Date.parse(String(item.dueDate)));
      if (dueDates.length === 0) return 0;
      return Math.floor((today.getTime() - Math.min(...dueDates)) / DAY_MS);
    },
  };
}
