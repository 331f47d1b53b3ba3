import { describe, expect, it } from 'vitest';
import { defaultCreditPolicy } from '#domain/credit';
import { newCustomer } from '#domain/customer';
import { newOrder, revise, type Order } from '#domain/order';
import { checkCredit } from '#domain/use-cases/check-credit';
import { reserveStock } from '#domain/use-cases/reserve-stock';
import { createProduct, directDeps, productStock, uniqueId } from './support.ts';

/** Stores orders directly at `status` (no workflow), so the test alone decides when steps run, all at once. */
async function storedOrders(count: number, status: Order['status'], lines: { sku: string; quantity: number; unitPriceMinor: number }[], customer: ReturnType<typeof newCustomer>) {
  const deps = directDeps();
  const now = new Date().toISOString();
  const orders: Order[] = [];
  for (let index = 0; index < count; index++) {
    const order = newOrder(
      { source: 'generic', externalId: uniqueId('CC'), orderedAt: now, currency: 'EUR', customer, lines: lines.map((line) => ({ ...line, taxRatePpm: 0 })), shippingMinor: 0 },
      { orderId: deps.ids.next(), customerId: customer.id },
      now,
    );
    const atStatus = revise(order, { status, ...(status === 'APPROVED' ? { credit: { outcome: 'APPROVED', reasons: [], decidedBy: 'test', decidedAt: now, exposureMinor: 0 } } : {}) }, now);
    await deps.orders.create({ order: atStatus, newCustomer: index === 0 ? customer : undefined, audit: { id: deps.ids.next(), entity: 'order', entityId: order.id, customerId: customer.id, type: 'OrderStored', actor: 'test', at: now } });
    orders.push(atStatus);
  }
  return orders;
}

const aCustomer = (overrides: Partial<ReturnType<typeof newCustomer>> = {}) => ({
  ...newCustomer({ id: directDeps().ids.next(), source: 'generic', externalId: uniqueId('C'), name: 'Race Ltd', email: 'r@x.example', country: 'DE', currency: 'EUR' }, 10_000, new Date().toISOString()),
  ...overrides,
});

describe('concurrency on DynamoDB Local', () => {
  it('given 10 units in stock, when 30 one-unit orders reserve at once, then exactly 10 are reserved and 20 backordered', async () => {
    const deps = directDeps();
    const sku = uniqueId('RACE');
    await createProduct(sku, 10);
    const orders = await storedOrders(30, 'APPROVED', [{ sku, quantity: 1, unitPriceMinor: 100 }], aCustomer({ approvedOrders: 1, creditLimitMinor: 1_000_000 }));

    const results = await Promise.all(orders.map((order) => reserveStock(order.id, deps)));

    const statuses = results.map((result) => result.status);
    expect(statuses.filter((status) => status === 'AWAITING_SHIPMENT')).toHaveLength(10);
    expect(statuses.filter((status) => status === 'BACKORDERED')).toHaveLength(20);
    expect(await productStock(sku)).toEqual(expect.objectContaining({ onHand: 10, reserved: 10, available: 0 }));
    expect(await deps.catalogue.backorders(sku, 100)).toHaveLength(20);
  });

  it('given two orders that each fit the credit limit alone but not together, when checked at once, then exactly one is approved', async () => {
    const deps = { ...directDeps(), policy: { ...defaultCreditPolicy, reviewTolerancePercent: 0 } };
    // Limit 100.00 EUR, an earlier order already approved; each order 60.00 EUR.
    const orders = await storedOrders(2, 'RECEIVED', [{ sku: 'WIDGET-1', quantity: 1, unitPriceMinor: 6_000 }], aCustomer({ approvedOrders: 1 }));

    const results = await Promise.all(orders.map((order) => checkCredit(order.id, deps)));

    expect(results.map((result) => result.status).sort()).toEqual(['APPROVED', 'REJECTED']);
    expect((await deps.orders.getCustomer(orders[0]!.customerId))?.exposureMinor).toBe(6_000);
  });

  it('given ten concurrent orders against a limit that fits four, when checked at once, then four are approved and exposure equals their sum', async () => {
    const deps = { ...directDeps(), policy: { ...defaultCreditPolicy, reviewTolerancePercent: 0 } };
    const orders = await storedOrders(10, 'RECEIVED', [{ sku: 'WIDGET-1', quantity: 1, unitPriceMinor: 2_500 }], aCustomer({ approvedOrders: 1 }));

    const results = await Promise.all(orders.map((order) => checkCredit(order.id, deps)));

    expect(results.filter((result) => result.status === 'APPROVED')).toHaveLength(4);
    expect((await deps.orders.getCustomer(orders[0]!.customerId))?.exposureMinor).toBe(10_000);
  });
});
