import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '#domain/audit';
import { keys } from '#domain/keys';
import type { CatalogueCheck, CatalogueProduct, Order, OrderSource } from '#domain/order';
import type { Catalogue, DeliveryLog, OrderStore } from '#domain/ports';

type Item = Record<string, unknown>;

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'entityType', 'expiresAt'];

function withoutKeys<T>(item: Item): T {
  const copy: Item = { ...item };
  for (const attribute of KEY_ATTRIBUTES) delete copy[attribute];
  return copy as T;
}

function auditItem(event: AuditEvent): Item {
  const key = event.entity === 'order' ? keys.orderAudit(event.entityId, event.at, event.id) : { pk: `${event.entity.toUpperCase()}#${event.entityId}`, sk: `AUDIT#${event.at}#${event.id}` };
  return { ...key, entityType: 'AuditEvent', ...event };
}

/** Orders, their business-key references, customers and audit events in the single table. */
export function dynamoOrderStore(client: DynamoDBDocumentClient, tableName: string): OrderStore {
  return {
    async get(orderId) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.order(orderId), ConsistentRead: true }));
      return Item ? withoutKeys<Order>(Item) : undefined;
    },

    async findIdByRef(source: OrderSource, externalId: string) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.orderRef(source, externalId), ConsistentRead: true }),
      );
      return Item?.orderId as string | undefined;
    },

    async findCustomerIdByRef(source: OrderSource, externalId: string) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.customerRef(source, externalId), ConsistentRead: true }),
      );
      return Item?.customerId as string | undefined;
    },

    async create({ order, newCustomer, audit }) {
      const ifAbsent = 'attribute_not_exists(pk)';
      const items = [
        { Put: { TableName: tableName, ConditionExpression: ifAbsent, Item: orderItem(order) } },
        {
          Put: {
            TableName: tableName,
            ConditionExpression: ifAbsent,
            Item: { ...keys.orderRef(order.source, order.externalId), entityType: 'OrderRef', orderId: order.id },
          },
        },
        { Put: { TableName: tableName, ConditionExpression: ifAbsent, Item: auditItem(audit) } },
      ];
      if (newCustomer) {
        items.push(
          { Put: { TableName: tableName, ConditionExpression: ifAbsent, Item: { ...keys.customer(newCustomer.id), entityType: 'Customer', ...newCustomer } } },
          {
            Put: {
              TableName: tableName,
              ConditionExpression: ifAbsent,
              Item: { ...keys.customerRef(newCustomer.source, newCustomer.externalId), entityType: 'CustomerRef', customerId: newCustomer.id },
            },
          },
        );
      }
      try {
        await client.send(new TransactWriteCommand({ TransactItems: items }));
        return 'created';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        if (reasons[1]?.Code === 'ConditionalCheckFailed') return 'order-exists';
        if (reasons[4]?.Code === 'ConditionalCheckFailed') return 'customer-exists';
        throw error;
      }
    },

    async recordCheck(order: Order, check: CatalogueCheck, audit: AuditEvent, now: string) {
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: tableName,
                  Key: keys.order(order.id),
                  ConditionExpression: '#version = :expected',
                  UpdateExpression: 'SET #status = :status, holdReasons = :reasons, updatedAt = :now, #version = :next',
                  ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
                  ExpressionAttributeValues: {
                    ':expected': order.version,
                    ':next': order.version + 1,
                    ':status': check.status,
                    ':reasons': check.reasons,
                    ':now': now,
                  },
                },
              },
              { Put: { TableName: tableName, ConditionExpression: 'attribute_not_exists(pk)', Item: auditItem(audit) } },
            ],
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
        throw error;
      }
    },

    async listAudit(orderId: string) {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.order(orderId).pk, ':prefix': keys.orderAuditPrefix },
          ConsistentRead: true,
        }),
      );
      return Items.map((item) => withoutKeys<AuditEvent>(item));
    },
  };
}

function orderItem(order: Order): Item {
  return { ...keys.order(order.id), ...keys.ordersOfCustomer(order.customerId, order.createdAt, order.id), entityType: 'Order', ...order };
}

/** BatchGet caps at 100 keys and may return some keys unprocessed; both are handled here, not by callers. */
const BATCH_GET_LIMIT = 100;

export function dynamoCatalogue(client: DynamoDBDocumentClient, tableName: string): Catalogue & { put(product: CatalogueProduct & { onHand?: number }): Promise<boolean> } {
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

    /** Creates a product if it is not there yet; returns false when it already existed (seeding runs once). */
    async put(product) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keys.product(product.sku), entityType: 'Product', ...product },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },
  };
}

/** Delivery marks expire after 30 days (DynamoDB TTL); stores retry for far less than that. */
const DELIVERY_RETENTION_SECONDS = 30 * 24 * 3600;

export function dynamoDeliveryLog(client: DynamoDBDocumentClient, tableName: string): DeliveryLog {
  return {
    async has(source, deliveryId) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.webhookDelivery(source, deliveryId), ConsistentRead: true }),
      );
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
            expiresAt: Math.floor(at.getTime() / 1000) + DELIVERY_RETENTION_SECONDS,
          },
        }),
      );
    },
  };
}
