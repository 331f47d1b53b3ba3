import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidRequest } from '#domain/errors';
import { newOrder, type CanonicalOrder } from '#domain/order';
import { shopifyOrderToCanonical, shopifyWebhookToIntake } from '#schemas/shopify';
import { repoRoot } from '#shared/state-machine-definitions';
import { Random } from '../../support/cash-ledger.ts';

type Json = Record<string, unknown> & { line_items: Record<string, unknown>[] };

/** A fresh, mutable copy of a real payload (test/fixtures/stores/SOURCES.md says where each comes from). */
const fixture = (name: string): Json => JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/shopify', name), 'utf8')) as Json;

const docsExample = () => fixture('orders-create-docs-example.json');
const audOrder = () => fixture('dev-store-aud-gst.json');
const hkdOrder = () => fixture('dev-store-hkd-discounts.json');

const orderOf = (topic: string, body: unknown): CanonicalOrder => {
  const result = shopifyWebhookToIntake(topic, body);
  if (result.kind !== 'order') throw new Error(`expected an order, got ${result.kind}`);
  return result.order;
};

/** The field paths of the InvalidRequest a body is refused with (fails the test if it is accepted or throws otherwise). */
const refusedPaths = (body: unknown): string[] => {
  try {
    shopifyOrderToCanonical(body);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequest);
    expect((error as InvalidRequest).message).toBe('invalid shopify order');
    return ((error as InvalidRequest).details as { path: string }[]).map((issue) => issue.path);
  }
  throw new Error('expected the body to be refused');
};

const ids = { orderId: 'ORD-1', customerId: 'CUS-1' };

describe('Shopify order webhooks → canonical order', () => {
  it('given the AUD dev-store order (GST 10 % on top, SKU-less line), when mapped, then amounts are minor units and the line is held by variant', () => {
    const order = orderOf('orders/create', audOrder());

    expect(order).toMatchObject({
      source: 'shopify',
      externalId: '2998557704341',
      storeOrderNumber: '#1030',
      orderedAt: '2020-12-26T21:23:58.000Z', // 08:23:58+11:00
      currency: 'AUD',
      customer: { externalId: '4206822293653', name: 'Alex Buyer', email: 'buyer@example.com', country: 'AU' },
      // "44.95" → 4495; GST rate 0.1 → 100000 ppm; no SKU → variant:<variant_id> so the catalogue check holds it.
      lines: [{ sku: 'variant:37319198802069', quantity: 1, unitPriceMinor: 4495, taxRatePpm: 100000, discountMinor: 0 }],
      // Shipping "10.00" with no tax line → 1000 at 0 ppm.
      shippingMinor: 1000,
      shippingTaxRatePpm: 0,
      taxesIncluded: false,
      storeTotals: { subtotalMinor: 4495, discountMinor: 0, shippingMinor: 1000, taxMinor: 450, totalMinor: 5945 },
      billingAddress: { name: 'Alex Buyer', line1: '1 Example Street', city: 'Canberra', postalCode: '2601', region: 'ACT', country: 'AU' },
    });
  });

  it('given the HKD draft order (two discounts spread over SKU-less lines, guest), when mapped, then each line carries all its allocations', () => {
    const order = orderOf('orders/paid', hkdOrder());

    expect(order.customer).toEqual({ externalId: 'email:buyer@example.com', name: 'Guest Buyer', email: 'buyer@example.com', country: 'HK' });
    expect(order.lines).toEqual([
      // 99.00 with allocations 14.10 (15 % code) + 5.00 (automatic) = 19.10 → discount 1910.
      { sku: 'variant:50398373085484', description: 'aaa0103測試商品11aa', quantity: 1, unitPriceMinor: 9900, taxRatePpm: 0, discountMinor: 1910 },
      // 100.00 with 15.00 (15 % code) → 1500.
      { sku: 'variant:50451770802476', description: 'Green Snowboard', quantity: 1, unitPriceMinor: 10000, taxRatePpm: 0, discountMinor: 1500 },
    ]);
    expect(order.shippingMinor).toBe(2200);
    expect(order.storeTotals).toEqual({ subtotalMinor: 16490, discountMinor: 3410, shippingMinor: 2200, taxMinor: 0, totalMinor: 18690 });
  });

  it('given the documented example with ids beyond 2^53, when mapped, then the ids keep every digit (from admin_graphql_api_id)', () => {
    const body = docsExample();
    expect(body.id).toBe(820982911946154500); // what JSON.parse made of 820982911946154508

    const order = orderOf('orders/create', body);

    expect(order.externalId).toBe('820982911946154508');
    expect(order.customer.externalId).toBe('115310627314723954');
    expect(order.orderedAt).toBe('2022-01-01T00:00:00.000Z'); // 2021-12-31T19:00:00-05:00
    // Company first, as the name an invoice is addressed to; the customer record's email, not the order's.
    expect(order.customer).toMatchObject({ name: 'Shipping Company', email: 'john@example.com', country: 'US' });
    expect(order.lines.map((line) => [line.sku, line.unitPriceMinor])).toEqual([
      ['SKU2006-001', 8999],
      ['SKU2006-020', 15999],
      ['SKU2006-035', 11999],
    ]);
  });

  it('given taxes included in the price, when mapped, then the flag is carried and unit prices stay gross', () => {
    const body = audOrder();
    body.taxes_included = true;

    expect(orderOf('orders/create', body)).toMatchObject({ taxesIncluded: true, lines: [{ unitPriceMinor: 4495, taxRatePpm: 100000 }] });
  });

  it('given a tax line that charged 0.00, when mapped, then its rate does not count (the tax did not apply)', () => {
    const body = audOrder();
    body.line_items[0]!.tax_lines = [
      { title: 'GST', price: '4.50', rate: 0.1 },
      { title: 'Exempt levy', price: '0.00', rate: 0.05 },
    ];

    expect(orderOf('orders/create', body).lines[0]!.taxRatePpm).toBe(100000);
  });

  it('given a shipping line with a shipping discount and tax, when mapped, then shipping is net of the discount at its rate', () => {
    const body = audOrder();
    body.shipping_lines = [{ price: '10.00', discount_allocations: [{ amount: '4.00' }], tax_lines: [{ price: '0.60', rate: 0.1 }] }];

    expect(orderOf('orders/create', body)).toMatchObject({ shippingMinor: 600, shippingTaxRatePpm: 100000 });
  });

  // newOrder recomputes from lines and shipping and flags a store total it cannot reproduce.
  it.each([
    // 4495 + tax round_half_up(4495 × 10 %) = 449.5 → 450 + shipping 1000 = 5945 = total_price "59.45".
    ['dev-store-aud-gst.json', 5945, []],
    // (9900 − 1910) + (10000 − 1500) + 2200 = 7990 + 8500 + 2200 = 18690 = total_price "186.90".
    ['dev-store-hkd-discounts.json', 18690, []],
    // 8999 + 15999 + 11999 + 1000 shipping = 37997, but total_price is "359.97": Shopify's synthetic example
    // reports total_discounts "20.00" without any discount_applications or discount_allocations, so no line
    // (nor the shipping) carries the 20.00. The store total cannot be reproduced and is flagged, as it should be.
    ['orders-create-docs-example.json', 37997, ['store total 35997 differs from the recomputed 37997 (USD minor units)']],
  ])('given the real fixture %s, when priced by newOrder, then the total is %i minor units with flags %j', (name, totalMinor, flags) => {
    const priced = newOrder(orderOf('orders/create', fixture(name)), ids, '2026-01-01T00:00:00Z');

    expect(priced.totalMinor).toBe(totalMinor);
    expect(priced.flags).toEqual(flags);
  });
});

describe('Shopify topics', () => {
  it('given orders/cancelled (the documented example), when routed, then it is a cancellation with the cancel_reason', () => {
    expect(shopifyWebhookToIntake('orders/cancelled', docsExample())).toEqual({
      kind: 'cancellation',
      externalId: '820982911946154508',
      reason: 'cancelled in Shopify (customer)',
    });
  });

  it('given orders/cancelled without a cancel_reason, when routed, then the reason says none was given', () => {
    const body = audOrder();
    body.cancel_reason = null;
    body.cancelled_at = '2021-05-01T10:00:00+10:00';

    expect(shopifyWebhookToIntake('orders/cancelled', body)).toEqual({
      kind: 'cancellation',
      externalId: '2998557704341',
      reason: 'cancelled in Shopify (no reason given)',
    });
  });

  it('given a captured orders/create replayed as orders/cancelled (cancelled_at null), when routed, then it is ignored naming the order whose cancellation is unproven', () => {
    expect(shopifyWebhookToIntake('orders/cancelled', audOrder())).toEqual({
      kind: 'ignored',
      reason: 'the X-Shopify-Topic header says orders/cancelled, but the signed body has no cancelled_at: not a cancellation',
      unproven: { externalId: '2998557704341' },
    });
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
  ])('given orders/cancelled whose cancelled_at is %s, when routed, then it is ignored, not a cancellation', (_case, cancelledAt) => {
    const body: Record<string, unknown> = { ...audOrder(), cancelled_at: cancelledAt };
    if (cancelledAt === undefined) delete body.cancelled_at;

    expect(shopifyWebhookToIntake('orders/cancelled', body)).toMatchObject({ kind: 'ignored', unproven: { externalId: '2998557704341' } });
  });

  it('given any topic header (random, seeded) on a body that is not cancelled, when routed, then it is never a cancellation', () => {
    const random = new Random(11);
    const topics = ['orders/cancelled', 'Orders/Cancelled', ' orders/cancelled ', 'orders/create', 'orders/paid', 'orders/updated', 'orders/delete'];
    for (let run = 0; run < 200; run += 1) {
      const body = random.pick([audOrder, hkdOrder])();
      body.cancelled_at = random.pick([null, undefined, '']);
      body.financial_status = random.pick(['pending', 'authorized', 'paid', 'voided', 'refunded', 'partially_paid']);
      const topic = random.pick(topics);

      const result = shopifyWebhookToIntake(topic, body);

      expect(result.kind, `${topic} on ${String(body.id)}`).not.toBe('cancellation');
    }
  });

  it.each(['pending', 'authorized', 'voided', 'refunded'])(
    'given orders/paid whose signed body says financial_status %s, when routed, then the order claims nothing captured',
    (status) => {
      const body = audOrder();
      body.financial_status = status;

      expect(orderOf('orders/paid', body).payment).toMatchObject({ status, capturedMinor: 0 });
    },
  );

  it('given the documented refunds/create, when routed, then it is ignored: a refund cannot show the whole order was refunded', () => {
    // Every listed line is refunded in full, yet the transactions return 75.00 + 10.00 of a much larger order.
    const result = shopifyWebhookToIntake('refunds/create', fixture('refunds-create-docs-example.json'));

    expect(result).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('orders/cancelled') });
    expect(result).toMatchObject({ reason: expect.stringContaining('refund 890088186047892319') });
  });

  it('given a refunds/create body that is not a refund, when routed, then it is refused at the field', () => {
    expect(() => shopifyWebhookToIntake('refunds/create', { id: 1 })).toThrow(InvalidRequest);
    try {
      shopifyWebhookToIntake('refunds/create', { id: 1 });
    } catch (error) {
      expect((error as InvalidRequest).message).toBe('invalid shopify refund');
      expect((error as InvalidRequest).details).toEqual([expect.objectContaining({ path: 'order_id' })]);
    }
  });

  it.each(['orders/updated', 'orders/fulfilled', 'products/create', 'app/uninstalled'])(
    'given the topic %s, when routed, then it is ignored with the topic in the reason',
    (topic) => {
      expect(shopifyWebhookToIntake(topic, audOrder())).toEqual({ kind: 'ignored', reason: `Shopify topic "${topic}" is not one O2C acts on` });
    },
  );

  it('given an order topic in another case, when routed, then it is still an order', () => {
    expect(shopifyWebhookToIntake('Orders/Create', audOrder()).kind).toBe('order');
  });
});

describe('Shopify order refusals', () => {
  const withLine = (change: (line: Record<string, unknown>) => void) => {
    const body = audOrder();
    change(body.line_items[0]!);
    return body;
  };

  it.each<[string, () => unknown, string]>([
    ['an unknown currency', () => ({ ...audOrder(), currency: 'ABC' }), 'currency'],
    ['no total_price', () => ({ ...audOrder(), total_price: undefined }), 'total_price'],
    ['a created_at without a zone', () => ({ ...audOrder(), created_at: '2020-12-27 08:23:58' }), 'created_at'],
    ['no lines', () => ({ ...audOrder(), line_items: [] }), 'line_items'],
    ['a zero quantity', () => withLine((line) => (line.quantity = 0)), 'line_items.0.quantity'],
    ['a fractional quantity', () => withLine((line) => (line.quantity = 1.5)), 'line_items.0.quantity'],
    ['a price with more decimals than AUD', () => withLine((line) => (line.price = '44.955')), 'line_items.0.price'],
    ['a negative price', () => withLine((line) => (line.price = '-44.95')), 'line_items.0.price'],
    ['a price that is not a number', () => withLine((line) => (line.price = 'free')), 'line_items.0.price'],
    ['a line without SKU, variant or product', () => withLine((line) => Object.assign(line, { sku: null, variant_id: null, product_id: null })), 'line_items.0.sku'],
    ['a tax rate finer than a millionth', () => withLine((line) => (line.tax_lines = [{ price: '3.99', rate: '0.0887501' }])), 'line_items.0.tax_lines.0.rate'],
    ['a discount with too many decimals', () => withLine((line) => (line.discount_allocations = [{ amount: '1.001' }])), 'line_items.0.discount_allocations.0.amount'],
    ['discounts above the line amount', () => withLine((line) => (line.discount_allocations = [{ amount: '50.00' }])), 'line_items.0.discount_allocations'],
    ['a shipping price with too many decimals', () => ({ ...audOrder(), shipping_lines: [{ price: '10.001' }] }), 'shipping_lines.0.price'],
    ['an id that lost digits and no admin_graphql_api_id', () => ({ ...audOrder(), id: JSON.parse('820982911946154508') as number, admin_graphql_api_id: null }), 'id'],
    ['no email anywhere', () => ({ ...audOrder(), email: null, contact_email: null, customer: null }), 'email'],
    ['an email that is not one', () => ({ ...audOrder(), email: 'nobody', contact_email: null, customer: null }), 'email'],
    [
      'no country on any address',
      () => ({ ...audOrder(), billing_address: null, shipping_address: null, customer: { ...(audOrder().customer as object), default_address: null } }),
      'billing_address.country_code',
    ],
    ['a country name instead of a code', () => ({ ...audOrder(), billing_address: { ...(audOrder().billing_address as object), country_code: 'Australia' } }), 'billing_address.country_code'],
    ['a body that is not an object', () => 'orders/create', '(body)'],
    ['a null body', () => null, '(body)'],
  ])('given %s, when mapped, then InvalidRequest names %s', (_case, body, path) => {
    expect(refusedPaths(body())).toContain(path);
  });

  it('given the same decimals in JPY (no minor unit), when mapped, then every such amount is refused, not rounded', () => {
    const paths = refusedPaths({ ...audOrder(), currency: 'JPY' });

    expect(paths).toEqual(expect.arrayContaining(['line_items.0.price', 'line_items.0.tax_lines.0.price', 'total_price']));
  });

  it('given two bad fields, when mapped, then both are named in one InvalidRequest', () => {
    const body = withLine((line) => (line.price = '44.955'));
    body.total_price = '59.455';

    expect(refusedPaths(body)).toEqual(expect.arrayContaining(['line_items.0.price', 'total_price']));
  });
});

describe('Shopify payment at checkout', () => {
  it.each<[string, () => Json, { status: string; capturedMinor: number; gateway: string }]>([
    // financial_status "paid": the whole total_price "59.45" was captured, by Shopify Payments.
    ['the AUD dev-store order (paid)', audOrder, { status: 'paid', capturedMinor: 5945, gateway: 'shopify_payments' }],
    // gateway null; payment_gateway_names ["manual"].
    ['the HKD draft order (paid manually)', hkdOrder, { status: 'paid', capturedMinor: 18690, gateway: 'manual' }],
    // financial_status "voided": the authorization was released, nothing is held.
    ['the documented example (voided)', docsExample, { status: 'voided', capturedMinor: 0, gateway: 'visa, bogus' }],
    ['a partially paid order (deposit of 20.00 of 59.45)', () => ({ ...audOrder(), financial_status: 'partially_paid', current_total_price: '59.45', total_outstanding: '39.45' }), { status: 'partially_paid', capturedMinor: 2000, gateway: 'shopify_payments' }],
    ['a partially refunded order (19.45 returned)', () => ({ ...audOrder(), financial_status: 'partially_refunded', current_total_price: '40.00', total_outstanding: '0.00' }), { status: 'partially_refunded', capturedMinor: 4000, gateway: 'shopify_payments' }],
    ['an overpaid partially paid order', () => ({ ...audOrder(), financial_status: 'partially_paid', current_total_price: '59.45', total_outstanding: '-5.00' }), { status: 'partially_paid', capturedMinor: 5945, gateway: 'shopify_payments' }],
    ['a partially paid order without total_outstanding', () => ({ ...audOrder(), financial_status: 'partially_paid' }), { status: 'partially_paid', capturedMinor: 0, gateway: 'shopify_payments' }],
    ['an authorized order', () => ({ ...audOrder(), financial_status: 'authorized' }), { status: 'authorized', capturedMinor: 0, gateway: 'shopify_payments' }],
    ['a pending order', () => ({ ...audOrder(), financial_status: 'pending' }), { status: 'pending', capturedMinor: 0, gateway: 'shopify_payments' }],
    ['a refunded order', () => ({ ...audOrder(), financial_status: 'refunded' }), { status: 'refunded', capturedMinor: 0, gateway: 'shopify_payments' }],
  ])('given %s, when mapped, then the status, the amount captured and the gateway are the store ones', (_case, body, payment) => {
    expect(orderOf('orders/create', body()).payment).toEqual(payment);
  });

  it('given no financial_status, when mapped, then no payment is claimed', () => {
    expect(orderOf('orders/create', { ...audOrder(), financial_status: null }).payment).toBeUndefined();
  });

  it('given a total_outstanding with more decimals than AUD, when mapped, then it is refused at the field', () => {
    expect(refusedPaths({ ...audOrder(), financial_status: 'partially_paid', total_outstanding: '39.455' })).toContain('total_outstanding');
  });
});

describe("Shopify's own tax where the rate does not reproduce it", () => {
  it('given the AUD order whose 4.50 GST is 10 % of 44.95 rounded half-up, when mapped, then no store tax is kept', () => {
    const order = orderOf('orders/create', audOrder());

    expect(order.lines[0]!.storeTaxMinor).toBeUndefined();
    expect(order.shippingStoreTaxMinor).toBeUndefined();
  });

  it('given 19.99 × 3 tax-inclusive at 19 % taxed per unit by Shopify (3 × 3.19 = 9.57), when mapped, then the store tax is kept (ours would be 9.58)', () => {
    const body = audOrder();
    body.taxes_included = true;
    Object.assign(body.line_items[0]!, { quantity: 3, price: '19.99', tax_lines: [{ title: 'MwSt', price: '9.57', rate: 0.19 }] });

    const line = orderOf('orders/create', body).lines[0]!;

    // 59.97 gross: net 59.97 / 1.19 = 50.3949… → 50.39, tax 9.58 ≠ 9.57.
    expect(line).toMatchObject({ unitPriceMinor: 1999, taxRatePpm: 190000, storeTaxMinor: 957 });
  });

  it('given shipping in two lines taxed at different rates, when mapped, then it is accepted at the first rate with the store shipping tax kept', () => {
    const body = audOrder();
    body.shipping_lines = [
      { price: '10.00', tax_lines: [{ price: '1.00', rate: 0.1 }] },
      { price: '5.00', tax_lines: [{ price: '0.25', rate: 0.05 }] },
    ];

    expect(orderOf('orders/create', body)).toMatchObject({ shippingMinor: 1500, shippingTaxRatePpm: 100000, shippingStoreTaxMinor: 125 });
  });
});

describe('Shopify buyer VAT id', () => {
  it.each<[{ name: string; value: unknown }[], string | undefined]>([
    [[{ name: 'VAT Number', value: 'DE 123456789' }], 'DE123456789'],
    [[{ name: 'vat_id', value: 'FR40303265045' }], 'FR40303265045'],
    [[{ name: 'VAT Number', value: 'none' }], undefined],
    [[{ name: 'Company number', value: 'DE123456789' }], undefined],
    [[], undefined],
  ])('given note_attributes %j, when mapped, then the buyer VAT id is %j', (noteAttributes, vatId) => {
    expect(orderOf('orders/create', { ...audOrder(), note_attributes: noteAttributes }).customer.vatId).toBe(vatId);
  });
});
