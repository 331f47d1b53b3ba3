import { describe, expect, it } from 'vitest';
import { invoiceAfterCredit, planCredit, type CreditRequest } from '#domain/crediting';
import { newCustomer } from '#domain/customer';
import type { Invoice } from '#domain/invoice';
import { buildInvoiceDocument, linesForShipment } from '#domain/invoicing';
import { newOrder, type CanonicalOrder, type OrderLineInput } from '#domain/order';
import { demoSeller } from '#schemas/seller';
import { Random } from '../../support/cash-ledger.ts';

const at = '2026-11-23T10:00:00Z';

/** The invoice of a whole order, as issue-invoice builds it. */
function invoiceFor(overrides: Partial<CanonicalOrder>): Invoice {
  const order = newOrder(
    { source: 'generic', externalId: 'E', orderedAt: at, currency: 'EUR', customer: { externalId: 'C', name: 'N', email: 'n@x.example', country: 'DE' }, lines: [], shippingMinor: 0, ...overrides },
    { orderId: 'O', customerId: 'C' },
    at,
  );
  const shipped: Record<string, number> = {};
  for (const line of order.lines) shipped[line.sku] = (shipped[line.sku] ?? 0) + line.quantity;
  const { lines, taxBreakdown } = linesForShipment(order, shipped, 'I');
  const customer = newCustomer({ id: 'C', source: 'generic', externalId: 'C', name: 'N', email: 'n@x.example', country: 'DE', currency: order.currency }, 1, at);
  const document = buildInvoiceDocument({ id: 'I', number: 'INV-2026-000001', issueDate: '2026-11-23', order, customer, seller: demoSeller, lines, taxBreakdown, paymentReference: 'RF00' });
  return { id: 'I', customerId: 'C', orderId: 'O', shipmentKey: 'X#1', document, status: 'OPEN', openMinor: document.payableMinor, email: { status: 'PENDING', attempts: 0 }, createdAt: at, updatedAt: at, version: 1 };
}

/** Issues credit notes one after another, as the credit-note use case does; a refused one leaves the invoice unchanged. */
function credit(invoice: Invoice, requests: CreditRequest[]): { invoice: Invoice; notes: number[] } {
  const notes: number[] = [];
  for (const [index, request] of requests.entries()) {
    const plan = planCredit(invoice, request);
    notes.push(plan.totals.totalMinor);
    invoice = invoiceAfterCredit(invoice, plan, `CN${index}`, at);
  }
  return { invoice, notes };
}

const everyUnit = (invoice: Invoice): CreditRequest[] =>
  invoice.document.lines.flatMap((line) => Array.from({ length: line.quantity }, () => ({ kind: 'lines' as const, lines: [{ lineNumber: line.lineNumber, quantity: 1 }] })));

describe('credit notes by running totals', () => {
  it('given 3 × 19.99 at 19 % (71.36), when credited one unit at a time, then three notes credit it all and it is CREDITED with nothing open', () => {
    const invoice = invoiceFor({ lines: [{ sku: 'A', quantity: 3, unitPriceMinor: 1999, taxRatePpm: 190_000 }] });
    expect(invoice.document.totalMinor).toBe(7136);
    const { invoice: after, notes } = credit(invoice, everyUnit(invoice));
    expect(notes.reduce((sum, note) => sum + note, 0)).toBe(7136);
    expect(after.openMinor).toBe(0);
    expect(after.status).toBe('CREDITED');
  });

  it('given a line of 100.00 over 3 units without tax, when credited unit by unit, then 100.00 comes back, not 99.99', () => {
    const invoice = invoiceFor({ lines: [{ sku: 'A', quantity: 3, unitPriceMinor: 3334, taxRatePpm: 0, discountMinor: 2 }] });
    expect(invoice.document.totalMinor).toBe(10_000);
    const { invoice: after, notes } = credit(invoice, everyUnit(invoice));
    expect(notes).toEqual([3333, 3334, 3333]);
    expect(after.openMinor).toBe(0);
  });

  it('given an amount credited first, when the rest is credited as "remaining", then the invoice is credited exactly', () => {
    const invoice = invoiceFor({ lines: [{ sku: 'A', quantity: 3, unitPriceMinor: 1999, taxRatePpm: 190_000 }, { sku: 'B', quantity: 1, unitPriceMinor: 999, taxRatePpm: 70_000 }] });
    const { invoice: after, notes } = credit(invoice, [{ kind: 'amount', amountMinor: 1001 }, { kind: 'amount', amountMinor: 1 }, { kind: 'remaining' }]);
    expect(notes.reduce((sum, note) => sum + note, 0)).toBe(invoice.document.totalMinor);
    expect(after.status).toBe('CREDITED');
  });

  it('given 400 random invoices and random sequences of credits by unit, by amount and of the rest, then the notes never exceed the invoice and crediting everything leaves nothing open', () => {
    const random = new Random(1202);
    const rates = [0, 70_000, 100_000, 190_000, 88_750];
    for (let run = 0; run < 400; run++) {
      const lines: OrderLineInput[] = Array.from({ length: random.int(1, 4) }, (_, index) => ({ sku: `S${index}`, quantity: random.int(1, 5), unitPriceMinor: random.chance(0.3) ? 1999 : random.int(1, 50_000), taxRatePpm: random.pick(rates) }));
      const invoice = invoiceFor({ currency: random.pick(['EUR', 'JPY', 'KWD']), taxesIncluded: random.chance(0.3), lines, shippingMinor: random.chance(0.5) ? random.int(1, 999) : 0, shippingTaxRatePpm: random.pick(rates) });
      let current = invoice;
      const notes: number[] = [];
      const context = () => JSON.stringify({ run, lines, notes });
      for (let step = 0; step < 6 && current.openMinor > 0; step++) {
        const uncredited = current.document.lines.filter((line) => (current.creditedQuantities?.[String(line.lineNumber)] ?? 0) < line.quantity);
        const request: CreditRequest =
          random.chance(0.5) && uncredited.length > 0
            ? { kind: 'lines', lines: [{ lineNumber: random.pick(uncredited).lineNumber, quantity: 1 }] }
            : { kind: 'amount', amountMinor: random.int(1, current.openMinor) };
        try {
          const plan = planCredit(current, request);
          if (plan.totals.totalMinor > current.openMinor) continue; // the use case answers 409
          for (const group of plan.totals.taxBreakdown) expect(group.taxMinor, context()).toBeGreaterThanOrEqual(0);
          notes.push(plan.totals.totalMinor);
          current = invoiceAfterCredit(current, plan, `CN${step}`, at);
        } catch (error) {
          // By units after a rate was credited by amount: refused with a reason, never a wrong note.
          expect((error as Error).name, context()).toBe('InvalidRequest');
        }
      }
      expect(notes.reduce((sum, note) => sum + note, 0), context()).toBeLessThanOrEqual(invoice.document.totalMinor);
      if (current.openMinor > 0) current = credit(current, [{ kind: 'remaining' }]).invoice;
      expect(current.openMinor, context()).toBe(0);
      expect(current.status, context()).toBe('CREDITED');
      const creditedTotal = Object.values(current.creditedByRate ?? {}).reduce((sum, rate) => sum + rate.netMinor + rate.taxMinor, 0);
      expect(creditedTotal, context()).toBe(invoice.document.totalMinor);
    }
  });
});
