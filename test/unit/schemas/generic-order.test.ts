import { describe, expect, it } from 'vitest';
import { GenericOrderBody, describeIssues, toCanonicalOrder } from '#schemas/generic-order';
import { CanonicalOrderSchema } from '#schemas/messages';
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

  it("given a German B2B buyer's VAT id, billing address and shipping tax rate, when parsed, then the canonical order carries all three", () => {
    const parsed = GenericOrderBody.parse(
      genericOrder({
        customer: { externalId: 'C-42', name: 'Acme GmbH', email: 'ap@acme.example', country: 'DE', vatId: ' DE 987 654 321 ' },
        billingAddress: { company: 'Acme GmbH', name: 'Kreditorenbuchhaltung', line1: 'Hauptstraße 5', line2: 'Aufgang B', city: 'München', postalCode: '80331', region: 'Bayern', country: 'DE' },
        shippingTaxRatePercent: 19,
      }),
    );

    expect(toCanonicalOrder(parsed)).toMatchObject({
      customer: { externalId: 'C-42', vatId: 'DE987654321' },
      billingAddress: { company: 'Acme GmbH', name: 'Kreditorenbuchhaltung', line1: 'Hauptstraße 5', line2: 'Aufgang B', city: 'München', postalCode: '80331', region: 'Bayern', country: 'DE' },
      shippingTaxRatePpm: 190_000,
    });
  });

  it('given a German B2B order, when its canonical form crosses the orders queue, then the VAT id, billing address and shipping tax survive', () => {
    const canonical = toCanonicalOrder(
      GenericOrderBody.parse(
        genericOrder({
          customer: { externalId: 'C-42', name: 'Acme GmbH', email: 'ap@acme.example', country: 'DE', vatId: 'DE987654321' },
          billingAddress: { company: 'Acme GmbH', line1: 'Hauptstraße 5', city: 'München', postalCode: '80331', country: 'DE' },
          shippingTaxRatePercent: 7,
        }),
      ),
    );
    const wire = JSON.parse(JSON.stringify(canonical)) as unknown;

    expect(CanonicalOrderSchema.parse(wire)).toEqual(wire);
  });

  it('given no VAT id, billing address or shipping tax rate, when parsed, then none is invented', () => {
    const order = toCanonicalOrder(GenericOrderBody.parse(genericOrder()));

    expect(order.customer.vatId).toBeUndefined();
    expect(order.billingAddress).toBeUndefined();
    expect(order.shippingTaxRatePpm).toBeUndefined();
  });

  it.each([
    ['a VAT id without its country prefix', { customer: { externalId: 'C', name: 'N', email: 'n@x.example', country: 'DE', vatId: '987654321' } }, 'customer.vatId'],
    ['a billing address without a street', { billingAddress: { city: 'München', postalCode: '80331', country: 'DE' } }, 'billingAddress.line1'],
    ['a billing address with a country name', { billingAddress: { line1: 'Hauptstraße 5', city: 'München', country: 'Germany' } }, 'billingAddress.country'],
    ['a billing address with an unknown field', { billingAddress: { line1: 'Hauptstraße 5', city: 'München', country: 'DE', floor: 3 } }, 'billingAddress'],
    ['a shipping tax rate above 100 %', { shippingTaxRatePercent: 119 }, 'shippingTaxRatePercent'],
  ])('given %s, when parsed, then it is refused at %s', (_case, overrides, path) => {
    expect(pathsOf(genericOrder(overrides))).toContain(path);
  });
});
