import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidRequest } from '#domain/errors';
import { newOrder, type CanonicalOrder } from '#domain/order';
import { wooCommerceOrderToCanonical, wooCommerceWebhookToIntake } from '#schemas/woocommerce';
import { repoRoot } from '#shared/state-machine-definitions';

type Json = Record<string, unknown> & {
  line_items: Record<string, unknown>[];
  tax_lines: Record<string, unknown>[];
  billing: Record<string, unknown>;
  shipping: Record<string, unknown>;
};

/** A fresh, mutable copy of a real payload (test/fixtures/stores/SOURCES.md says where each comes from). */
const fixture = (name: string): Json => JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/woocommerce', name), 'utf8')) as Json;

const docsOrder = () => fixture('rest-docs-order-727.json');
const couponOrder = () => fixture('ios-app-order-963-coupon.json');

const orderOf = (topic: string, body: unknown): CanonicalOrder => {
  const result = wooCommerceWebhookToIntake(topic, body);
  if (result.kind !== 'order') throw new Error(`expected an order, got ${result.kind}`);
  return result.order;
};

/** The field paths of the InvalidRequest a body is refused with (fails the test if it is accepted or throws otherwise). */
const refusedPaths = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequest);
    expect((error as InvalidRequest).message).toBe('invalid woocommerce order');
    return ((error as InvalidRequest).details as { path: string }[]).map((issue) => issue.path);
  }
  throw new Error('expected the body to be refused');
};

const ids = { orderId: 'ORD-1', customerId: 'CUS-1' };

describe('WooCommerce order webhooks → canonical order', () => {
  it('given the REST docs order 727 (guest, 7.5 % on two lines, untaxed flat-rate shipping), when mapped, then rates come from tax_lines by rate_id', () => {
    expect(orderOf('order.created', docsOrder())).toEqual({
      source: 'woocommerce',
      externalId: '727',
      storeOrderNumber: undefined, // number "727" is the id
      orderedAt: '2017-03-22T19:28:02.000Z', // date_created_gmt + Z
      currency: 'USD',
      // customer_id 0 is a guest: the billing email stands in for the id.
      customer: { externalId: 'email:john.doe@example.com', name: 'John Doe', email: 'john.doe@example.com', country: 'US' },
      lines: [
        // subtotal "6.00" for 2 → 300 each; taxes [{id 75}] → tax_lines rate_id 75 → rate_percent 7.5 → 75000 ppm.
        { sku: 'product:93', description: 'Woo Single #1', quantity: 2, unitPriceMinor: 300, taxRatePpm: 75000, discountMinor: 0 },
        { sku: 'Bar3', description: 'Ship Your Idea &ndash; Color: Black, Size: M Test', quantity: 1, unitPriceMinor: 1200, taxRatePpm: 75000, discountMinor: 0 },
      ],
      shippingMinor: 1000,
      shippingTaxRatePpm: 0,
      taxesIncluded: false,
      billingAddress: { name: 'John Doe', company: undefined, line1: '969 Market', line2: undefined, city: 'San Francisco', postalCode: '94103', region: 'CA', country: 'US', phone: '(555) 555-5555' },
      shippingAddress: { name: 'John Doe', company: undefined, line1: '969 Market', line2: undefined, city: 'San Francisco', postalCode: '94103', region: 'CA', country: 'US', phone: undefined },
      storeTotals: { discountMinor: 0, shippingMinor: 1000, taxMinor: 135, totalMinor: 2935 },
    });
  });

  it('given the iOS-app order 963 (registered customer, fixed-cart coupon), when mapped, then each line discount is subtotal − total', () => {
    const order = orderOf('order.updated', couponOrder());

    expect(order.customer).toEqual({ externalId: '11', name: 'Johnny Appleseed', email: 'scrambled@scrambled.com', country: 'US' });
    expect(order.lines).toEqual([
      // subtotal "50.00" − total "30.00" = 2000; the line taxed at rate id 1 → rate_percent 4 → 40000 ppm.
      { sku: 'product:52', description: 'Fruits Basket (Mix & Match Product)', quantity: 1, unitPriceMinor: 5000, taxRatePpm: 40000, discountMinor: 2000 },
      // "10.00" − "0.00" = 1000: the coupon ate the whole line; its tax subtotal "0.4" still shows the rate applied.
      { sku: '5555-A', description: 'Fruits Bundle', quantity: 1, unitPriceMinor: 1000, taxRatePpm: 40000, discountMinor: 1000 },
    ]);
    expect(order.storeTotals).toEqual({ discountMinor: 3000, shippingMinor: 0, taxMinor: 120, totalMinor: 3120 });
  });

  it('given a tax-inclusive store (order 727 with prices_include_tax), when mapped, then prices are gross and a per-unit remainder is carried as discount', () => {
    const body = docsOrder();
    body.prices_include_tax = true;

    const order = orderOf('order.created', body);

    // Line 1: 6.00 + 0.45 tax = 6.45 gross for 2 units → 3.23 each (rounded up), 2 × 323 − 645 = 1 carried as discount.
    // Line 2: 12.00 + 0.90 = 12.90 gross.
    expect(order.lines.map(({ unitPriceMinor, discountMinor }) => ({ unitPriceMinor, discountMinor }))).toEqual([
      { unitPriceMinor: 323, discountMinor: 1 },
      { unitPriceMinor: 1290, discountMinor: 0 },
    ]);
    expect(order.taxesIncluded).toBe(true);
    // Net back out of gross: 645 / 1.075 = 600 (tax 45) and 1290 / 1.075 = 1200 (tax 90): the store's own numbers.
    const priced = newOrder(order, ids, '2026-01-01T00:00:00Z');
    expect(priced.lines.map((line) => [line.netMinor, line.taxMinor])).toEqual([
      [600, 45],
      [1200, 90],
    ]);
    expect(priced.totalMinor).toBe(2935);
  });

  it('given a store order number that differs from the id, when mapped, then it is kept as storeOrderNumber', () => {
    expect(orderOf('order.created', { ...docsOrder(), number: 'WC-2017-727' }).storeOrderNumber).toBe('WC-2017-727');
  });

  it('given a company on the billing address, when mapped, then the customer is the company', () => {
    const body = couponOrder();
    body.billing.company = 'Appleseed Orchards LLC';

    expect(orderOf('order.created', body).customer.name).toBe('Appleseed Orchards LLC');
  });

  it('given a shipping tax entry with empty totals (rate not applied), when mapped, then shipping stays untaxed', () => {
    const body = docsOrder();
    body.shipping_lines = [{ id: 317, total: '10.00', total_tax: '0.00', taxes: [{ id: 75, total: '', subtotal: '' }] }];

    expect(orderOf('order.created', body)).toMatchObject({ shippingMinor: 1000, shippingTaxRatePpm: 0 });
  });

  it('given taxed shipping, when mapped, then the shipping rate comes from its taxes by rate_id', () => {
    const body = docsOrder();
    body.shipping_lines = [{ id: 317, total: '10.00', total_tax: '0.75', taxes: [{ id: 75, total: '0.75', subtotal: '' }] }];

    expect(orderOf('order.created', body)).toMatchObject({ shippingMinor: 1000, shippingTaxRatePpm: 75000 });
  });

  // newOrder recomputes from lines and shipping and flags a store total it cannot reproduce.
  it.each([
    // (2 × 300) + 1200 = 1800 net; tax 7.5 % per line: 600 → 45, 1200 → 90; shipping 1000 untaxed.
    // 1800 + 135 + 1000 = 2935 = total "29.35".
    ['rest-docs-order-727.json', 2935],
    // (5000 − 2000) + (1000 − 1000) = 3000 net; tax 4 %: 3000 → 120, 0 → 0; no shipping. 3000 + 120 = 3120 = total "31.20".
    ['ios-app-order-963-coupon.json', 3120],
  ])('given the real fixture %s, when priced by newOrder, then the total is %i minor units, equal to the store total', (name, totalMinor) => {
    const priced = newOrder(orderOf('order.created', fixture(name)), ids, '2026-01-01T00:00:00Z');

    expect(priced.totalMinor).toBe(totalMinor);
    expect(priced.storeTotals?.totalMinor).toBe(totalMinor);
    expect(priced.flags).toEqual([]);
  });
});

describe('WooCommerce topics and statuses', () => {
  it.each([
    ['order.created', 'pending'],
    ['order.created', 'on-hold'],
    ['order.updated', 'processing'],
    ['order.updated', 'completed'],
  ])('given %s with status %s, when routed, then it is an order', (topic, status) => {
    expect(orderOf(topic, { ...docsOrder(), status }).externalId).toBe('727');
  });

  it.each([
    ['order.updated', 'cancelled'],
    ['order.updated', 'refunded'],
    ['order.created', 'failed'],
  ])('given %s with status %s, when routed, then it is a cancellation naming the status', (topic, status) => {
    expect(wooCommerceWebhookToIntake(topic, { ...docsOrder(), status })).toEqual({ kind: 'cancellation', externalId: '727', reason: `WooCommerce status ${status}` });
  });

  it('given a cancelled order whose body would not map as an order, when routed, then the cancellation still goes through', () => {
    expect(wooCommerceWebhookToIntake('order.updated', { id: 727, status: 'cancelled', currency: 'ABC' })).toMatchObject({ kind: 'cancellation' });
  });

  it('given order.deleted (WooCommerce sends only the id), when routed, then it is a cancellation', () => {
    expect(wooCommerceWebhookToIntake('order.deleted', fixture('order-deleted.json'))).toEqual({ kind: 'cancellation', externalId: '727', reason: 'deleted in WooCommerce' });
  });

  it.each(['checkout-draft', 'trash', 'wc-custom-status'])('given order.updated with status %s, when routed, then it is ignored', (status) => {
    expect(wooCommerceWebhookToIntake('order.updated', { ...docsOrder(), status })).toMatchObject({ kind: 'ignored', reason: expect.stringContaining(status) });
  });

  it.each(['order.restored', 'product.created', 'coupon.updated', 'action.woocommerce_checkout_order_processed'])(
    'given the topic %s, when routed, then it is ignored with the topic in the reason',
    (topic) => {
      expect(wooCommerceWebhookToIntake(topic, docsOrder())).toEqual({ kind: 'ignored', reason: `WooCommerce topic "${topic}" is not one O2C acts on` });
    },
  );
});

describe('WooCommerce order refusals', () => {
  const changed = (change: (body: Json) => void) => () => {
    const body = docsOrder();
    change(body);
    return wooCommerceOrderToCanonical(body);
  };

  it.each<[string, () => unknown, string]>([
    ['an unknown currency', changed((body) => (body.currency = 'ABC')), 'currency'],
    ['no total', changed((body) => delete body.total), 'total'],
    ['no date_created_gmt', changed((body) => delete body.date_created_gmt), 'date_created_gmt'],
    ['a local date with an offset', changed((body) => (body.date_created_gmt = '2017-03-22T19:28:02+02:00')), 'date_created_gmt'],
    ['a date that is not in the calendar', changed((body) => (body.date_created_gmt = '2017-02-30T19:28:02')), 'date_created_gmt'],
    ['no lines', changed((body) => (body.line_items = [])), 'line_items'],
    ['a zero quantity', changed((body) => (body.line_items[0]!.quantity = 0)), 'line_items.0.quantity'],
    ['a subtotal with more decimals than USD', changed((body) => (body.line_items[0]!.subtotal = '6.005')), 'line_items.0.subtotal'],
    ['a negative line total', changed((body) => (body.line_items[0]!.total = '-6.00')), 'line_items.0.total'],
    ['a line total above its subtotal', changed((body) => (body.line_items[0]!.total = '7.00')), 'line_items.0.total'],
    ['a line without SKU, variation or product', changed((body) => Object.assign(body.line_items[0]!, { sku: '', product_id: 0, variation_id: 0 })), 'line_items.0.sku'],
    ['a tax line without rate_percent (before WooCommerce 3.7)', changed((body) => delete body.tax_lines[0]!.rate_percent), 'tax_lines.0.rate_percent'],
    ['a rate finer than a millionth', changed((body) => (body.tax_lines[0]!.rate_percent = '8.87501')), 'tax_lines.0.rate_percent'],
    ['a line tax whose rate id is not in tax_lines', changed((body) => (body.tax_lines = [])), 'line_items.0.taxes.0.id'],
    ['a line tax with too many decimals', changed((body) => (body.line_items[0]!.taxes = [{ id: 75, total: '0.455', subtotal: '0.45' }])), 'line_items.0.taxes.0.total'],
    ['no billing email', changed((body) => delete body.billing.email), 'billing.email'],
    ['a billing email that is not one', changed((body) => (body.billing.email = 'john.doe')), 'billing.email'],
    ['no country anywhere', changed((body) => Object.assign(body, { billing: { ...body.billing, country: '' }, shipping: { ...body.shipping, country: '' } })), 'billing.country'],
    ['a shipping total with too many decimals', changed((body) => (body.shipping_lines = [{ total: '10.001', taxes: [] }])), 'shipping_lines.0.total'],
    ['a null body', () => wooCommerceOrderToCanonical(null), '(body)'],
    ['order.deleted without an id', () => wooCommerceWebhookToIntake('order.deleted', {}), 'id'],
    ['order.updated without a status', () => wooCommerceWebhookToIntake('order.updated', { id: 727 }), 'status'],
    ['order.created with a live status and a broken body', () => wooCommerceWebhookToIntake('order.created', { id: 727, status: 'processing' }), 'currency'],
  ])('given %s, when mapped, then InvalidRequest names %s', (_case, run, path) => {
    expect(refusedPaths(run)).toContain(path);
  });

  it('given the same amounts in JPY (no minor unit), when mapped, then every such amount is refused, not rounded', () => {
    const paths = refusedPaths(changed((body) => (body.currency = 'JPY')));

    expect(paths).toEqual(expect.arrayContaining(['line_items.0.subtotal_tax', 'line_items.0.taxes.0.total', 'total']));
  });
});
