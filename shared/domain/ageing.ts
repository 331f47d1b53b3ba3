/**
 * The receivables ageing across customers: what is still owed in one currency on a given day, spread over ranges
 * of days past due, with the totals of each customer. The same day count and ranges as the customer's statement
 * (`statement.ts`), so the two agree bucket by bucket for every customer.
 *
 * Exact by construction: every open invoice falls in exactly one bucket with its whole open amount, so
 * Σ buckets = `totalOpenMinor` = Σ open invoices, and the same per customer. Disputed and deducted amounts stay in
 * their buckets (they are still owed) and are also shown apart.
 *
 * Pure: the caller passes `asOf` and the invoices; no clock, no I/O.
 */
import { deductedOf } from './deduction.ts';
import { epochDay } from './dates.ts';
import { isOpenReceivable, type Invoice, type InvoiceDocument } from './invoice.ts';
import { assertSafeInteger } from './money.ts';
import { ageingRangeIndex, ageingRanges, daysPastDue, defaultAgeingEdges, type AgeingRange } from './statement.ts';
import { compareText } from './text.ts';

/** What the ageing reads of an invoice (a stored `Invoice` fits). */
export type AgeingInvoice = Pick<Invoice, 'id' | 'customerId' | 'status' | 'openMinor' | 'dunning'> & { document: Pick<InvoiceDocument, 'kind' | 'number' | 'currency' | 'dueDate'> };

export interface AgeingBucketTotal extends AgeingRange {
  amountMinor: number;
  count: number;
  /** Of `amountMinor`, what is on disputed invoices. */
  disputedMinor: number;
  /** Of `amountMinor`, what payers deducted and a person has not decided yet. */
  deductedMinor: number;
}

/** One open invoice as it was aged: the inputs of every total, so a person can re-add them. */
export interface AgeingItem {
  invoiceId: string;
  number: string;
  customerId: string;
  dueDate: string;
  openMinor: number;
  /** Whole UTC days from the due date to `asOf`: negative before it, 0 on it. */
  daysPastDue: number;
  bucket: string;
  disputed: boolean;
  deductedMinor: number;
}

export interface AgeingTotals {
  totalOpenMinor: number;
  count: number;
  disputedMinor: number;
  deductedMinor: number;
  buckets: AgeingBucketTotal[];
}

export interface CustomerAgeing extends AgeingTotals {
  customerId: string;
}

export interface AgeingReport extends AgeingTotals {
  asOf: string;
  currency: string;
  /** The overdue buckets' upper edges the report was drawn with. */
  edges: number[];
  /** Largest balance first, then by customer id. */
  customers: CustomerAgeing[];
  /** Every invoice aged, oldest due date first. */
  items: AgeingItem[];
}

/**
 * Reads `buckets=30,60,90`: ascending whole days ≥ 1, at most 12 of them. Throws a RangeError that says what is
 * wrong, for a 400.
 */
export function parseAgeingEdges(text: string): number[] {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length > 12) throw new RangeError('buckets: at most 12 edges');
  if (parts.some((part) => !/^\d{1,5}$/.test(part))) throw new RangeError(`buckets: comma-separated whole days, e.g. 30,60,90; got ${JSON.stringify(text)}`);
  const edges = parts.map(Number);
  ageingRanges(edges);
  return edges;
}

function emptyTotals(ranges: readonly AgeingRange[]): AgeingTotals {
  return { totalOpenMinor: 0, count: 0, disputedMinor: 0, deductedMinor: 0, buckets: ranges.map((range) => ({ ...range, amountMinor: 0, count: 0, disputedMinor: 0, deductedMinor: 0 })) };
}

function add(totals: AgeingTotals, index: number, item: AgeingItem): void {
  const bucket = totals.buckets[index] as AgeingBucketTotal;
  const disputed = item.disputed ? item.openMinor : 0;
  for (const target of [totals, bucket]) {
    target.count += 1;
    target.disputedMinor += disputed;
    target.deductedMinor += item.deductedMinor;
  }
  totals.totalOpenMinor += item.openMinor;
  bucket.amountMinor += item.openMinor;
}

/**
 * The ageing of the open receivables in `currency` as of `asOf`, in the ranges of `edges` (default 30, 60, 90:
 * not-due, due-today, 1-30, 31-60, 61-90, 90+). An invoice due today is in its own `due-today` bucket, as on the
 * statement: not overdue (the payer has the whole due date), but not "not yet due" either. Invoices in other
 * currencies, credit notes and invoices with nothing open are left out.
 */
export function ageingReport(input: { invoices: readonly AgeingInvoice[]; currency: string; asOf: string; edges?: readonly number[] | undefined }): AgeingReport {
  const { currency, asOf } = input;
  const edges = [...(input.edges ?? defaultAgeingEdges)];
  const ranges = ageingRanges(edges);
  epochDay(asOf, 'asOf');
  const totals = emptyTotals(ranges);
  const byCustomer = new Map<string, AgeingTotals>();
  const items: AgeingItem[] = [];
  for (const invoice of input.invoices) {
    if (invoice.document.currency !== currency || !isOpenReceivable(invoice)) continue;
    assertSafeInteger(invoice.openMinor, `invoice ${invoice.id}: open amount`);
    const days = daysPastDue(invoice.document.dueDate, asOf);
    const index = ageingRangeIndex(days, edges);
    const item: AgeingItem = {
      invoiceId: invoice.id,
      number: invoice.document.number,
      customerId: invoice.customerId,
      dueDate: invoice.document.dueDate,
      openMinor: invoice.openMinor,
      daysPastDue: days,
      bucket: (ranges[index] as AgeingRange).label,
      disputed: invoice.status === 'DISPUTED',
      deductedMinor: deductedOf(invoice),
    };
    items.push(item);
    add(totals, index, item);
    const customer = byCustomer.get(invoice.customerId) ?? byCustomer.set(invoice.customerId, emptyTotals(ranges)).get(invoice.customerId)!;
    add(customer, index, item);
  }
  // Open amounts are positive, so no partial sum exceeds the total: a safe total means every sum was exact.
  assertSafeInteger(totals.totalOpenMinor, `the open receivables in ${currency}`);
  items.sort((a, b) => b.daysPastDue - a.daysPastDue || compareText(a.number, b.number) || compareText(a.invoiceId, b.invoiceId));
  const customers = [...byCustomer.entries()]
    .map(([customerId, customerTotals]) => ({ customerId, ...customerTotals }))
    .sort((a, b) => b.totalOpenMinor - a.totalOpenMinor || compareText(a.customerId, b.customerId));
  return { asOf, currency, edges, ...totals, customers, items };
}

/** One ageing report per currency that has open receivables, by currency code. Amounts of two currencies are never added. */
export function ageingReports(input: { invoices: readonly AgeingInvoice[]; asOf: string; edges?: readonly number[] | undefined }): AgeingReport[] {
  const currencies = [...new Set(input.invoices.filter(isOpenReceivable).map((invoice) => invoice.document.currency))].sort();
  return currencies.map((currency) => ageingReport({ ...input, currency }));
}

/** The current (not yet past due) receivables of a report: `not-due` and `due-today`, the input of best possible DSO. */
export const currentArOf = (report: Pick<AgeingReport, 'buckets'>): number =>
  report.buckets.filter((bucket) => bucket.toDays !== null && bucket.toDays <= 0).reduce((sum, bucket) => sum + bucket.amountMinor, 0);
