import { describe, expect, it } from 'vitest';
import { genericOrder } from '../support/fixtures.ts';
import { createProduct, eventually, itemsMentioning, orderByExternalId, orderInStatus, postOrder, postSigned, productStock, uniqueId } from './support.ts';

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
