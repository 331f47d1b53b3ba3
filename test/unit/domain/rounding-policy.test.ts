import { describe, expect, it } from 'vitest';
import { invoiceTotals, type InvoiceLine, type TaxBreakdown } from '#domain/invoice';
import { linesForShipment } from '#domain/invoicing';
import { newOrder, type CanonicalOrder, type Order, type OrderLineInput } from '#domain/order';
import { Random } from '../../support/cash-ledger.ts';

const at = '2026-11-23T10:00:00Z';
const orderOf = (overrides: Partial<CanonicalOrder>): Order =>
  newOrder(
    { source: 'generic', externalId: 'E', orderedAt: at, currency: 'EUR', customer: { externalId: 'C', name: 'N', email: 'n@x.example', country: 'DE' }, lines: [], shippingMinor: 0, ...overrides },
    { orderId: 'O', customerId: 'C' },
    at,
  );

interface IssuedInvoice {
  lines: InvoiceLine[];
  taxBreakdown: TaxBreakdown[];
  totals: ReturnType<typeof invoiceTotals>;
}

/** Invoices an order shipment by shipment, carrying the order's running invoiced state as issue-invoice does. */
function invoiceInShipments(order: Order, shipments: Record<string, number>[]): IssuedInvoice[] {
  let current = order;
  return shipments.map((shipped, index) => {
    const { lines, taxBreakdown, prepaidMinor, invoiced } = linesForShipment(current, shipped, `I${index}`);
    current = { ...current, invoiced };
    return { lines, taxBreakdown, totals: invoiceTotals(lines, prepaidMinor, taxBreakdown) };
  });
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
const rates = [0, 70_000, 77_000, 88_750, 100_000, 190_000];

function randomOrder(random: Random): { order: Order; shipments: Record<string, number>[]; paidByBuyer: number } {
  const currency = random.pick(['EUR', 'EUR', 'JPY', 'KWD']);
  const taxesIncluded = random.chance(0.4);
  const lines: OrderLineInput[] = Array.from({ length: random.int(1, 5) }, (_, index) => {
    const quantity = random.int(1, 7);
    const unitPriceMinor = random.chance(0.3) ? 1999 : random.int(1, 99_999);
    return { sku: `SKU-${random.chance(0.15) ? 0 : index}`, quantity, unitPriceMinor, taxRatePpm: random.pick(rates), discountMinor: random.chance(0.3) ? random.int(0, Math.floor((quantity * unitPriceMinor) / 3)) : 0 };
  });
  const shippingMinor = random.chance(0.6) ? random.int(1, 2_000) : 0;
  const order = orderOf({ currency, taxesIncluded, lines, shippingMinor, shippingTaxRatePpm: random.pick(rates) });
  // Random partial shipments of each SKU, in random order.
  const outstanding = new Map<string, number>();
  for (const line of order.lines) outstanding.set(line.sku, (outstanding.get(line.sku) ?? 0) + line.quantity);
  const shipments: Record<string, number>[] = [];
  while ([...outstanding.values()].some((units) => units > 0)) {
    const shipment: Record<string, number> = {};
    for (const [sku, units] of outstanding) {
      if (units === 0 || random.chance(0.4)) continue;
      const take = random.int(1, units);
      shipment[sku] = take;
      outstanding.set(sku, units - take);
    }
    if (Object.keys(shipment).length > 0) shipments.push(shipment);
  }
  const paidByBuyer = sum(lines.map((line) => line.quantity * line.unitPriceMinor - (line.discountMinor ?? 0))) + shippingMinor;
  return { order, shipments, paidByBuyer };
}

describe('one rounding policy for orders and their invoices', () => {
  it('given two lines of 55.55 at 19 % (10.5545 tax each), when ordered and invoiced at once, then the order and its invoice total the same', () => {
    const order = orderOf({ lines: [{ sku: 'A', quantity: 1, unitPriceMinor: 5555, taxRatePpm: 190_000 }, { sku: 'B', quantity: 1, unitPriceMinor: 5555, taxRatePpm: 190_000 }] });
    const [invoice] = invoiceInShipments(order, [{ A: 1, B: 1 }]);
    expect(invoice!.totals.totalMinor).toBe(order.totalMinor);
    expect(order.totalMinor).toBe(13_221);
  });

  it('given 3 × 19.99 tax-inclusive at 19 %, when invoiced, then the invoice totals the 59.97 the buyer paid', () => {
    const order = orderOf({ taxesIncluded: true, lines: [{ sku: 'A', quantity: 3, unitPriceMinor: 1999, taxRatePpm: 190_000 }] });
    const [invoice] = invoiceInShipments(order, [{ A: 3 }]);
    expect(order.totalMinor).toBe(5997);
    expect(invoice!.totals.totalMinor).toBe(5997);
    expect(invoice!.totals.taxTotalMinor).toBe(order.taxMinor);
  });

  it('given 19.99 × 3 at 19 % shipped one unit at a time, when invoiced, then the three invoices add up to the order to the cent', () => {
    const order = orderOf({ lines: [{ sku: 'A', quantity: 3, unitPriceMinor: 1999, taxRatePpm: 190_000 }], shippingMinor: 495, shippingTaxRatePpm: 190_000 });
    const invoices = invoiceInShipments(order, [{ A: 1 }, { A: 1 }, { A: 1 }]);
    expect(sum(invoices.map((invoice) => invoice.totals.totalMinor))).toBe(order.totalMinor);
    expect(invoices.map((invoice) => invoice.totals.lineNetTotalMinor)).toEqual([1999 + 495, 1999, 1999]);
  });

  it('given a store that collected the whole order at checkout, when invoiced in two shipments, then each invoice is prepaid in full', () => {
    const base = orderOf({ lines: [{ sku: 'A', quantity: 2, unitPriceMinor: 1999, taxRatePpm: 190_000 }] });
    const order = orderOf({ lines: base.lines, payment: { status: 'paid', capturedMinor: base.totalMinor } });
    const invoices = invoiceInShipments(order, [{ A: 1 }, { A: 1 }]);
    expect(invoices.map((invoice) => invoice.totals.payableMinor)).toEqual([0, 0]);
    expect(sum(invoices.map((invoice) => invoice.totals.prepaidMinor))).toBe(order.totalMinor);
  });

  it('given a store that captured part of the order, when invoiced in two shipments, then the prepayment is used up first and the rest is payable', () => {
    const base = orderOf({ lines: [{ sku: 'A', quantity: 2, unitPriceMinor: 1000, taxRatePpm: 0 }] });
    const order = orderOf({ lines: base.lines, payment: { status: 'partially_paid', capturedMinor: 1500 } });
    const invoices = invoiceInShipments(order, [{ A: 1 }, { A: 1 }]);
    expect(invoices.map((invoice) => [invoice.totals.prepaidMinor, invoice.totals.payableMinor])).toEqual([
      [1000, 0],
      [500, 500],
    ]);
  });

  it('given 500 random orders (rates, discounts, shipping, tax-inclusive, EUR/JPY/KWD) invoiced in random partial shipments, then the invoices add up to each order exactly and each stays within a unit of its own tax', () => {
    const random = new Random(20261202);
    for (let run = 0; run < 500; run++) {
      const { order, shipments, paidByBuyer } = randomOrder(random);
      const invoices = invoiceInShipments(order, shipments);
      const context = JSON.stringify({ run, order: { lines: order.lines, shipping: order.shippingMinor, taxesIncluded: order.taxesIncluded }, shipments });
      expect(sum(invoices.map((invoice) => invoice.totals.lineNetTotalMinor)), context).toBe(order.netMinor + order.shippingMinor);
      expect(sum(invoices.map((invoice) => invoice.totals.taxTotalMinor)), context).toBe(order.taxMinor);
      expect(sum(invoices.map((invoice) => invoice.totals.totalMinor)), context).toBe(order.totalMinor);
      if (order.taxesIncluded) expect(order.totalMinor, context).toBe(paidByBuyer);
      for (const invoice of invoices) {
        for (const line of invoice.lines) expect(line.discountMinor, context).toBeGreaterThanOrEqual(0);
        for (const group of invoice.totals.taxBreakdown) {
          expect(group.taxableMinor, context).toBe(sum(invoice.lines.filter((line) => line.taxRatePpm === group.taxRatePpm).map((line) => line.netMinor)));
          // |tax − taxable × rate| < 2 minor units: far inside EN 16931 BR-CO-17's tolerance.
          const errorPpm = BigInt(group.taxMinor) * 1_000_000n - BigInt(group.taxableMinor) * BigInt(group.taxRatePpm);
          expect(errorPpm < 0n ? -errorPpm : errorPpm, context).toBeLessThan(2_000_000n);
        }
      }
    }
  });
});

describe('invoice lines', () => {
  it('given order lines at 19 %, 7 % and 19 %, when invoiced, then the invoice lists them in the order of the order, shipping last', () => {
    const order = orderOf({
      lines: [
        { sku: 'A', quantity: 1, unitPriceMinor: 100, taxRatePpm: 190_000 },
        { sku: 'B', quantity: 2, unitPriceMinor: 100, taxRatePpm: 70_000 },
        { sku: 'C', quantity: 1, unitPriceMinor: 100, taxRatePpm: 190_000 },
      ],
      shippingMinor: 495,
      shippingTaxRatePpm: 190_000,
    });
    const [invoice] = invoiceInShipments(order, [{ A: 1, B: 2, C: 1 }]);
    expect(invoice!.lines.map((line) => [line.lineNumber, line.sku])).toEqual([
      [1, 'A'],
      [2, 'B'],
      [3, 'C'],
      [4, 'SHIPPING'],
    ]);
  });
});
