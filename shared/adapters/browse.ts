import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Customer } from '#domain/customer';
import { keys } from '#domain/keys';
import type { OrderSource } from '#domain/order';
import type { Dispute, Page } from '#domain/ports';
import type { Browse, SearchHit } from '#domain/use-cases/browse';
import { decodeCursor, encodeCursor, withCursor, withoutKeys, type Item } from './dynamo-items.ts';
import { invoicesOfItems } from './invoice-store.ts';
import { ordersOfItems } from './order-store.ts';

interface ListQuery {
  partition: string;
  /** Sort-key bounds, inclusive, on the date or name the list is ordered by. */
  from?: string | undefined;
  to?: string | undefined;
  prefix?: string | undefined;
  filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> } | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Cross-customer lists from gsi4 (`LIST#…` partitions), and search entries. */
export function dynamoBrowse(client: DynamoDBDocumentClient, tableName: string): Browse {
  async function page(query: ListQuery): Promise<{ items: Item[]; cursor: string | null }> {
    // `<to>~` sorts after every key of that day, whether the key goes on with `#<id>` or with `T<time>#<id>`.
    const range = query.prefix !== undefined ? ' AND begins_with(gsi4sk, :prefix)' : query.from !== undefined || query.to !== undefined ? ' AND gsi4sk BETWEEN :from AND :to' : '';
    const response = await withCursor(query.cursor, () => client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi4',
        KeyConditionExpression: `gsi4pk = :pk${range}`,
        ...(query.filter ? { FilterExpression: query.filter.expression, ExpressionAttributeNames: query.filter.names } : {}),
        ExpressionAttributeValues: {
          ':pk': query.partition,
          ...(query.prefix !== undefined ? { ':prefix': query.prefix } : {}),
          ...(query.prefix === undefined && (query.from !== undefined || query.to !== undefined) ? { ':from': query.from ?? '0000', ':to': `${query.to ?? '9999'}~` } : {}),
          ...query.filter?.values,
        },
        Limit: query.limit,
        ExclusiveStartKey: decodeCursor(query.cursor),
      }),
    ));
    return { items: response.Items ?? [], cursor: encodeCursor(response.LastEvaluatedKey) };
  }
  const filters = (parts: ({ expression: string; names: Record<string, string>; values: Record<string, unknown> } | undefined)[]) => {
    const present = parts.filter((part) => part !== undefined);
    if (present.length === 0) return undefined;
    return { expression: present.map((part) => part.expression).join(' AND '), names: Object.assign({}, ...present.map((part) => part.names)), values: Object.assign({}, ...present.map((part) => part.values)) };
  };
  const mapped = async <T>(query: ListQuery, map: (item: Item) => T): Promise<Page<T>> => {
    const result = await page(query);
    return { items: result.items.map(map), cursor: result.cursor };
  };

  return {
    invoices: async (query) => {
      const result = await page({
        partition: `LIST#${query.kind}#${query.status}`,
        from: query.dueFrom,
        to: query.dueTo,
        filter: filters([query.currency ? { expression: '#currency = :currency', names: { '#currency': 'currency' }, values: { ':currency': query.currency } } : undefined]),
        limit: query.limit,
        cursor: query.cursor,
      });
      return { items: await invoicesOfItems(client, tableName, result.items), cursor: result.cursor };
    },

    orders: async (query) => {
      const result = await page({
        partition: `LIST#order#${query.status}`,
        from: query.from,
        to: query.to,
        filter: filters([query.source ? { expression: '#source = :source', names: { '#source': 'source' }, values: { ':source': query.source satisfies OrderSource } } : undefined]),
        limit: query.limit,
        cursor: query.cursor,
      });
      return { items: await ordersOfItems(client, tableName, result.items), cursor: result.cursor };
    },

    customers: (query) =>
      mapped(
        {
          partition: 'LIST#customer',
          prefix: query.namePrefix,
          filter: filters([
            query.onCreditHold ? { expression: '#hold = :hold', names: { '#hold': 'onCreditHold' }, values: { ':hold': true } } : undefined,
            query.overLimit ? { expression: '#exposure > #limit', names: { '#exposure': 'exposureMinor', '#limit': 'creditLimitMinor' }, values: {} } : undefined,
          ]),
          limit: query.limit,
          cursor: query.cursor,
        },
        (item) => withoutKeys<Customer>(item),
      ),

    disputes: (query) =>
      mapped(
        {
          partition: `LIST#dispute#${query.status}`,
          filter: filters([query.reason ? { expression: '#reason = :reason', names: { '#reason': 'reasonCode' }, values: { ':reason': query.reason } } : undefined]),
          limit: query.limit,
          cursor: query.cursor,
        },
        (item) => withoutKeys<Dispute>(item),
      ),

    async searchEntries(key) {
      const response = await client.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.searchPartition(key) }, Limit: 20 }));
      return (response.Items ?? []).map((item) => ({ entity: String(item.entity) as SearchHit['entity'], id: String(item.id), label: String(item.label) }));
    },

    async refTarget(kind, source, externalId) {
      const key = kind === 'order' ? keys.orderRef(source, externalId) : keys.customerRef(source, externalId);
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: key }));
      const id = Item?.[kind === 'order' ? 'orderId' : 'customerId'];
      return typeof id === 'string' ? id : undefined;
    },
  };
}
