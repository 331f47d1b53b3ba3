import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { orderDetailItem, orderItem } from '#adapters/entities';
import { dynamoOrderStore } from '#adapters/order-store';
import { newCustomer } from '#domain/customer';
import { newOrder } from '#domain/order';

const dynamo = mockClient(DynamoDBDocumentClient);
beforeEach(() => dynamo.reset());
const documents = () => DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));

const order = newOrder(
  {
    source: 'generic',
    externalId: 'E1',
    orderedAt: '2026-11-23T10:00:00Z',
    currency: 'EUR',
    customer: { externalId: 'C', name: 'N', email: 'e@x.example', country: 'DE' },
    lines: [{ sku: 'A', quantity: 1, unitPriceMinor: 100, taxRatePpm: 0 }],
    shippingMinor: 0,
  },
  { orderId: 'O1', customerId: 'C1' },
  '2026-11-23T10:00:00Z',
);
const audit = { id: 'A1', entity: 'order' as const, entityId: 'O1', type: 'OrderStored', actor: 't', at: '2026-11-23T10:00:00Z' };
const customer = newCustomer({ id: 'C1', source: 'generic', externalId: 'C', name: 'N', email: 'e@x.example', country: 'DE', currency: 'EUR' }, 500_000, '2026-11-23T10:00:00Z');

const cancelled = (codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

describe('order store create', () => {
  it('given the business key is taken, when creating, then order-exists', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'ConditionalCheckFailed', 'None']));

    await expect(dynamoOrderStore(documents(), 't').create({ order, audit })).resolves.toBe('order-exists');
  });

  it('given a racing first order created the customer, when creating, then customer-exists so the caller re-reads', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled(['None', 'None', 'None', 'ConditionalCheckFailed', 'ConditionalCheckFailed']));

    await expect(dynamoOrderStore(documents(), 't').create({ order, audit, newCustomer: customer })).resolves.toBe('customer-exists');
  });

  it('given a new order, when creating, then order, reference, audit and the order\'s detail are one transaction with absent-key conditions', async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    await dynamoOrderStore(documents(), 't').create({ order, audit });

    const items = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items.map((item) => [item.Put!.Item!.pk, item.Put!.Item!.sk.split('#')[0], item.Put!.ConditionExpression])).toEqual([
      ['ORDER#O1', 'ORDER', 'attribute_not_exists(pk)'],
      ['ORDERREF#generic#E1', 'ORDERREF', 'attribute_not_exists(pk)'],
      ['ORDER#O1', 'AUDIT', 'attribute_not_exists(pk)'],
      ['ORDER#O1', 'ORDER', undefined],
    ]);
    expect(items[3]!.Put!.Item).toMatchObject({ sk: 'ORDER#DETAIL', lines: order.lines });
    expect(items[0]!.Put!.Item).not.toHaveProperty('lines');
  });

  it('given an order item of the old layout (its lines in it), when read, then it is the whole order and its detail is moved out while it is at that version', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ ...orderItem(order), ...order }] });
    dynamo.on(TransactWriteCommand).resolves({});

    await expect(dynamoOrderStore(documents(), 't').get('O1')).resolves.toEqual(order);

    const items = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]!.Put).toMatchObject({ Item: { sk: 'ORDER#DETAIL', lines: order.lines }, ConditionExpression: 'attribute_not_exists(pk)' });
    expect(items[1]!.Put).toMatchObject({ Item: { sk: 'ORDER', version: order.version }, ConditionExpression: '#version = :expected', ExpressionAttributeValues: { ':expected': order.version } });
    expect(items[1]!.Put!.Item).not.toHaveProperty('lines');
  });

  it('given an order of the new layout, when read, then one query reads the order and its detail, and nothing is written', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [orderItem(order), orderDetailItem(order)] });

    await expect(dynamoOrderStore(documents(), 't').get('O1')).resolves.toEqual(order);

    expect(dynamo.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({ KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': 'ORDER#O1', ':prefix': 'ORDER' }, ConsistentRead: true });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});

describe('order store: markers of held orders', () => {
  const held = { ...order, status: 'ON_HOLD' as const, heldSkus: ['A', 'B'], version: 2 };

  it('given an order going ON_HOLD for two SKUs, when updated, then a marker per SKU is written in the same transaction', async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    await dynamoOrderStore(documents(), 't').update(order, held, audit);

    const items = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items.flatMap((item) => (item.Put?.Item?.entityType === 'HeldOrder' ? [item.Put.Item] : []))).toEqual([
      { pk: 'PRODUCT#A', sk: 'HELD#EUR#2026-11-23T10:00:00Z#O1', entityType: 'HeldOrder', orderId: 'O1', sku: 'A', currency: 'EUR' },
      { pk: 'PRODUCT#B', sk: 'HELD#EUR#2026-11-23T10:00:00Z#O1', entityType: 'HeldOrder', orderId: 'O1', sku: 'B', currency: 'EUR' },
    ]);
  });

  it('given a held order re-checked down to one SKU and then cancelled, when updated and released, then the markers go with it', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const stillHeld = { ...held, heldSkus: ['B'], version: 3 };

    await dynamoOrderStore(documents(), 't').update(held, stillHeld, audit);
    await dynamoOrderStore(documents(), 't').release({ before: stillHeld, after: { ...stillHeld, status: 'CANCELLED', version: 4 } }, undefined, audit);

    const [recheck, cancel] = dynamo.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems!);
    expect(recheck!.filter((item) => item.Delete).map((item) => item.Delete!.Key)).toEqual([{ pk: 'PRODUCT#A', sk: 'HELD#EUR#2026-11-23T10:00:00Z#O1' }]);
    expect(recheck!.some((item) => item.Put?.Item?.entityType === 'HeldOrder')).toBe(false);
    expect(cancel!.filter((item) => item.Delete).map((item) => item.Delete!.Key)).toEqual([
      { pk: 'PRODUCT#B', sk: 'HELD#EUR#2026-11-23T10:00:00Z#O1' },
      { pk: 'WORK#on-hold#O1', sk: 'WORK' },
    ]);
  });
});
