import { BatchGetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { cashOnAccountOf, type CashOnAccount } from '#domain/cash-on-account';
import { keys } from '#domain/keys';
import type { Payment } from '#domain/payment';
import type { CashOnAccountReader } from '#domain/ports';
import { withoutKeys, type Item } from './dynamo-items.ts';

const BATCH_GET_LIMIT = 100;

/**
 * A customer's cash on account: the payments that carry the sparse `ONACCOUNT#<customerId>` key on gsi2 (the
 * payment mapper writes it while the payment leaves something unapplied, and a later write without it takes it
 * away). The index is eventually consistent and projects no amounts, so the payments themselves are read back
 * with a consistent batch get and checked again: a payment allocated a moment ago is not shown as cash on account.
 */
export function dynamoCashOnAccount(client: DynamoDBDocumentClient, tableName: string): CashOnAccountReader {
  return {
    async ofCustomer(customerId) {
      const ids: string[] = [];
      let cursor: Record<string, unknown> | undefined;
      do {
        const response = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'gsi2',
            KeyConditionExpression: 'gsi2pk = :pk',
            ExpressionAttributeValues: { ':pk': keys.cashOnAccount(customerId, '', '').gsi2pk },
            ExclusiveStartKey: cursor,
          }),
        );
        for (const item of response.Items ?? []) ids.push(String(item.id));
        cursor = response.LastEvaluatedKey;
      } while (cursor);

      const found: CashOnAccount[] = [];
      for (let start = 0; start < ids.length; start += BATCH_GET_LIMIT) {
        let request: Record<string, { Keys: Item[]; ConsistentRead?: boolean }> | undefined = {
          [tableName]: { Keys: ids.slice(start, start + BATCH_GET_LIMIT).map((id) => keys.payment(id)), ConsistentRead: true },
        };
        while (request && Object.keys(request).length > 0) {
          const response = await client.send(new BatchGetCommand({ RequestItems: request }));
          for (const item of response.Responses?.[tableName] ?? []) {
            const cash = cashOnAccountOf(withoutKeys<Payment>(item));
            if (cash && cash.customerId === customerId) found.push(cash);
          }
          request = response.UnprocessedKeys as typeof request;
        }
      }
      return found.sort((a, b) => (a.bookingDate < b.bookingDate ? -1 : a.bookingDate > b.bookingDate ? 1 : a.paymentId < b.paymentId ? -1 : 1));
    },
  };
}
