import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { dynamoInvoicingOutbox } from '#adapters/invoicing-outbox';
import { sqsInvoicingQueue } from '#adapters/invoicing-queue';
import { confirmShipment } from '#domain/use-cases/confirm-shipment';
import { relayPendingInvoicingRequests } from '#domain/use-cases/relay-invoicing';
import { genericOrder } from '../support/fixtures.ts';
import { awsConfig, createProduct, directDeps, eventually, getAs, itemsMentioning, orderByExternalId, orderInStatus, postOrder, postSigned, productStock, sqsConfig, uniqueId } from './support.ts';

async function reservedOrder(sku: string, quantity: number) {
  const order = genericOrder({ lines: [{ sku, quantity, unitPriceMinor: 100, taxRatePercent: 19 }] });
  await postOrder(JSON.stringify(order));
  const stored = await eventually(async () => orderByExternalId(String(order.externalId)));
  return orderInStatus(String(stored.id), ['AWAITING_SHIPMENT']);
}

const shipment = (orderId: unknown, trackingNumber: string, extra: Record<string, unknown> = {}) => ({
  orderId,
  carrier: 'DHL',
  trackingNumber,
  shippedAt: new Date().toISOString(),
  ...extra,
});

describe('POST /shipments', () => {
  it('given a reserved order, when part ships and then the rest, then PARTIALLY_SHIPPED then SHIPPED, and stock leaves the warehouse', async () => {
    const sku = uniqueId('SHIP');
    await createProduct(sku, 10);
    const order = await reservedOrder(sku, 4);

    const first = await postSigned('/shipments', shipment(order.id, uniqueId('T'), { lines: [{ sku, quantity: 1 }] }));
    const afterFirst = await orderInStatus(String(order.id), ['PARTIALLY_SHIPPED']);
    const rest = await postSigned('/shipments', shipment(order.id, uniqueId('T')));

    expect(first.status).toBe(201);
    expect(afterFirst).toMatchObject({ reservedQuantities: { [sku]: 3 }, shippedQuantities: { [sku]: 1 } });
    expect(rest.status).toBe(201);
    expect(await rest.json()).toMatchObject({ status: 'recorded', orderStatus: 'SHIPPED', shipped: { [sku]: 3 } });
    expect(await productStock(sku)).toMatchObject({ onHand: 6, reserved: 0, available: 6 });
  });

  it('given a recorded shipment, when the same tracking number comes again and then with a delivery, then duplicate and then delivered', async () => {
    const sku = uniqueId('SHIP');
    await createProduct(sku, 2);
    const order = await reservedOrder(sku, 1);
    const tracking = uniqueId('T');
    await postSigned('/shipments', shipment(order.id, tracking));

    const again = await postSigned('/shipments', shipment(order.id, tracking));
    const delivered = await postSigned('/shipments', shipment(order.id, tracking, { deliveredAt: new Date().toISOString(), proofOfDelivery: { signedBy: 'R. Receiver' } }));

    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'duplicate' });
    expect(await delivered.json()).toMatchObject({ status: 'delivered' });
    expect(await productStock(sku)).toMatchObject({ onHand: 1, reserved: 0 });
  });

  it('given a shipped order, when a new shipment arrives, then 409 and nothing is written', async () => {
    const sku = uniqueId('SHIP');
    await createProduct(sku, 2);
    const order = await reservedOrder(sku, 1);
    await postSigned('/shipments', shipment(order.id, uniqueId('T')));
    const tracking = uniqueId('T');

    const response = await postSigned('/shipments', shipment(order.id, tracking));

    expect(response.status).toBe(409);
    expect(await itemsMentioning(tracking)).toEqual([]);
  });

  it.each([
    ['an unknown order', () => shipment('01UNKNOWNORDERID0000000000', uniqueId('T')), 409],
    ['more units than outstanding', () => shipment('__ORDER__', uniqueId('T'), { lines: [{ sku: '__SKU__', quantity: 99 }] }), 400],
    ['a SKU not on the order', () => shipment('__ORDER__', uniqueId('T'), { lines: [{ sku: 'WIDGET-1', quantity: 1 }] }), 400],
    ['no tracking number', () => ({ orderId: '__ORDER__', carrier: 'DHL', shippedAt: new Date().toISOString() }), 400],
  ])('given %s, when posted, then %i and stock is untouched', async (_case, build, status) => {
    const sku = uniqueId('SHIP');
    await createProduct(sku, 5);
    const order = await reservedOrder(sku, 2);
    const body = JSON.parse(JSON.stringify(build()).replaceAll('__ORDER__', String(order.id)).replaceAll('__SKU__', sku)) as Record<string, unknown>;

    const response = await postSigned('/shipments', body);

    expect(response.status).toBe(status);
    expect(await productStock(sku)).toMatchObject({ onHand: 5, reserved: 2 });
    expect((await orderInStatus(String(order.id), ['AWAITING_SHIPMENT'])).shippedQuantities).toEqual({});
  });

  it('given an unsigned shipment, when posted, then 401', async () => {
    const response = await fetch(`${(await import('./support.ts')).baseUrl()}/shipments`, { method: 'POST', body: JSON.stringify(shipment('X', 'T')) });

    expect(response.status).toBe(401);
  });
});

describe('POST /shipments with text SQS refuses (issue 11)', () => {
  it.each([
    ['U+FFFF in the tracking number', (tracking: string) => ({ trackingNumber: `${tracking}\uFFFF` }), 'trackingNumber'],
    ['a lone surrogate in the tracking number', (tracking: string) => ({ trackingNumber: `${tracking}\uD800` }), 'trackingNumber'],
    ['U+FFFE in the carrier', (tracking: string) => ({ trackingNumber: tracking, carrier: 'DHL\uFFFE' }), 'carrier'],
  ])('given %s, when posted, then 400 naming the field, nothing is written and the order still awaits shipment', async (_case, fields, path) => {
    const sku = uniqueId('SHIP');
    await createProduct(sku, 3);
    const order = await reservedOrder(sku, 2);
    const tracking = uniqueId('T');

    const response = await postSigned('/shipments', shipment(order.id, tracking, fields(tracking)));

    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details.map((detail) => detail.path)).toEqual([path]);
    expect(await itemsMentioning(tracking)).toEqual([]);
    expect(await productStock(sku)).toMatchObject({ onHand: 3, reserved: 2 });
    expect(await orderInStatus(String(order.id), ['AWAITING_SHIPMENT'])).toMatchObject({ shippedQuantities: {} });
  });
});

describe('the invoicing outbox (issue 11: no crash point leaves a shipment without its invoice)', () => {
  const outbox = () => dynamoInvoicingOutbox(DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb'))), inject('o2cTable'));
  const queue = () => sqsInvoicingQueue(new SQSClient(sqsConfig()), inject('o2cQueues').invoicing!.url);
  const isPending = async (orderId: string) => {
    for await (const shipment of outbox().pending()) if (shipment.orderId === orderId) return true;
    return false;
  };
  const invoicesOf = async (orderId: string) => ((await (await getAs('viewer', `/invoices?orderId=${orderId}`)).json()) as { items: { shipmentKey?: string }[] }).items;

  it('given a shipment recorded by a sender that dies before queueing its invoicing request, when the relay runs, then the shipment is invoiced once', async () => {
    const sku = uniqueId('SHIP');
    await createProduct(sku, 2);
    const order = await reservedOrder(sku, 1);
    const orderId = String(order.id);
    const dyingQueue = { enqueue: () => Promise.reject(new Error('the function was killed before SendMessage')) };

    const recording = confirmShipment(
      { orderId, carrier: 'DHL', trackingNumber: uniqueId('T'), shippedAt: new Date().toISOString() },
      { ...directDeps(), invoicing: { queue: dyingQueue, outbox: outbox() } },
    );

    await expect(recording).rejects.toThrow('killed');
    expect(await orderInStatus(orderId, ['SHIPPED'])).toBeDefined();
    expect(await eventually(async () => ((await isPending(orderId)) ? true : undefined))).toBe(true);

    await relayPendingInvoicingRequests({ queue: queue(), outbox: outbox() });

    const invoices = await eventually(async () => {
      const found = await invoicesOf(orderId);
      return found.length > 0 ? found : undefined;
    }, 30_000);
    await relayPendingInvoicingRequests({ queue: queue(), outbox: outbox() });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(invoices).toHaveLength(1);
    expect(await invoicesOf(orderId)).toHaveLength(1);
    expect(await isPending(orderId)).toBe(false);
  });

  it('given a shipment confirmed normally, when its request is queued, then nothing is left pending and a delivery keeps it invoiced once', async () => {
    const sku = uniqueId('SHIP');
    await createProduct(sku, 2);
    const order = await reservedOrder(sku, 1);
    const orderId = String(order.id);
    const tracking = uniqueId('T');

    await postSigned('/shipments', shipment(orderId, tracking));
    await postSigned('/shipments', shipment(orderId, tracking, { deliveredAt: new Date().toISOString() }));

    await eventually(async () => ((await invoicesOf(orderId)).length > 0 ? true : undefined), 30_000);
    expect(await isPending(orderId)).toBe(false);
    expect(await invoicesOf(orderId)).toHaveLength(1);
  });
});
