import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidRequest } from '#domain/errors';
import { applyRateHalfUp, taxIncludedIn } from '#domain/money';
import { newOrder, type CanonicalOrder, type OrderLineInput } from '#domain/order';
import { wooCommerceOrderToCanonical, wooCommerceWebhookToIntake } from '#schemas/woocommerce';
import { repoRoot } from '#shared/state-machine-definitions';
import { Random } from '../../support/cash-ledger.ts';

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
      // date_paid is set (the docs created it with set_paid): the whole total was collected, by bank transfer.
      payment: { status: 'processing', capturedMinor: 2935, gateway: 'bacs' },
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

  it('given order.deleted with only the id (what WooCommerce signs for any deleted resource), when routed, then it is ignored: the id alone does not prove an order was deleted', () => {
    expect(wooCommerceWebhookToIntake('order.deleted', fixture('order-deleted.json'))).toEqual({
      kind: 'ignored',
      reason: 'the X-WC-Webhook-Topic header says order.deleted, but the signed body has no status: WooCommerce signs the same {"id"} for a deleted coupon, product or customer, so it does not prove the order was deleted',
      unproven: { externalId: '727' },
    });
  });

  it('given a captured order.created (status processing) replayed as order.deleted, when routed, then it is ignored naming the order', () => {
    expect(wooCommerceWebhookToIntake('order.deleted', { ...docsOrder(), status: 'processing' })).toEqual({
      kind: 'ignored',
      reason: 'the X-WC-Webhook-Topic header says order.deleted, but the signed body says status processing: not a deletion',
      unproven: { externalId: '727' },
    });
  });

  it.each(['order.deleted', 'order.updated'])('given %s whose signed body says status trash, when routed, then it is a cancellation (the order was trashed)', (topic) => {
    expect(wooCommerceWebhookToIntake(topic, { ...docsOrder(), status: 'trash' })).toEqual({ kind: 'cancellation', externalId: '727', reason: 'deleted in WooCommerce (status trash)' });
  });

  it.each(['cancelled', 'refunded', 'failed'])('given order.deleted whose signed body says status %s, when routed, then it is a cancellation naming the status', (status) => {
    expect(wooCommerceWebhookToIntake('order.deleted', { ...docsOrder(), status })).toEqual({ kind: 'cancellation', externalId: '727', reason: `WooCommerce status ${status}` });
  });

  it('given any topic header (random, seeded) on a body with a live status, when routed, then it is never a cancellation', () => {
    const random = new Random(11);
    const topics = ['order.deleted', 'ORDER.DELETED', ' order.deleted ', 'order.updated', 'order.created', 'order.restored', 'coupon.deleted'];
    for (let run = 0; run < 200; run += 1) {
      const body = random.pick([docsOrder, couponOrder])();
      body.status = random.pick(['pending', 'on-hold', 'processing', 'completed', 'checkout-draft']);
      const topic = random.pick(topics);

      const result = wooCommerceWebhookToIntake(topic, body);

      expect(result.kind, `${topic} with status ${String(body.status)}`).not.toBe('cancellation');
    }
  });

  it.each(['checkout-draft', 'wc-custom-status'])('given order.updated with status %s, when routed, then it is ignored', (status) => {
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
    ['a rate finer than a millionth', changed((body) => (body.tax_lines[0]!.rate_percent = '8.87501')), 'tax_lines.0.rate_percent'],
    ['a line tax whose rate id is not in tax_lines', changed((body) => (body.tax_lines = [])), 'line_items.0.taxes.0.id'],
    ['a line tax that is not an amount', changed((body) => (body.line_items[0]!.taxes = [{ id: 75, total: 'n/a', subtotal: '0.45' }])), 'line_items.0.taxes.0.total'],
    ['a negative line tax', changed((body) => (body.line_items[0]!.total_tax = '-0.45')), 'line_items.0.total_tax'],
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

  it('given the same amounts in JPY (no minor unit), when mapped, then every net amount and total is refused, not rounded (taxes are the store\'s to round)', () => {
    const paths = refusedPaths(changed((body) => (body.currency = 'JPY')));

    expect(paths).toEqual(expect.arrayContaining(['total', 'total_tax'])); // "29.35", "1.35"; "6.00" is 6 yen
    expect(paths).not.toContain('line_items.0.taxes.0.total');
  });
});

/** The tax the domain will charge on a canonical line: the store's when kept, else ours from the rate. */
const effectiveTax = (line: OrderLineInput, taxesIncluded: boolean): number => {
  const amount = line.quantity * line.unitPriceMinor - (line.discountMinor ?? 0);
  return line.storeTaxMinor ?? (taxesIncluded ? taxIncludedIn(amount, line.taxRatePpm) : applyRateHalfUp(amount, line.taxRatePpm));
};

describe('WooCommerce taxes as stores really send them', () => {
  it('given the REST docs order 727 verbatim (tax_lines without rate_percent, as before WooCommerce 3.7), when mapped, then the 7.5 % rate is derived from the line taxes and nothing is refused', () => {
    const order = orderOf('order.created', fixture('rest-docs-order-727-original.json'));

    // 0.45 on 6.00 and 0.90 on 12.00: every rate in [7.42 %, 7.58 %) reproduces both; the plainest is 7.5 %.
    expect(order.lines.map((line) => [line.taxRatePpm, line.storeTaxMinor])).toEqual([
      [75000, undefined],
      [75000, undefined],
    ]);
    const priced = newOrder(order, ids, '2026-01-01T00:00:00Z');
    expect(priced.totalMinor).toBe(2935);
    expect(priced.flags).toEqual([]);
  });

  it('given an unrounded tax subtotal from a real REST response (woocommerce#30424: 634.15 at 20 % after a 7 % coupon, subtotal tax "136.376"), when mapped, then it is accepted at 20 %', () => {
    const body = docsOrder();
    body.line_items = [
      { ...body.line_items[1], subtotal: '681.88', subtotal_tax: '136.38', total: '634.15', total_tax: '126.83', taxes: [{ id: 75, total: '126.83', subtotal: '136.376' }] },
    ];
    body.tax_lines = [{ ...body.tax_lines[0], rate_percent: 20, tax_total: '126.83' }];
    Object.assign(body, { discount_total: '47.73', total_tax: '126.83', total: '770.98' });

    const order = orderOf('order.created', body);

    expect(order.lines).toEqual([expect.objectContaining({ unitPriceMinor: 68188, discountMinor: 4773, taxRatePpm: 200000 })]);
    expect(order.lines[0]!.storeTaxMinor).toBeUndefined();
    expect(newOrder(order, ids, '2026-01-01T00:00:00Z').totalMinor).toBe(77098);
  });

  it('given a store that rounds tax at subtotal (19.99 × 3 and two 2.39 lines at 19 %, unrounded line taxes), when mapped, then line taxes are rounded to add up to the store total_tax and the line 19 % cannot reproduce keeps the store tax', () => {
    const body = docsOrder();
    const line = (sku: string, quantity: number, net: string, exactTax: string) => ({
      ...body.line_items[1], sku, quantity, subtotal: net, total: net, subtotal_tax: exactTax, total_tax: exactTax, taxes: [{ id: 75, total: exactTax, subtotal: exactTax }],
    });
    // 59.97 × 19 % = 11.3943; 2.39 × 19 % = 0.4541 (twice); together 12.3025, which the store rounds once: 12.30.
    body.line_items = [line('A', 3, '59.97', '11.3943'), line('B', 1, '2.39', '0.4541'), line('C', 1, '2.39', '0.4541')];
    body.tax_lines = [{ ...body.tax_lines[0], rate_percent: 19, tax_total: '12.30' }];
    Object.assign(body, { currency: 'EUR', shipping_lines: [], shipping_total: '0.00', total_tax: '12.30', total: '77.05' });

    const order = orderOf('order.created', body);

    // Rounded down: 11.39 + 0.45 + 0.45 = 12.29; the missing cent goes to the largest remainder (line A, .43).
    expect(order.lines.map((item) => [item.taxRatePpm, item.storeTaxMinor])).toEqual([
      [190000, 1140], // 5997 × 19 % = 1139.43 → 1139 ≠ 1140: the store's tax is kept
      [190000, undefined], // 239 × 19 % = 45.41 → 45, as the store
      [190000, undefined],
    ]);
    expect(order.lines.reduce((sum, item) => sum + effectiveTax(item, false), 0)).toBe(1230);
  });

  it('given a tax-inclusive KWD store with an unrounded shipping tax, when mapped, then the store shipping tax is kept where the rate cannot reproduce it', () => {
    const body = docsOrder();
    Object.assign(body, { currency: 'KWD', prices_include_tax: true });
    body.line_items = [{ ...body.line_items[1], subtotal: '12.000', subtotal_tax: '0.900', total: '12.000', total_tax: '0.900', taxes: [{ id: 75, total: '0.9', subtotal: '0.9' }] }];
    // 1.234 KWD shipping at 7.5 % is 0.09255 exactly; the store's shipping_tax_total says 0.093.
    body.shipping_lines = [{ total: '1.234', total_tax: '0.09255', taxes: [{ id: 75, total: '0.09255', subtotal: '' }] }];
    body.tax_lines = [{ ...body.tax_lines[0], rate_percent: 7.5, tax_total: '0.900', shipping_tax_total: '0.093' }];
    Object.assign(body, { shipping_total: '1.234', total_tax: '0.993', total: '14.227' });

    const order = orderOf('order.created', body);

    expect(order.lines[0]).toMatchObject({ unitPriceMinor: 12900, taxRatePpm: 75000 });
    expect(order.lines[0]!.storeTaxMinor).toBeUndefined(); // 12.900 gross → 12.000 net + 0.900
    // Gross shipping 1.234 + 0.093 = 1.327; the tax inside it at 7.5 % is 1.327 − 1.234 (1.23442 → 1.234) = 0.093: reproduced.
    expect(order).toMatchObject({ shippingMinor: 1327, shippingTaxRatePpm: 75000 });
    expect(order.shippingStoreTaxMinor).toBeUndefined();
  });

  it('given random stores rounding at subtotal or per line, with or without rate_percent, in EUR, JPY and KWD (seeded), when mapped, then nothing is refused and the taxes the domain will charge add up to the store total_tax', () => {
    const random = new Random(20261202);
    const rates = ['19', '7.5', '8.875', '7.7', '10', '21', '5.5'];
    for (let run = 0; run < 300; run += 1) {
      const currency = random.pick(['EUR', 'JPY', 'KWD']);
      const digits = currency === 'JPY' ? 0 : currency === 'EUR' ? 2 : 3;
      const percent = random.pick(rates);
      const [whole, fraction = ''] = percent.split('.');
      const ratePpm = Number(`${whole}${fraction.padEnd(4, '0')}`);
      const roundAtSubtotal = random.chance(0.5);
      const decimal = (units: bigint, scale: number) => {
        const text = units.toString().padStart(scale + 1, '0');
        return scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
      };
      const body = docsOrder();
      let exactSum = 0n; // in 10^-(digits + 6)
      const lines = Array.from({ length: random.int(1, 6) }, (_, index) => {
        const quantity = random.int(1, 5);
        const netMinor = random.int(1, 200_000) * quantity;
        const exact = BigInt(netMinor) * BigInt(ratePpm); // tax in 10^-(digits + 6)
        exactSum += exact;
        const tax = roundAtSubtotal ? decimal(exact, digits + 6) : decimal(BigInt(applyRateHalfUp(netMinor, ratePpm)), digits);
        const net = decimal(BigInt(netMinor), digits);
        return { ...body.line_items[1], sku: `S-${index}`, quantity, subtotal: net, total: net, subtotal_tax: tax, total_tax: tax, taxes: [{ id: 75, total: tax, subtotal: tax }] };
      });
      const storeTaxMinor = roundAtSubtotal
        ? Number((exactSum * 2n + 1_000_000n) / 2_000_000n)
        : lines.reduce((sum, line) => sum + applyRateHalfUp(Number(line.total.replace('.', '')), ratePpm), 0);
      body.line_items = lines;
      body.tax_lines = [{ ...body.tax_lines[0], tax_total: decimal(BigInt(storeTaxMinor), digits), ...(random.chance(0.5) ? { rate_percent: percent } : { rate_percent: undefined }) }];
      Object.assign(body, { currency, shipping_lines: [], shipping_total: '0', total_tax: decimal(BigInt(storeTaxMinor), digits), total: '0' });

      const order = wooCommerceOrderToCanonical(body);

      const charged = order.lines.reduce((sum, line) => sum + effectiveTax(line, false), 0);
      expect(charged, `run ${run}: ${currency} ${percent} % ${roundAtSubtotal ? 'at subtotal' : 'per line'}`).toBe(storeTaxMinor);
      // A store rounding per line is always reproduced by one rate: no store tax needs to be kept.
      if (!roundAtSubtotal) expect(order.lines.filter((line) => line.storeTaxMinor !== undefined), `run ${run}`).toEqual([]);
    }
  });
});

describe('WooCommerce payment at checkout and the buyer VAT id', () => {
  it('given the iOS-app order 963 (Stripe, date_paid set), when mapped, then the whole total is captured via stripe', () => {
    expect(orderOf('order.created', couponOrder()).payment).toEqual({ status: 'processing', capturedMinor: 3120, gateway: 'stripe' });
  });

  it.each<[string, Record<string, unknown>, number]>([
    ['cash on delivery, not yet paid', { status: 'processing', payment_method: 'cod', date_paid: null, date_paid_gmt: null }, 0],
    ['a bank transfer awaited (on-hold)', { status: 'on-hold', date_paid: null, date_paid_gmt: null }, 0],
    ['a REST-created order with set_paid', { status: 'processing', date_paid: null, date_paid_gmt: null, set_paid: true }, 2935],
    ['a completed order paid earlier', { status: 'completed' }, 2935],
  ])('given %s, when mapped, then %j captures the right amount', (_case, change, capturedMinor) => {
    expect(orderOf('order.updated', { ...docsOrder(), ...change }).payment?.capturedMinor).toBe(capturedMinor);
  });

  it.each<[string, unknown, string | undefined]>([
    ['_billing_vat_number', 'DE 123 456 789', 'DE123456789'],
    ['vat_number', 'nl123456789b01', 'NL123456789B01'],
    ['billing_vat', 'ATU12345678', 'ATU12345678'],
    ['_billing_vat_number', '123456789', undefined], // no country prefix: not clearly a VAT id
    ['_billing_vat_number', '', undefined],
    ['_billing_company_registration', 'DE123456789', undefined], // not a VAT key
  ])('given meta %s = %j, when mapped, then the buyer VAT id is %j', (key, value, vatId) => {
    const body = docsOrder();
    body.meta_data = [{ id: 1, key, value }];

    expect(orderOf('order.created', body).customer.vatId).toBe(vatId);
  });
});

describe('WooCommerce order on the orders queue', () => {
  it('given a mapped order with a payment, a kept store tax and a VAT id, when it crosses the queue (OrderDelivered), then none of them is stripped', async () => {
    const { OrderDelivered } = await import('#schemas/messages');
    const body = docsOrder();
    body.meta_data = [{ id: 1, key: '_billing_vat_number', value: 'DE123456789' }];
    body.shipping_lines = [{ total: '10.00', total_tax: '0.76', taxes: [{ id: 75, total: '0.76', subtotal: '' }] }]; // 7.5 % of 10.00 is 0.75
    const order = orderOf('order.created', body);

    const wire = OrderDelivered.parse(JSON.parse(JSON.stringify({ deliveryId: 'D-1', receivedAt: '2026-01-01T00:00:00Z', order })));

    expect(wire.order).toMatchObject({ payment: { capturedMinor: 2935 }, shippingStoreTaxMinor: 76, customer: { vatId: 'DE123456789' } });
  });
});
