import { describe, expect, it } from 'vitest';
import { newCustomer } from '#domain/customer';
import { dueDate, invoiceTotals, termsText } from '#domain/invoice';
import { buildInvoiceDocument, linesForShipment } from '#domain/invoicing';
import { newOrder, type CanonicalOrder } from '#domain/order';
import { demoSeller } from '#schemas/seller';

const at = '2026-11-23T10:00:00Z';
const orderOf = (overrides: Partial<CanonicalOrder>) =>
  newOrder(
    {
      source: 'generic',
      externalId: 'E',
      orderedAt: at,
      currency: 'EUR',
      customer: { externalId: 'C', name: 'N', email: 'n@x.example', country: 'DE' },
      lines: [],
      shippingMinor: 0,
      ...overrides,
    },
    { orderId: 'O', customerId: 'C' },
    at,
  );

const invoiceOf = (overrides: Partial<CanonicalOrder>) => {
  const order = orderOf(overrides);
  const shipped = Object.fromEntries(order.lines.map((line) => [line.sku, line.quantity]));
  const { lines } = linesForShipment(order, shipped, 'I');
  const customer = newCustomer({ id: 'C', source: 'generic', externalId: 'C', name: 'N', email: 'n@x.example', country: 'DE', currency: order.currency }, 1, at);
  return buildInvoiceDocument({ id: 'I', number: 'INV-2026-000001', issueDate: '2026-11-23', order, customer, seller: demoSeller, lines, paymentReference: 'RF00' });
};

describe('invoice totals, hand-computed', () => {
  it.each([
    {
      name: 'EUR, two rates, shipping at 19 %, a line discount',
      order: {
        lines: [
          { sku: 'A', quantity: 3, unitPriceMinor: 1999, taxRatePpm: 190_000, discountMinor: 500 },
          { sku: 'B', quantity: 2, unitPriceMinor: 1245, taxRatePpm: 70_000 },
        ],
        shippingMinor: 495,
        shippingTaxRatePpm: 190_000,
      },
      // 19 %: 5997 − 500 + 495 = 5992 net → 1138.48 → 1138; 7 %: 2490 → 174.3 → 174. Net 8482, tax 1312, total 9794.
      expected: { lineNetTotalMinor: 8482, taxTotalMinor: 1312, totalMinor: 9794 },
    },
    {
      name: 'JPY (no minor unit), 10 % and 8 %',
      order: {
        currency: 'JPY',
        lines: [
          { sku: 'A', quantity: 3, unitPriceMinor: 333, taxRatePpm: 100_000 },
          { sku: 'B', quantity: 1, unitPriceMinor: 1055, taxRatePpm: 80_000 },
        ],
      },
      // 10 %: 999 → 99.9 → 100; 8 %: 1055 → 84.4 → 84. Net 2054, tax 184, total 2238 yen.
      expected: { lineNetTotalMinor: 2054, taxTotalMinor: 184, totalMinor: 2238 },
    },
    {
      name: 'KWD (three decimals), exempt from VAT',
      order: { currency: 'KWD', lines: [{ sku: 'A', quantity: 7, unitPriceMinor: 1_234, taxRatePpm: 0 }], shippingMinor: 2_500 },
      // 7 × 1.234 = 8.638 + 2.500 shipping = 11.138 KWD, no tax.
      expected: { lineNetTotalMinor: 11_138, taxTotalMinor: 0, totalMinor: 11_138 },
    },
    {
      name: 'EUR, tax-inclusive store prices',
      order: { taxesIncluded: true, lines: [{ sku: 'A', quantity: 2, unitPriceMinor: 1190, taxRatePpm: 190_000 }], shippingMinor: 595, shippingTaxRatePpm: 190_000 },
      // 2 × 11.90 gross = 23.80 → net 20.00; shipping 5.95 gross → net 5.00. Net 25.00, 19 % = 4.75, total 29.75 = what the buyer paid.
      expected: { lineNetTotalMinor: 2500, taxTotalMinor: 475, totalMinor: 2975 },
    },
  ])('given $name, when invoiced, then the totals are exact', ({ order, expected }) => {
    expect(invoiceOf(order)).toMatchObject(expected);
  });

  it('given two lines at one rate, when totalled, then tax is rounded once per rate, not per line (EN 16931 BR-CO-17)', () => {
    // Per line: 0.105 → 0.11 twice = 0.22; per rate: 1.10 × 19 % = 0.209 → 0.21.
    const line = { sku: 'A', description: 'A', quantity: 1, unitPriceMinor: 55, discountMinor: 0, netMinor: 55, taxCategory: 'S' as const, taxRatePpm: 190_000 };
    expect(invoiceTotals([{ ...line, lineNumber: 1 }, { ...line, lineNumber: 2 }]).taxTotalMinor).toBe(21);
  });
});

describe('partial shipments', () => {
  it('given 3 units shipped 1 then 2, when invoiced each time, then the nets add up exactly to the order net and shipping is billed once', () => {
    const order = orderOf({ lines: [{ sku: 'A', quantity: 3, unitPriceMinor: 1000, taxRatePpm: 190_000, discountMinor: 1 }], shippingMinor: 500 });
    const first = linesForShipment(order, { A: 1 }, 'I1');
    const second = linesForShipment({ ...order, invoiced: first.invoiced }, { A: 2 }, 'I2');

    // Line net 2999: 2999 / 3 = 999.67 → 1000 first, the remainder 1999 second.
    expect(first.lines.map((line) => [line.sku, line.netMinor])).toEqual([
      ['A', 1000],
      ['SHIPPING', 500],
    ]);
    expect(second.lines.map((line) => [line.sku, line.netMinor])).toEqual([['A', 1999]]);
  });
});

describe('payment terms', () => {
  it.each([
    [{ basis: 'invoice-date' as const, days: 30 }, '2026-11-23', '2026-12-23'],
    [{ basis: 'end-of-month' as const, days: 15 }, '2026-11-23', '2026-12-15'],
    [{ basis: 'end-of-month' as const, days: 0 }, '2026-02-03', '2026-02-28'],
    [{ basis: 'invoice-date' as const, days: 14 }, '2026-12-25', '2027-01-08'],
  ])('given %j issued %s, when due, then %s', (terms, issued, due) => {
    expect(dueDate(issued, terms)).toBe(due);
  });

  it('given 2/10 net 30, when printed, then the discount and the net term are both stated', () => {
    expect(termsText({ basis: 'invoice-date', days: 30, earlyPaymentDiscount: { rateBasisPoints: 200, days: 10 } })).toBe('2 % discount if paid within 10 days, net 30 days');
  });
});
