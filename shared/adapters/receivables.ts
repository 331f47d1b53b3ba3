import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { daysBetween } from '#domain/dates';
import { keys } from '#domain/keys';
import type { Receivables } from '#domain/ports';

/**
 * A customer's overdue invoices, read from its gsi1 collection (`INVOICE#<dueDate>#<id>` items, written by
 * invoicing). The key condition reads only invoices due before today, oldest first, and every page is followed
 * (`LastEvaluatedKey`): DynamoDB stops a page at 1 MB read *before* the filter, so a long-lived customer's paid
 * invoices could otherwise fill the first page and hide an overdue one behind it. `pageSize` (DynamoDB's `Limit`)
 * is there for tests; unset, DynamoDB pages at 1 MB.
 */
export function dynamoReceivables(client: DynamoDBDocumentClient, tableName: string, options: { pageSize?: number | undefined } = {}): Receivables {
  async function* overdue(customerId: string, today: Date, projection: string, withDisputed: boolean) {
    const day = today.toISOString().slice(0, 10);
    let cursor: Record<string, unknown> | undefined;
    do {
      const response = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          // `INVOICE#<day>` sorts before every invoice due on that day: the range ends with those due the day before.
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :before',
          FilterExpression: `openMinor > :zero${withDisputed ? '' : ' AND #status <> :disputed'}`,
          ExpressionAttributeValues: {
            ':pk': keys.customerPartition(customerId),
            ':from': keys.invoicesOfCustomerPrefix,
            ':before': `${keys.invoicesOfCustomerPrefix}${day}`,
            ':zero': 0,
            ...(withDisputed ? {} : { ':disputed': 'DISPUTED' }),
          },
          ...(withDisputed ? {} : { ExpressionAttributeNames: { '#status': 'status' } }),
          ProjectionExpression: projection,
          Limit: options.pageSize,
          ExclusiveStartKey: cursor,
        }),
      );
      yield response.Items ?? [];
      cursor = response.LastEvaluatedKey;
    } while (cursor);
  }

  return {
    async overdueInvoiceIds(customerId, today) {
      // A disputed invoice is paused in collections: it does not keep a collections credit hold in place.
      const ids: string[] = [];
      for await (const items of overdue(customerId, today, 'id', false)) ids.push(...items.map((item) => String(item.id)));
      return ids;
    },

    async oldestOverdueDays(customerId, today) {
      // Oldest due date first: the first open invoice found is the oldest, and the reading stops there.
      for await (const items of overdue(customerId, today, 'dueDate', true)) {
        const first = items[0];
        if (first) return daysBetween(String(first.dueDate), today.toISOString().slice(0, 10));
      }
      return 0;
    },
  };
}
