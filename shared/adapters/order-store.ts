import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '#domain/audit';
import type { Customer } from '#domain/customer';
import { keys } from '#domain/keys';
import type { Order, OrderSource } from '#domain/order';
import type { OrderStore, ShipmentRecord } from '#domain/ports';
import { IF_ABSENT, failedConditions, joinParts, movePartOut, putAudit, putIfVersion, queryGsi1Page, runTransaction, transactIfUnchanged, withoutKeys, type Item, type TransactItem } from './dynamo-items.ts';
import { carriesItsDetail, customerItem, orderDetailItem, orderFromItems, orderItem, putOrder, splitOrder } from './entities.ts';
import { orderMarkers } from './worklist-markers.ts';



/** The order item replaced, only if nobody changed it since it was read (optimistic concurrency); its detail stays. */
const putOrderIfUnchanged = (tableName: string, before: Order, after: Order) => putOrder(tableName, before, after);
const putCustomerIfUnchanged = (tableName: string, before: Customer, after: Customer) => putIfVersion(tableName, customerItem(after), before.version);

const heldSkusOf = (order: Order): ReadonlySet<string> => new Set(order.status === 'ON_HOLD' ? (order.heldSkus ?? []) : []);

/**
 * The markers that let a product change find the orders held for it (`keys.heldOrder`), derived from the order:
 * one per held SKU while it is ON_HOLD. Written and removed in the transaction that changes the order.
 */
function heldMarkerChanges(tableName: string, before: Order, after: Order): TransactItem[] {
  return [...heldSkuMarkers(tableName, before, after), ...orderMarkers(tableName, before, after)];
}

function heldSkuMarkers(tableName: string, before: Order, after: Order): TransactItem[] {
  const was = heldSkusOf(before);
  const is = heldSkusOf(after);
  return [
    ...[...is]
      .filter((sku) => !was.has(sku))
      .map((sku) => ({ Put: { TableName: tableName, Item: { ...keys.heldOrder(sku, after.currency, after.orderedAt, after.id), entityType: 'HeldOrder', orderId: after.id, sku, currency: after.currency } } })),
    ...[...was].filter((sku) => !is.has(sku)).map((sku) => ({ Delete: { TableName: tableName, Key: keys.heldOrder(sku, before.currency, before.orderedAt, before.id) } })),
  ];
}

/** Moves `quantity` units of a SKU between available and reserved; refuses to take more than is available. */
function reserveUnits(tableName: string, sku: string, quantity: number): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: keys.product(sku),
      UpdateExpression: 'SET available = available - :quantity, reserved = reserved + :quantity',
      ConditionExpression: 'attribute_exists(pk) AND available >= :quantity',
      ExpressionAttributeValues: { ':quantity': quantity },
    },
  };
}

function releaseUnits(tableName: string, sku: string, quantity: number): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: keys.product(sku),
      UpdateExpression: 'SET available = available + :quantity, reserved = reserved - :quantity',
      ConditionExpression: 'reserved >= :quantity',
      ExpressionAttributeValues: { ':quantity': quantity },
    },
  };
}

/** Shipped units leave the warehouse: out of reserved and out of stock on hand; available does not change. */
function shipUnits(tableName: string, sku: string, quantity: number): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: keys.product(sku),
      UpdateExpression: 'SET onHand = onHand - :quantity, reserved = reserved - :quantity',
      ConditionExpression: 'reserved >= :quantity AND onHand >= :quantity',
      ExpressionAttributeValues: { ':quantity': quantity },
    },
  };
}

/** Orders, their references, customers' credit, stock movements, shipments and audit events in the single table. */
export function dynamoOrderStore(client: DynamoDBDocumentClient, tableName: string): OrderStore {
  const getItem = async (key: { pk: string; sk: string }) => (await client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

  return {
    async get(orderId) {
      // The order item and its detail item: one strongly consistent query of the two.
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.order(orderId).pk, ':prefix': keys.orderItemsPrefix },
          ConsistentRead: true,
        }),
      );
      const item = Items.find((candidate) => candidate.sk === keys.order(orderId).sk);
      if (!item) return undefined;
      const detail = Items.find((candidate) => candidate.sk === keys.orderDetail(orderId).sk);
      const order = orderFromItems(item, detail);
      if (!detail && carriesItsDetail(item)) await moveDetailOut(order);
      return order;
    },

    async findIdByRef(source: OrderSource, externalId: string) {
      return (await getItem(keys.orderRef(source, externalId)))?.orderId as string | undefined;
    },

    async findCustomerIdByRef(source: OrderSource, externalId: string) {
      return (await getItem(keys.customerRef(source, externalId)))?.customerId as string | undefined;
    },

    async getCustomer(customerId) {
      const item = await getItem(keys.customer(customerId));
      return item ? withoutKeys<Customer>(item) : undefined;
    },

    async create({ order, newCustomer, audit }) {
      const items: TransactItem[] = [
        { Put: { TableName: tableName, ConditionExpression: IF_ABSENT, Item: orderItem(order) } },
        { Put: { TableName: tableName, ConditionExpression: IF_ABSENT, Item: { ...keys.orderRef(order.source, order.externalId), entityType: 'OrderRef', orderId: order.id } } },
        putAudit(tableName, audit),
      ];
      // Last, so the positions the refusals are read by do not move.
      const work = [...orderMarkers(tableName, undefined, order), { Put: { TableName: tableName, Item: orderDetailItem(order) } }];
      if (newCustomer) {
        items.push(
          { Put: { TableName: tableName, ConditionExpression: IF_ABSENT, Item: customerItem(newCustomer) } },
          {
            Put: {
              TableName: tableName,
              ConditionExpression: IF_ABSENT,
              Item: { ...keys.customerRef(newCustomer.source, newCustomer.externalId), entityType: 'CustomerRef', customerId: newCustomer.id },
            },
          },
        );
      }
      items.push(...work);
      try {
        await runTransaction(client, items);
        return 'created';
      } catch (error) {
        const failed = failedConditions(error);
        if (failed?.includes(1)) return 'order-exists';
        if (failed?.includes(4)) return 'customer-exists';
        throw error;
      }
    },

    async appendAudit(audit) {
      await runTransaction(client, [putAudit(tableName, audit)]);
    },

    async update(before, after, audit) {
      return transactIfUnchanged(client, [putOrderIfUnchanged(tableName, before, after), putAudit(tableName, audit), ...heldMarkerChanges(tableName, before, after)]);
    },

    async updateWithCustomer(order, customer, audit) {
      return transactIfUnchanged(client, [
        putOrderIfUnchanged(tableName, order.before, order.after),
        putCustomerIfUnchanged(tableName, customer.before, customer.after),
        putAudit(tableName, audit),
        ...heldMarkerChanges(tableName, order.before, order.after),
      ]);
    },

    async reserve(before, after, audit) {
      const quantities = Object.entries(after.reservedQuantities);
      const items = [...quantities.map(([sku, quantity]) => reserveUnits(tableName, sku, quantity)), putOrderIfUnchanged(tableName, before, after), putAudit(tableName, audit), ...heldMarkerChanges(tableName, before, after)];
      try {
        await runTransaction(client, items);
      } catch (error) {
        const failed = failedConditions(error);
        if (!failed) throw error;
        if (failed.includes(quantities.length)) return { kind: 'order-changed' };
        return { kind: 'short', skus: failed.filter((index) => index < quantities.length).map((index) => quantities[index]![0]) };
      }
      await Promise.all(
        quantities.map(([sku]) => client.send(new DeleteCommand({ TableName: tableName, Key: keys.backorder(sku, before.orderedAt, before.id) }))),
      );
      return { kind: 'reserved' };
    },

    async backorder(before, after, skus, audit) {
      const markers: TransactItem[] = skus.map((sku) => ({
        Put: { TableName: tableName, Item: { ...keys.backorder(sku, before.orderedAt, before.id), entityType: 'Backorder', orderId: before.id, sku } },
      }));
      return transactIfUnchanged(client, [putOrderIfUnchanged(tableName, before, after), ...markers, putAudit(tableName, audit), ...heldMarkerChanges(tableName, before, after)]);
    },

    async release(order, customer, audit) {
      const items: TransactItem[] = [
        ...Object.entries(order.before.reservedQuantities).map(([sku, quantity]) => releaseUnits(tableName, sku, quantity)),
        putOrderIfUnchanged(tableName, order.before, order.after),
        putAudit(tableName, audit),
      ];
      if (customer) items.push(putCustomerIfUnchanged(tableName, customer.before, customer.after));
      items.push(...heldMarkerChanges(tableName, order.before, order.after));
      return transactIfUnchanged(client, items);
    },

    async recordShipmentRequest(order, audit) {
      try {
        await runTransaction(client, [
          { Put: { TableName: tableName, ConditionExpression: IF_ABSENT, Item: { ...keys.shipmentRequest(order.id), entityType: 'ShipmentRequest', orderId: order.id, lines: order.reservedQuantities, requestedAt: audit.at } } },
          putAudit(tableName, audit),
        ]);
        return true;
      } catch (error) {
        if (failedConditions(error)?.length) return false;
        throw error;
      }
    },

    async recordShipment(before, after, shipment, audit) {
      const items: TransactItem[] = [
        {
          Put: {
            TableName: tableName,
            ConditionExpression: IF_ABSENT,
            Item: {
              ...keys.shipment(before.id, shipment.carrier, shipment.trackingNumber),
              ...keys.invoicingOutbox(shipment.recordedAt, before.id, shipment.carrier, shipment.trackingNumber),
              entityType: 'Shipment',
              ...shipment,
            },
          },
        },
        ...Object.entries(shipment.quantities).map(([sku, quantity]) => shipUnits(tableName, sku, quantity)),
        putOrderIfUnchanged(tableName, before, after),
        putAudit(tableName, audit),
        ...heldMarkerChanges(tableName, before, after),
      ];
      try {
        await runTransaction(client, items);
        return 'recorded';
      } catch (error) {
        const failed = failedConditions(error);
        if (failed?.includes(0)) return 'duplicate';
        if (failed?.length) return 'conflict';
        throw error;
      }
    },

    async getShipment(orderId, carrier, trackingNumber) {
      const item = await getItem(keys.shipment(orderId, carrier, trackingNumber));
      return item ? withoutKeys<ShipmentRecord>(item) : undefined;
    },

    async recordDelivery(shipment, audit) {
      // An update, not a put: the shipment may still carry its invoicing outbox mark.
      return transactIfUnchanged(client, [
        {
          Update: {
            TableName: tableName,
            Key: keys.shipment(shipment.orderId, shipment.carrier, shipment.trackingNumber),
            UpdateExpression: shipment.proofOfDelivery ? 'SET deliveredAt = :deliveredAt, proofOfDelivery = :proof' : 'SET deliveredAt = :deliveredAt',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deliveredAt)',
            ExpressionAttributeValues: { ':deliveredAt': shipment.deliveredAt, ...(shipment.proofOfDelivery ? { ':proof': shipment.proofOfDelivery } : {}) },
          },
        },
        putAudit(tableName, audit),
      ]);
    },

    async listAudit(orderId: string) {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.order(orderId).pk, ':prefix': keys.auditPrefix },
          ConsistentRead: true,
        }),
      );
      return Items.map((item) => withoutKeys<AuditEvent>(item));
    },

    async listOrdersOfCustomer(customerId, page) {
      const result = await queryGsi1Page(client, tableName, {
        partition: keys.customerPartition(customerId),
        prefix: keys.ordersOfCustomerPrefix,
        limit: page.limit,
        cursor: page.cursor,
        filter: page.status ? { expression: '#status = :status', names: { '#status': 'status' }, values: { ':status': page.status } } : undefined,
      });
      return { items: await ordersOfItems(client, tableName, result.items), cursor: result.cursor };
    },
  };

  function moveDetailOut(order: Order): Promise<void> {
    return movePartOut(client, tableName, { part: orderDetailItem(order), header: orderItem(order), version: order.version });
  }
}

/** The orders of order items read from an index (a customer's orders, a status list), with their details. */
export const ordersOfItems = (client: DynamoDBDocumentClient, tableName: string, items: readonly Item[]): Promise<Order[]> => joinParts(client, tableName, items, splitOrder);

/** Writes one item only if absent; false when it was already there (seeding, idempotent creation). */
export async function putIfAbsent(client: DynamoDBDocumentClient, tableName: string, item: Item): Promise<boolean> {
  try {
    await client.send(new PutCommand({ TableName: tableName, Item: item, ConditionExpression: IF_ABSENT }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
