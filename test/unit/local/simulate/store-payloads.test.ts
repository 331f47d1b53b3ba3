import { describe, expect, it } from 'vitest';
import { newOrder, type CanonicalOrder, type Order } from '#domain/order';
import { verifyBase64Hmac } from '#domain/store-signatures';
import { readGenericOrder } from '#schemas/generic-order';
import { shopifyWebhookToIntake } from '#schemas/shopify';
import { wooCommerceWebhookToIntake } from '#schemas/woocommerce';
import { secrets } from '#shared/topology';
import { SeededRandom } from '../../../../local/simulate/random.ts';
import {
  shopifyOrderPayload,
  signedStoreRequest,
  storeCustomerExternalId,
  storeOrderExternalId,
  storeOrderPayload,
  storeWebhookSecret,
  untaxableAtTheirRate,
  wooCommerceOrderPayload,
  type StoreOrderInput,
  type StoreSource,
} from '../../../../local/simulate/store-payloads.ts';

/** Prices that do not divide evenly, as the simulator's catalogue has them. */
const PRICES = [1999, 333, 12345, 999, 4750, 101, 2599, 7, 89990, 1250, 60, 1];
const RATES = [19, 7, 0, 7.5, 19];

/**
 * A random order a store can carry at its rates: a taxed line or shipping whose own tax is 0.00 is read as untaxed
 * by O2C's mappers (see the test of `untaxableAtTheirRate`), so such parts are priced up until they are taxed.
 */
function randomOrder(random: SeededRandom, index: number): StoreOrderInput {
  const order = anyRandomOrder(random, index);
  for (const line of order.lines) while (untaxableAtTheirRate({ ...order, lines: [line], shippingMinor: 0 }).length > 0) line.unitPriceMinor += 7;
  while (untaxableAtTheirRate({ ...order, lines: [] }).length > 0) order.shippingMinor += 7;
  expect(untaxableAtTheirRate(order)).toEqual([]);
  return order;
}

function anyRandomOrder(random: SeededRandom, index: number): StoreOrderInput {
  const lines = Array.from({ length: random.int(1, 4) }, (_, line) => ({
    sku: `SIM-SKU-${line}-${random.int(1, 99)}`,
    quantity: random.pick([1, 1, 2, 3, 5, 7]),
    unitPriceMinor: random.chance(0.8) ? random.pick(PRICES) : random.int(1, 500_000),
    taxRatePercent: random.pick(RATES),
  }));
  return {
    externalId: `S7-D${index % 30}-O${index}`,
    orderedAt: `2026-11-${String(1 + (index % 28)).padStart(2, '0')}T09:${String(index % 60).padStart(2, '0')}:00Z`,
    currency: 'EUR',
    customer: { externalId: `S7-C${String(index % 17).padStart(3, '0')}`, name: random.pick(['Alpen Berg GmbH', 'Donau Elbe AG', 'Isar e.K.']), email: `ap${index % 17}@s7.simulated.example`, country: random.pick(['DE', 'AT', 'NL']) },
    lines,
    shippingMinor: random.pick([0, 0, 495, 990, random.int(1, 5000)]),
    shippingTaxRatePercent: random.pick([undefined, 0, 19, 7]),
    prepaid: random.chance(0.4),
  };
}

/** What the generic webhook would make of the same order: the reference every store payload must reproduce. */
function genericOrder(order: StoreOrderInput): Order {
  const canonical = readGenericOrder({
    externalId: order.externalId,
    orderedAt: order.orderedAt,
    currency: order.currency,
    customer: order.customer,
    lines: order.lines.map(({ sku, quantity, unitPriceMinor, taxRatePercent }) => ({ sku, quantity, unitPriceMinor, taxRatePercent })),
    shippingMinor: order.shippingMinor,
    ...(order.shippingTaxRatePercent === undefined ? {} : { shippingTaxRatePercent: order.shippingTaxRatePercent }),
  });
  return newOrder(canonical, { orderId: 'O-1', customerId: 'C-1' }, '2026-11-23T10:00:00.000Z');
}

/** The delivery as O2C receives it: the signed bytes, checked, parsed and mapped by the platform's own mapper. */
function deliver(source: StoreSource, order: StoreOrderInput): CanonicalOrder {
  const request = signedStoreRequest(source, storeOrderPayload(source, order), `delivery-${order.externalId}`);
  const signatureHeader = source === 'shopify' ? request.headers['x-shopify-hmac-sha256'] : request.headers['x-wc-webhook-signature'];
  expect(verifyBase64Hmac(signatureHeader, request.body, secrets[source].devDefault)).toEqual({ ok: true });
  const topic = source === 'shopify' ? request.headers['x-shopify-topic'] : request.headers['x-wc-webhook-topic'];
  const result = source === 'shopify' ? shopifyWebhookToIntake(topic ?? '', JSON.parse(request.body)) : wooCommerceWebhookToIntake(topic ?? '', JSON.parse(request.body));
  if (result.kind !== 'order') throw new Error(`${source} payload was not taken as an order: ${JSON.stringify(result)}`);
  return result.order;
}

const money = (order: Order) => ({
  netMinor: order.netMinor,
  taxMinor: order.taxMinor,
  totalMinor: order.totalMinor,
  shippingMinor: order.shippingMinor,
  shippingTaxMinor: order.shippingTaxMinor,
  lines: order.lines.map(({ sku, quantity, unitPriceMinor, taxRatePpm, discountMinor, netMinor, taxMinor }) => ({ sku, quantity, unitPriceMinor, taxRatePpm, discountMinor, netMinor, taxMinor })),
});

describe.each(['shopify', 'woocommerce'] as const)('%s payloads for simulator orders', (source) => {
  it('given seeded random orders with awkward prices, rates and shipping, when mapped by O2C, then the order the generic webhook would make, to the cent', () => {
    const random = new SeededRandom(20_261_123);
    for (let index = 0; index < 300; index++) {
      const order = randomOrder(random, index);
      const canonical = deliver(source, order);
      const mapped = newOrder(canonical, { orderId: 'O-1', customerId: 'C-1' }, '2026-11-23T10:00:00.000Z');
      const generic = genericOrder(order);
      const context = JSON.stringify(order);

      expect(canonical.source, context).toBe(source);
      expect(canonical.externalId, context).toBe(storeOrderExternalId(source, order.externalId));
      expect(canonical.currency, context).toBe(order.currency);
      expect(canonical.orderedAt, context).toBe(new Date(order.orderedAt).toISOString());
      expect(canonical.customer, context).toEqual({ externalId: storeCustomerExternalId(source, order.customer.externalId), name: order.customer.name, email: order.customer.email, country: order.customer.country });
      // Every line and the shipping are O2C's own taxes: nothing kept as the store's, nothing to flag.
      expect(canonical.lines.map((line) => line.storeTaxMinor), context).toEqual(order.lines.map(() => undefined));
      expect(canonical.shippingStoreTaxMinor, context).toBeUndefined();
      expect(money(mapped), context).toEqual(money(generic));
      expect(mapped.storeTotals?.totalMinor, context).toBe(generic.totalMinor);
      expect(mapped.flags, context).toEqual([]);
      expect(mapped.prepaidMinor, context).toBe(order.prepaid ? generic.totalMinor : 0);
      expect(canonical.payment?.capturedMinor, context).toBe(order.prepaid ? generic.totalMinor : 0);
    }
  });

  it('given 3 × 19.99 at 19 % and 4.95 shipping at 19 %, when mapped, then the README\'s worked figures: tax 11.39 + 0.94, total 77.25', () => {
    const order = handPicked(1, 'Alpen Berg GmbH', { lines: [{ sku: 'SKU-1', quantity: 3, unitPriceMinor: 1999, taxRatePercent: 19 }], shippingMinor: 495, shippingTaxRatePercent: 19, prepaid: true });
    const mapped = newOrder(deliver(source, order), { orderId: 'O-1', customerId: 'C-1' }, '2026-11-23T10:00:00.000Z');
    // One rate over lines and shipping: round(64.92 × 0.19) = round(12.3348) = 12.33.
    expect({ net: mapped.netMinor, shipping: mapped.shippingMinor, tax: mapped.taxMinor, total: mapped.totalMinor, prepaid: mapped.prepaidMinor }).toEqual({ net: 5997, shipping: 495, tax: 1233, total: 7725, prepaid: 7725 });
  });

  it('given three 0.60 lines at 19 % (each line rounds 0.114 down, the rate rounds 0.342 to 0.34), when mapped, then O2C\'s per-rate tax and the store total agree', () => {
    const order = handPicked(2, 'Donau Elbe AG', { lines: ['A', 'B', 'C'].map((sku) => ({ sku, quantity: 1, unitPriceMinor: 60, taxRatePercent: 19 })), shippingMinor: 0, prepaid: false });
    const payload = storeOrderPayload(source, order);
    expect(source === 'shopify' ? payload.total_price : payload.total).toBe('2.14');
    const mapped = newOrder(deliver(source, order), { orderId: 'O-1', customerId: 'C-1' }, '2026-11-23T10:00:00.000Z');
    expect({ tax: mapped.taxMinor, total: mapped.totalMinor, flags: mapped.flags, prepaid: mapped.prepaidMinor }).toEqual({ tax: 34, total: 214, flags: [], prepaid: 0 });
  });

  it('given 0.21 and 0.01 at 7 % (the 0.01 line is taxed 0.00 on its own), when mapped, then O2C records it at 0 % and its rate loses a cent: what untaxableAtTheirRate warns of', () => {
    const order = handPicked(3, 'Isar e.K.', {
      lines: [
        { sku: 'A', quantity: 1, unitPriceMinor: 21, taxRatePercent: 7 },
        { sku: 'B', quantity: 1, unitPriceMinor: 1, taxRatePercent: 7 },
      ],
      shippingMinor: 0,
      prepaid: false,
    });
    expect(untaxableAtTheirRate(order)).toEqual(['lines[1] (B): 1 × 1 at 7 % is taxed 0.00']);
    const mapped = newOrder(deliver(source, order), { orderId: 'O-1', customerId: 'C-1' }, '2026-11-23T10:00:00.000Z');
    // Generic: round(0.22 × 0.07) = round(0.0154) = 0.02. Mapped: line B at 0 %, round(0.21 × 0.07) = 0.01.
    expect(genericOrder(order).totalMinor).toBe(24);
    expect({ rates: mapped.lines.map((line) => line.taxRatePpm), total: mapped.totalMinor, flags: mapped.flags }).toEqual({ rates: [70_000, 0], total: 23, flags: ['store total 24 differs from the recomputed 23 (EUR minor units)'] });
  });

  it('given the same simulator order twice, when built, then the same bytes and ids (a redelivery is a duplicate to O2C)', () => {
    const order = randomOrder(new SeededRandom(5), 3);
    expect(JSON.stringify(storeOrderPayload(source, order))).toBe(JSON.stringify(storeOrderPayload(source, order)));
    expect(storeOrderExternalId(source, order.externalId)).toMatch(/^\d{13}$/);
    expect(storeOrderExternalId(source, order.externalId)).not.toBe(storeOrderExternalId(source, `${order.externalId}x`));
    expect(storeOrderExternalId(source, order.externalId, { orderId: 4711 })).toBe('4711');
    expect(deliver(source, order).externalId).toBe(storeOrderExternalId(source, order.externalId));
  });
});


/** A hand-picked order: the fields every example shares, then what makes it awkward. */
const handPicked = (number: number, customerName: string, rest: Pick<StoreOrderInput, 'lines' | 'shippingMinor' | 'prepaid'> & Partial<StoreOrderInput>): StoreOrderInput => ({
  externalId: `S1-D0-O${number}`,
  orderedAt: '2026-11-23T09:00:00Z',
  currency: 'EUR',
  customer: { externalId: `S1-C00${number}`, name: customerName, email: `ap${number}@s1.simulated.example`, country: 'DE' },
  ...rest,
});

describe('store payload details', () => {
  const order: StoreOrderInput = {
    externalId: 'S2-D1-O4',
    orderedAt: '2026-11-24T08:15:00.000Z',
    currency: 'EUR',
    customer: { externalId: 'S2-C004', name: 'Isar Main KG', email: 'ap4@s2.simulated.example', country: 'DE' },
    lines: [{ sku: 'SKU-7', quantity: 2, unitPriceMinor: 333, taxRatePercent: 7 }],
    shippingMinor: 0,
    prepaid: false,
  };

  it('given an order and a chosen number, when built for Shopify, then the id is in admin_graphql_api_id, the name is "#number" and unpaid is pending', () => {
    const payload = shopifyOrderPayload(order, { orderId: 5_123_456_789_012, orderNumber: 1042 });
    expect(payload).toMatchObject({ id: 5_123_456_789_012, admin_graphql_api_id: 'gid://shopify/Order/5123456789012', name: '#1042', order_number: 1042, financial_status: 'pending', total_outstanding: '7.13', total_price: '7.13' });
    expect(deliver('shopify', order).storeOrderNumber).toBe(`#${(shopifyOrderPayload(order).order_number as number)}`);
  });

  it('given an unpaid order, when built for WooCommerce, then on-hold by bank transfer with no date_paid; prepaid is processing with date_paid', () => {
    expect(wooCommerceOrderPayload(order)).toMatchObject({ status: 'on-hold', payment_method: 'bacs', date_paid: null, date_paid_gmt: null, total: '7.13', date_created_gmt: '2026-11-24T08:15:00' });
    expect(wooCommerceOrderPayload({ ...order, prepaid: true })).toMatchObject({ status: 'processing', date_paid_gmt: '2026-11-24T08:15:00' });
  });

  it('given a secret in the environment the local runtime reads, when signed, then that secret; without one, the development default', () => {
    expect(storeWebhookSecret('shopify', {})).toBe('o2c-dev-shopify-secret');
    expect(storeWebhookSecret('woocommerce', { O2C_WOOCOMMERCE_SECRET: 'wc-secret' })).toBe('wc-secret');
    const request = signedStoreRequest('woocommerce', wooCommerceOrderPayload(order), '981', { environment: { O2C_WOOCOMMERCE_SECRET: 'wc-secret' } });
    expect(request.path).toBe('/webhooks/woocommerce');
    expect(request.headers).toMatchObject({ 'x-wc-webhook-topic': 'order.created', 'x-wc-webhook-delivery-id': '981' });
    expect(verifyBase64Hmac(request.headers['x-wc-webhook-signature'], request.body, 'wc-secret')).toEqual({ ok: true });
    const shopify = signedStoreRequest('shopify', shopifyOrderPayload(order), 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', { topic: 'orders/paid' });
    expect(shopify.headers).toMatchObject({ 'x-shopify-topic': 'orders/paid', 'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043' });
  });
});
