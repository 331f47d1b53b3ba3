/**
 * What the seller expects O2C to invoice for an order, worked out by the simulator from the order it placed, never
 * copied from O2C: the gross total under the published rounding policy (tax once per rate over the whole order,
 * half up), what the buyer still owes after paying at checkout, and the due date its terms give.
 */
import { addDays } from '#domain/dates';
import type { SimOrder } from './business.ts';

export interface ExpectedOrderTotals {
  grossMinor: number;
  /** What the invoices together ask the buyer to pay: nothing when it paid at checkout. */
  payableMinor: number;
}

/** Half up of `basis × percent / 100` for non-negative integers, exact. */
export function taxAtPercent(basisMinor: number, percent: number): number {
  return Number((BigInt(basisMinor) * BigInt(percent) + 50n) / 100n);
}

export function expectedOrderTotals(order: Pick<SimOrder, 'lines' | 'shippingMinor' | 'prepaid'>): ExpectedOrderTotals {
  const basisByRate = new Map<number, number>();
  for (const line of order.lines) basisByRate.set(line.taxRatePercent, (basisByRate.get(line.taxRatePercent) ?? 0) + line.quantity * line.unitPriceMinor);
  const netMinor = [...basisByRate.values()].reduce((sum, basis) => sum + basis, 0) + order.shippingMinor;
  const taxMinor = [...basisByRate.entries()].reduce((sum, [percent, basis]) => sum + taxAtPercent(basis, percent), 0);
  const grossMinor = netMinor + taxMinor;
  return { grossMinor, payableMinor: order.prepaid ? 0 : grossMinor };
}

/** The discount a payer takes from an invoice's payable amount (2 % → 200 basis points), half up. */
export function earlyPaymentDiscountOf(payableMinor: number, rateBasisPoints: number): number {
  return Number((BigInt(payableMinor) * BigInt(rateBasisPoints) + 5_000n) / 10_000n);
}

export interface IssuedInvoice {
  number: string;
  totalMinor: number;
  payableMinor: number;
  issueDate: string;
  dueDate: string;
}

/**
 * Differences between an order's invoices (all its shipments invoiced) and what the seller expects: their totals
 * must add up to the order's gross and their payable amounts to what the buyer owes; each is due `termsDays` after
 * its issue (when the simulator had set the terms before it was issued).
 */
export function invoiceDifferences(order: Pick<SimOrder, 'externalId' | 'lines' | 'shippingMinor' | 'prepaid'>, invoices: readonly IssuedInvoice[], termsDays: number | undefined): string[] {
  const expected = expectedOrderTotals(order);
  const differences: string[] = [];
  const gross = invoices.reduce((sum, invoice) => sum + invoice.totalMinor, 0);
  const payable = invoices.reduce((sum, invoice) => sum + invoice.payableMinor, 0);
  const numbers = invoices.map((invoice) => invoice.number).join(', ');
  if (gross !== expected.grossMinor) differences.push(`${order.externalId} (${numbers}): invoiced ${gross} in all, the order comes to ${expected.grossMinor}`);
  if (payable !== expected.payableMinor) differences.push(`${order.externalId} (${numbers}): ${payable} asked for, the buyer owes ${expected.payableMinor}`);
  if (termsDays !== undefined && !order.prepaid)
    for (const invoice of invoices) if (invoice.dueDate !== addDays(invoice.issueDate, termsDays)) differences.push(`${invoice.number}: due ${invoice.dueDate}, its terms (${termsDays} days from ${invoice.issueDate}) say ${addDays(invoice.issueDate, termsDays)}`);
  return differences;
}
