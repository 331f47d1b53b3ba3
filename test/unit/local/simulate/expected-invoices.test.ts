import { describe, expect, it } from 'vitest';
import { priceOrder } from '#domain/order';
import { earlyPaymentDiscountOf, expectedOrderTotals, invoiceDifferences, taxAtPercent } from '../../../../local/simulate/expected-invoices.ts';
import { SeededRandom } from '../../../../local/simulate/random.ts';

const order = (lines: { quantity: number; unitPriceMinor: number; taxRatePercent: number }[], shippingMinor = 0, prepaid = false) => ({
  externalId: 'S1-D0-O1',
  lines: lines.map((line, index) => ({ sku: `SKU-${index}`, ...line })),
  shippingMinor,
  prepaid,
});

describe('expectedOrderTotals', () => {
  it('given 19.99 × 3 at 19 %, when priced, then the tax is rounded once, half up: 59.97 + 11.39 = 71.36', () => {
    expect(expectedOrderTotals(order([{ quantity: 3, unitPriceMinor: 1999, taxRatePercent: 19 }]))).toEqual({ grossMinor: 7136, payableMinor: 7136 });
  });

  it('given lines at 19 % and 7 % and untaxed shipping, when priced, then each rate is rounded on its own sum', () => {
    // 3.33 × 5 = 16.65 at 7 % → 1.1655 → 1.17; 0.07 × 3 = 0.21 at 19 % → 0.0399 → 0.04; shipping 4.95.
    expect(expectedOrderTotals(order([{ quantity: 5, unitPriceMinor: 333, taxRatePercent: 7 }, { quantity: 3, unitPriceMinor: 7, taxRatePercent: 19 }], 495)).grossMinor).toBe(1665 + 117 + 21 + 4 + 495);
  });

  it('given an order paid at checkout, when priced, then the invoices ask for nothing', () => {
    expect(expectedOrderTotals(order([{ quantity: 1, unitPriceMinor: 101, taxRatePercent: 19 }], 990, true))).toEqual({ grossMinor: 101 + 19 + 990, payableMinor: 0 });
  });

  it('given 500 random orders, when priced by the simulator and by O2C, then both come to the same cent', () => {
    const random = new SeededRandom(2027);
    for (let run = 0; run < 500; run++) {
      const lines = Array.from({ length: random.int(1, 5) }, () => ({ quantity: random.int(1, 9), unitPriceMinor: random.int(1, 99_999), taxRatePercent: random.pick([0, 7, 19]) }));
      const shippingMinor = random.pick([0, 495, 990]);
      const priced = priceOrder(lines.map((line, index) => ({ sku: `SKU-${index}`, quantity: line.quantity, unitPriceMinor: line.unitPriceMinor, taxRatePpm: line.taxRatePercent * 10_000 })), { amountMinor: shippingMinor, taxRatePpm: 0 }, false);
      const o2cGross = priced.lines.reduce((sum, line) => sum + line.netMinor + line.taxMinor, 0) + priced.shipping.netMinor + priced.shipping.taxMinor;
      expect(expectedOrderTotals(order(lines, shippingMinor)).grossMinor, JSON.stringify(lines)).toBe(o2cGross);
    }
  });
});

describe('taxAtPercent and earlyPaymentDiscountOf', () => {
  it('given amounts on the half cent, when rounded, then half goes up', () => {
    expect(taxAtPercent(50, 1)).toBe(1); // 0.50 × 1 % = 0.005 → 0.01
    expect(taxAtPercent(49, 1)).toBe(0);
    expect(earlyPaymentDiscountOf(7136, 200)).toBe(143); // 142.72
    expect(earlyPaymentDiscountOf(25, 200)).toBe(1); // 0.50 → 1
    expect(earlyPaymentDiscountOf(24, 200)).toBe(0);
  });
});

describe('invoiceDifferences', () => {
  const placed = order([{ quantity: 3, unitPriceMinor: 1999, taxRatePercent: 19 }, { quantity: 1, unitPriceMinor: 7, taxRatePercent: 7 }], 495);
  const gross = expectedOrderTotals(placed).grossMinor;

  it('given an order invoiced in two parts that add up to its total, due by its terms, when compared, then nothing differs', () => {
    const invoices = [
      { number: 'INV-1', totalMinor: 7136 + 495, payableMinor: 7136 + 495, issueDate: '2027-01-04', dueDate: '2027-01-18' },
      { number: 'INV-2', totalMinor: gross - 7136 - 495, payableMinor: gross - 7136 - 495, issueDate: '2027-01-06', dueDate: '2027-01-20' },
    ];
    expect(invoiceDifferences(placed, invoices, 14)).toEqual([]);
  });

  it('given invoices a cent short of the order, a wrong due date, and a prepaid order still asking for money, when compared, then each is named', () => {
    const short = invoiceDifferences(placed, [{ number: 'INV-1', totalMinor: gross - 1, payableMinor: gross - 1, issueDate: '2027-01-04', dueDate: '2027-01-19' }], 14);
    expect(short).toHaveLength(3);
    expect(short[0]).toContain(`the order comes to ${gross}`);
    expect(short[2]).toContain('say 2027-01-18');
    const prepaid = invoiceDifferences({ ...placed, prepaid: true }, [{ number: 'INV-1', totalMinor: gross, payableMinor: gross, issueDate: '2027-01-04', dueDate: '2027-01-04' }], 14);
    expect(prepaid).toEqual([`S1-D0-O1 (INV-1): ${gross} asked for, the buyer owes 0`]);
  });
});
