import { describe, expect, it } from 'vitest';
import { checkAgainstCatalogue, newOrder, type CanonicalOrder, type CatalogueProduct } from '#domain/order';

const input: CanonicalOrder = {
  source: 'generic',
  externalId: 'ORD-1',
  orderedAt: '2026-11-23T10:00:00Z',
  currency: 'EUR',
  customer: { externalId: 'C-1', name: 'Acme', email: 'ap@acme.example', country: 'DE' },
  lines: [
    { sku: 'A', quantity: 2, unitPriceMinor: 1999, taxRateBasisPoints: 1900 },
    { sku: 'B', quantity: 3, unitPriceMinor: 333, taxRateBasisPoints: 700 },
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
