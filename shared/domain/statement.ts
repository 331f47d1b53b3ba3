/**
 * The statement of account: what a customer still owes us on a given day, invoice by invoice, aged by how long
 * each item is past its due date. Collections sends it with dunning and the customer's accounts-payable clerk
 * reconciles against it, so it must agree to the minor unit with the receivables ledger: it only lists and sums the
 * `openMinor` of each invoice and never re-derives an amount.
 *
 * Pure: no clock (the caller passes `asOf`), no I/O. Dates are ISO calendar dates counted in UTC days, so the
 * same statement comes out in every time zone and a Lambda in `eu-central-1` agrees with a laptop in Tokyo.
 */
import { epochDay } from './dates.ts';
import type { Customer } from './customer.ts';
import type { Invoice, InvoiceStatus } from './invoice.ts';
import type { Seller } from './invoicing.ts';

/**
 * Ageing buckets, in the order reports print them: not yet due, then 1–30, 31–60, 61–90 and more than 90 days
 * past due. The usual receivables-ageing split, so the statement agrees with the ageing report finance reads.
 */
export const ageingBuckets = ['current', '1-30', '31-60', '61-90', '90+'] as const;
export type AgeingBucket = (typeof ageingBuckets)[number];

/**
 * Statuses whose invoices are still owed. A disputed invoice is still owed (the dispute may be rejected), so it is
 * listed and summed, but flagged. PAID, CREDITED and VOID invoices owe nothing and never appear.
 */
export const openStatuses: readonly InvoiceStatus[] = ['OPEN', 'PARTIALLY_PAID', 'DISPUTED'];

/** The customer fields a statement prints: identity, credit standing and terms; no order history. */
export type StatementCustomer = Pick<Customer, 'id' | 'name' | 'email' | 'currency' | 'creditLimitMinor' | 'exposureMinor' | 'terms'>;

/**
 * One open item. Amounts are signed minor units of `currency`: an invoice is positive; a credit note (not listed
 * yet, see {@link buildStatement}) will be negative, reducing its currency's balance, so nothing here assumes
 * `openMinor > 0`.
 */
export interface StatementItem {
  kind: 'invoice' | 'credit-note';
  invoiceId: string;
  number: string;
  /** ISO dates (YYYY-MM-DD). */
  issueDate: string;
  dueDate: string;
  currency: string;
  /** The document's total, as issued. */
  totalMinor: number;
  /** What is still owed on it as of the statement date. */
  openMinor: number;
  /** Whole UTC days past the due date; 0 when it is not yet due (including on the due date itself). */
  daysOverdue: number;
  bucket: AgeingBucket;
  /** The customer disputes it: still owed, but collections holds dunning on it. */
  disputed: boolean;
  /** The ISO 11649 `RF…` reference the payer quotes so cash application matches the payment to this item. */
  reference: string;
}

/**
 * Totals of one currency. Amounts in different currencies are never added: a customer with EUR and JPY invoices
 * gets two of these, and no grand total.
 */
export interface CurrencyTotals {
  currency: string;
  /** Open amount per ageing bucket; every bucket is present, zero when empty. */
  buckets: Record<AgeingBucket, number>;
  /** Sum of the open amounts: what the customer owes in this currency. */
  balanceMinor: number;
  /** The part of the balance past its due date (every bucket but `current`). */
  overdueMinor: number;
  /** The part of the balance under dispute. */
  disputedMinor: number;
  itemCount: number;
}

/** The customer's credit standing in its credit currency, as the statement prints it. */
export interface StatementCredit {
  currency: string;
  limitMinor: number;
  exposureMinor: number;
  /** Limit − exposure, never below zero; `overLimit` says when exposure exceeds the limit. */
  availableMinor: number;
  overLimit: boolean;
}

/** Everything a statement of account says; the PDF prints these numbers and computes none. */
export interface Statement {
  /** The day the statement is drawn up (YYYY-MM-DD); ages are counted to it. */
  asOf: string;
  seller: Seller;
  customer: StatementCustomer;
  /** Sorted by due date, then document number (then id, so equal numbers still sort the same every time). */
  items: StatementItem[];
  /** One entry per currency that has open items, sorted by currency code. */
  totals: CurrencyTotals[];
  credit: StatementCredit;
}

/**
 * Whole days `dueDate` lies before `asOf`, or 0 when the item is not yet due. An invoice due today is not
 * overdue: the payer has the whole due date to pay.
 */
export function daysOverdue(dueDate: string, asOf: string): number {
  return Math.max(0, epochDay(asOf, 'asOf') - epochDay(dueDate, 'dueDate'));
}

/** The ageing bucket of an item that is `days` past due: 0 current, 1–30, 31–60, 61–90, 91 and more `90+`. */
export function ageingBucket(days: number): AgeingBucket {
  if (!Number.isSafeInteger(days) || days < 0) throw new RangeError(`days overdue must be a non-negative integer, got ${days}`);
  if (days === 0) return 'current';
  if (days <= 30) return '1-30';
  if (days <= 60) return '31-60';
  if (days <= 90) return '61-90';
  return '90+';
}

function emptyBuckets(): Record<AgeingBucket, number> {
  return { current: 0, '1-30': 0, '31-60': 0, '61-90': 0, '90+': 0 };
}

/** Code-unit order: the same on every runtime and locale, unlike `localeCompare`. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The statement of account of `customer` as of `asOf`, from its invoices. Lists the invoices still owed (OPEN,
 * PARTIALLY_PAID, DISPUTED with something open), ages each by its due date, and totals per currency.
 *
 * Credit-note records are left out for now: how their unapplied amount is recorded is not settled, and listing one
 * whose amount was already taken off its invoice would count the credit twice. {@link StatementItem} already
 * carries a `kind` and a signed amount for when they are added as negative items.
 *
 * Throws a RangeError when an invoice belongs to another customer: a statement that leaks someone else's
 * invoices is worse than none, and only a caller bug can cause it.
 */
export function buildStatement(input: { customer: StatementCustomer; invoices: Invoice[]; asOf: string; seller: Seller }): Statement {
  const { customer, asOf, seller } = input;
  epochDay(asOf, 'asOf');

  const items: StatementItem[] = [];
  for (const invoice of input.invoices) {
    if (invoice.customerId !== customer.id) throw new RangeError(`invoice ${invoice.id} belongs to customer ${invoice.customerId}, not ${customer.id}`);
    const { document } = invoice;
    if (document.kind !== 'invoice') continue;
    if (!openStatuses.includes(invoice.status) || invoice.openMinor <= 0) continue;
    if (!Number.isSafeInteger(invoice.openMinor)) throw new RangeError(`invoice ${invoice.id}: open amount must be an integer of minor units`);
    const days = daysOverdue(document.dueDate, asOf);
    epochDay(document.issueDate, `invoice ${invoice.id} issueDate`);
    items.push({
      kind: 'invoice',
      invoiceId: invoice.id,
      number: document.number,
      issueDate: document.issueDate,
      dueDate: document.dueDate,
      currency: document.currency,
      totalMinor: document.totalMinor,
      openMinor: invoice.openMinor,
      daysOverdue: days,
      bucket: ageingBucket(days),
      disputed: invoice.status === 'DISPUTED',
      reference: document.paymentReference,
    });
  }
  // ISO dates sort as text; numbers of one series too (fixed-width counters).
  items.sort((a, b) => compareText(a.dueDate, b.dueDate) || compareText(a.number, b.number) || compareText(a.invoiceId, b.invoiceId));

  const byCurrency = new Map<string, CurrencyTotals>();
  for (const item of items) {
    let totals = byCurrency.get(item.currency);
    if (!totals) {
      totals = { currency: item.currency, buckets: emptyBuckets(), balanceMinor: 0, overdueMinor: 0, disputedMinor: 0, itemCount: 0 };
      byCurrency.set(item.currency, totals);
    }
    totals.buckets[item.bucket] += item.openMinor;
    totals.balanceMinor += item.openMinor;
    if (item.bucket !== 'current') totals.overdueMinor += item.openMinor;
    if (item.disputed) totals.disputedMinor += item.openMinor;
    totals.itemCount += 1;
  }
  const totals = [...byCurrency.values()].sort((a, b) => compareText(a.currency, b.currency));

  const headroom = customer.creditLimitMinor - customer.exposureMinor;
  return {
    asOf,
    seller,
    customer: {
      id: customer.id,
      name: customer.name,
      email: customer.email,
      currency: customer.currency,
      creditLimitMinor: customer.creditLimitMinor,
      exposureMinor: customer.exposureMinor,
      terms: customer.terms,
    },
    items,
    totals,
    credit: {
      currency: customer.currency,
      limitMinor: customer.creditLimitMinor,
      exposureMinor: customer.exposureMinor,
      availableMinor: Math.max(0, headroom),
      overLimit: headroom < 0,
    },
  };
}
