import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#domain/keys';
import type { Receivables } from '#domain/ports';

const DAY_MS = 86_400_000;

/**
 * Open invoices of a customer, read from its gsi1 collection (`INVOICE#…` items, written by invoicing). Until
 * invoicing exists there are none, and no customer is overdue.
 */
export function dynamoReceivables(client: DynamoDBDocumentClient, tableName: string): Receivables {
  const overdue = async (customerId: string, today: Date, projection: string, options: { withDisputed: boolean }) => {
    const { Items = [] } = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
        FilterExpression: `openMinor > :zero AND dueDate < :today${options.withDisputed ? '' : ' AND #status <> :disputed'}`,
        ExpressionAttributeValues: {
          ':pk': keys.customerPartition(customerId),
          ':prefix': 'INVOICE#',
          ':zero': 0,
          ':today': today.toISOString().slice(0, 10),
          ...(options.withDisputed ? {} : { ':disputed': 'DISPUTED' }),
        },
        ...(options.withDisputed ? {} : { ExpressionAttributeNames: { '#status': 'status' } }),
        ProjectionExpression: projection,
      }),
    );
    return Items;
  };
  return {
    async overdueInvoiceIds(customerId, today) {
      // A disputed invoice is paused in collections: it does not keep a collections credit hold in place.
      return (await overdue(customerId, today, 'id', { withDisputed: false })).map((item) => String(item.id));
    },

    async oldestOverdueDays(customerId, today) {
      const Items = await overdue(customerId, today, 'dueDate', { withDisputed: true });
      const dueDates = Items.map((item) => Date.parse(String(item.dueDate)));
      if (dueDates.length === 0) return 0;
      return Math.floor((today.getTime() - Math.min(...dueDates)) / DAY_MS);
    },
  };
}
