import { BatchGetCommand, GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#domain/keys';
import type { CatalogueProduct } from '#domain/order';
import type { Catalogue, Product } from '#domain/ports';
import { saveWithAudit, withoutKeys, type Item } from './dynamo-items.ts';
import { productItem } from './entities.ts';

/** BatchGet caps at 100 keys and may return some keys unprocessed; both are handled here, not by callers. */
const BATCH_GET_LIMIT = 100;


/** Products with their stock (on hand, reserved, available) and the orders waiting for each. */
export function dynamoCatalogue(client: DynamoDBDocumentClient, tableName: string): Catalogue {
  return {
    async getMany(skus) {
      const products = new Map<string, CatalogueProduct>();
      for (let start = 0; start < skus.length; start += BATCH_GET_LIMIT) {
        let pending: Item[] | undefined = skus.slice(start, start + BATCH_GET_LIMIT).map((sku) => keys.product(sku));
        for (let round = 0; pending && pending.length > 0 && round < 5; round++) {
          const response = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }));
          for (const item of response.Responses?.[tableName] ?? []) {
            const product = withoutKeys<CatalogueProduct>(item);
            products.set(product.sku, product);
          }
          pending = response.UnprocessedKeys?.[tableName]?.Keys as Item[] | undefined;
        }
        if (pending && pending.length > 0) throw new Error('catalogue read left keys unprocessed after retries');
      }
      return products;
    },

    async get(sku) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.product(sku), ConsistentRead: true }));
      return Item ? withoutKeys<Product>(Item) : undefined;
    },

    save: (before, after, audit) => saveWithAudit(client, tableName, productItem(after), before?.version, audit),

    async backorders(sku, limit) {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.product(sku).pk, ':prefix': keys.backorderPrefix },
          Limit: limit,
          ConsistentRead: true,
        }),
      );
      return Items.map((item) => String(item.orderId));
    },

    async heldOrders(sku, currency, limit) {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.product(sku).pk, ':prefix': keys.heldOrderPrefix(currency) },
          Limit: limit,
          ConsistentRead: true,
        }),
      );
      return Items.map((item) => String(item.orderId));
    },
  };
}
