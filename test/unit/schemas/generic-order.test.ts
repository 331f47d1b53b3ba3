import { describe, expect, it } from 'vitest';
import { GenericOrderBody, describeIssues, toCanonicalOrder } from '#schemas/generic-order';
import { genericOrder } from '../../support/fixtures.ts';

const pathsOf = (body: unknown) => {
  const parsed = GenericOrderBody.safeParse(body);
  return parsed.success ? [] : describeIssues(parsed.error).map((issue) => issue.path);
};

describe('generic order body', () => {
  it('given the DESIGN example, when parsed, then it maps to a canonical order with the tax rate in basis points', () => {
    const parsed = GenericOrderBody.parse(genericOrder({ externalId: 'ORD-1001' }));

    expect(toCanonicalOrder(parsed)).toMatchObject({ source: 'generic', externalId: 'ORD-1001', shippingMinor: 500, lines: [{ taxRatePpm: 190000, unitPriceMinor: 1999 }] });
  });

  it.each([
    ['a fractional amount', { lines: [{ sku: 'A', quantity: 1, unitPriceMinor: 19.99, taxRatePercent: 19 }] }, 'lines.0.unitPriceMinor'],
    ['a zero quantity', { lines: [{ sku: 'A', quantity: 0, unitPriceMinor: 1, taxRatePercent: 19 }] }, 'lines.0.quantity'],
    ['a tax rate with five decimals', { lines: [{ sku: 'A', quantity: 1, unitPriceMinor: 1, taxRatePercent: 7.12345 }] }, 'lines.0.taxRatePercent'],
    ['no lines', { lines: [] }, 'lines'],
    ['a lowercase currency', { currency: 'eur' }, 'currency'],
    ['a bad email', { customer: { externalId: 'C', name: 'N', email: 'nope', country: 'DE' } }, 'customer.email'],
    ['an unknown field', { discountCode: 'X' }, '(body)'],
    ['a date without a zone', { orderedAt: '2026-11-23 10:00' }, 'orderedAt'],
  ])('given %s, when parsed, then it is refused at %s', (_case, overrides, path) => {
    expect(pathsOf(genericOrder(overrides))).toContain(path);
  });

  it("given New York's 8.875 % sales tax, when parsed, then it is kept exactly as 88 750 ppm", () => {
    const parsed = GenericOrderBody.parse(genericOrder({ lines: [{ sku: 'A', quantity: 1, unitPriceMinor: 10_000, taxRatePercent: 8.875 }] }));

    expect(toCanonicalOrder(parsed).lines[0]!.taxRatePpm).toBe(88_750);
  });

  it('given no shipping, when parsed, then shipping is zero', () => {
    const { shippingMinor: _omit, ...withoutShipping } = genericOrder();

    expect(GenericOrderBody.parse(withoutShipping).shippingMinor).toBe(0);
  });
});
