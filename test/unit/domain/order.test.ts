import { describe, expect, it } from 'vitest';
import { checkAgainstCatalogue, newOrder, type CanonicalOrder, type CatalogueProduct } from '#domain/order';

const input: CanonicalOrder = {
  source: 'generic',
  externalId: 'ORD-1',
  orderedAt: '2026-11-23T10:00:00Z',
  currency: 'EUR',
  customer: { externalId: 'C-1', name: 'Acme', email: 'ap@acme.example', country: 'DE' },
  lines: [
    { sku: 'A', quantity: 2, unitPriceMinor: 1999, taxRatePpm: 190000 },
    { sku: 'B', quantity: 3, unitPriceMinor: 333, taxRatePpm: 70000 },
  ],
  shippingMinor: 500,
};

const product = (sku: string, overrides: Partial<CatalogueProduct> = {}): CatalogueProduct => ({ sku, name: sku, priceMinor: 100, currency: 'EUR', active: true, ...overrides });

describe('order pricing', () => {
  it('given two lines and shipping, when priced, then line taxes round per line and the totals add up exactly', () => {
    const order = newOrder(input, { orderId: 'O1', customerId: 'C1' }, '2026-11-23T10:00:00Z');

    expect(order.lines.map((line) => [line.netMinor, line.taxMinor])).toEqual([
      [3998, 760],
      [999, 70],
    ]);
    expect(order).toMatchObject({ netMinor: 4997, taxMinor: 830, shippingMinor: 500, totalMinor: 6327, status: 'NEW', version: 1 });
  });
});

describe('catalogue check', () => {
  it('given every SKU active in the order currency, when checked, then RECEIVED', () => {
    expect(checkAgainstCatalogue(input, new Map([['A', product('A')], ['B', product('B')]]))).toEqual({ status: 'RECEIVED', reasons: [] });
  });

  it('given an unknown, a retired and a foreign-currency SKU, when checked, then ON_HOLD with one reason each', () => {
    const lines = [{ sku: 'A' }, { sku: 'B' }, { sku: 'C' }];

    const check = checkAgainstCatalogue({ currency: 'EUR', lines }, new Map([['A', product('A', { active: false })], ['C', product('C', { currency: 'USD' })]]));

    expect(check).toEqual({
      status: 'ON_HOLD',
      reasons: ['lines[0]: SKU A is no longer sold', 'lines[1]: unknown SKU B', 'lines[2]: SKU C is priced in USD, the order is in EUR'],
    });
  });
});

describe('discounts and tax-inclusive prices', () => {
  const base = { ...input, lines: [] as CanonicalOrder['lines'], shippingMinor: 0 };

  it('given a line discount, when priced, then tax is on the discounted amount', () => {
    const order = newOrder({ ...base, lines: [{ sku: 'A', quantity: 3, unitPriceMinor: 1000, taxRatePpm: 190000, discountMinor: 300 }] }, { orderId: 'O', customerId: 'C' }, '2026-11-23T10:00:00Z');

    // 3 × 10.00 − 3.00 = 27.00 net; 19 % = 5.13
    expect(order).toMatchObject({ discountMinor: 300, netMinor: 2700, taxMinor: 513, totalMinor: 3213 });
  });

  it('given tax-inclusive prices, when priced, then net is rounded half-up and net + tax is what the buyer paid', () => {
    const order = newOrder(
      { ...base, taxesIncluded: true, lines: [{ sku: 'A', quantity: 1, unitPriceMinor: 1999, taxRatePpm: 190000 }], shippingMinor: 495, shippingTaxRatePpm: 190000 },
      { orderId: 'O', customerId: 'C' },
      '2026-11-23T10:00:00Z',
    );

    // 19.99 / 1.19 = 16.798… → 16.80 net, 3.19 tax; shipping 4.95 / 1.19 = 4.159… → 4.16 net, 0.79 tax.
    expect(order).toMatchObject({ netMinor: 1680, shippingMinor: 416, shippingTaxMinor: 79, taxMinor: 319 + 79, totalMinor: 1999 + 495 });
  });

  it('given the store total differs from ours, when priced, then the order is flagged and the store total kept', () => {
    const order = newOrder({ ...base, lines: [{ sku: 'A', quantity: 1, unitPriceMinor: 1000, taxRatePpm: 0 }], storeTotals: { totalMinor: 1001 } }, { orderId: 'O', customerId: 'C' }, '2026-11-23T10:00:00Z');

    expect(order.flags).toEqual(['store total 1001 differs from the recomputed 1000 (EUR minor units)']);
    expect(order.storeTotals).toEqual({ totalMinor: 1001 });
  });

  it('given a JPY order, when priced, then tax rounds to whole yen', () => {
    const order = newOrder({ ...base, currency: 'JPY', lines: [{ sku: 'A', quantity: 3, unitPriceMinor: 333, taxRatePpm: 100000 }] }, { orderId: 'O', customerId: 'C' }, '2026-11-23T10:00:00Z');

    // 999 yen × 10 % = 99.9 → 100
    expect(order).toMatchObject({ netMinor: 999, taxMinor: 100, totalMinor: 1099 });
  });
});
