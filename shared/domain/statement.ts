/**
 * The statement of account: what a customer still owes us on a given day, invoice by invoice, aged by how long
 * each item is past its due date. Collections sends it with dunning and the customer's accounts-payable clerk
 * reconciles against it, so it must agree to the minor unit with the receivables ledger: it only lists and sums the
 * `openMinor` of each invoice and never re-derives an amount.
 *
 * Pure: no clock (the caller passes `asOf`), no I/O. Dates are ISO calendar dates counted in UTC days, so the
 * same statement comes out in every time zone and a Lambda in `eu-central-1` agrees with a laptop in Tokyo.
 */
import { deductedOf } from './deduction.ts';
import type { CashOnAccount } from './cash-on-account.ts';
import { epochDay } from './dates.ts';
import type { Customer } from './customer.ts';
import { languageOf, type DunningLanguage } from './dunning.ts';
import { isOpenReceivable, type Invoice } from './invoice.ts';
import type { Seller } from './invoicing.ts';
import { compareText } from './text.ts';

/**
 * Ageing buckets of what is owed, in the order reports print them: not yet due, due today, then 1–30, 31–60,
 * 61–90 and more than 90 days past due. An invoice due today is not overdue (the payer has the whole due date),
 * but it is not "not yet due" either: a clerk paying today must see it apart.
 */
export const ageingBuckets = ['not-due', 'due-today', '1-30', '31-60', '61-90', '90+'] as const;
export type AgeingBucket = (typeof ageingBuckets)[number];

/**
 * The columns of a currency's totals: the credits held for the customer (cash on account, credit notes not yet
 * set off; negative), then the ageing buckets. Credits are not aged: they are no debt, and spreading them over the
 * ageing buckets would make "overdue" shrink or turn negative. Every bucket added up is the balance.
 */
export const statementBuckets = ['credits', ...ageingBuckets] as const;
export type StatementBucket = (typeof statementBuckets)[number];

/**
 * Statuses whose invoices are still owed. A disputed invoice is still owed (the dispute may be rejected), so it is
 * listed and summed, but flagged. PAID, CREDITED and VOID invoices owe nothing and never appear.
 */

/** The customer fields a statement prints: identity, country (it picks the language), credit standing and terms. */
export type StatementCustomer = Pick<Customer, 'id' | 'name' | 'email' | 'country' | 'currency' | 'creditLimitMinor' | 'exposureMinor' | 'terms'>;

/**
 * One line of the statement. Amounts are signed minor units of `currency`: an invoice is positive; a credit note
 * and cash on account are negative and reduce their currency's balance.
 * - `invoice`: an invoice still owed; `openMinor` is what is left of it.
 * - `credit-note`: a credit note against an invoice still listed, so the reader sees why that invoice's open amount
 *   is below its total. Credit notes are set off against their invoice when issued, so `openMinor` is 0 (the credit
 *   is already inside the invoice's open amount) unless some of it is still to be set off.
 * - `cash-on-account`: a payment, or what is left of one, on no invoice; `openMinor` is minus what is unapplied.
 */
export interface StatementItem {
  kind: 'invoice' | 'credit-note' | 'cash-on-account';
  /** The document's id (invoice, credit note); absent on cash on account. */
  invoiceId?: string | undefined;
  /** The payment's id, on cash on account. */
  paymentId?: string | undefined;
  /** The document number, or the bank's reference of the payment. */
  number: string;
  /** ISO dates (YYYY-MM-DD): the document's dates; for cash, the booking date twice. */
  issueDate: string;
  dueDate: string;
  currency: string;
  /** The document's total as issued, or the payment's amount (negative for credits). */
  totalMinor: number;
  /** What is still owed on it as of the statement date (negative: held for the customer). */
  openMinor: number;
  /** Whole UTC days past the due date; 0 when not yet due, on the due date itself, and for credits. */
  daysOverdue: number;
  bucket: StatementBucket;
  /** The customer disputes it: still owed, but collections holds dunning on it. */
  disputed: boolean;
  /** Of `openMinor`, what the customer deducted with a reason and we have not decided yet (dunning holds it). */
  deductedMinor: number;
  /** The ISO 11649 `RF…` reference the payer quotes so cash application matches the payment to this item (documents only). */
  reference: string;
  /** A credit note: the number of the invoice it was set off against. */
  appliedTo?: string | undefined;
}

/**
 * Totals of one currency. Amounts in different currencies are never added: a customer with EUR and JPY invoices
 * gets two of these, and no grand total.
 */
export interface CurrencyTotals {
  currency: string;
  /** Open amount per bucket; every bucket is present, zero when empty, and they add up to `balanceMinor`. */
  buckets: Record<StatementBucket, number>;
  /** What is left on the invoices listed. */
  openInvoicesMinor: number;
  /** Credits held for the customer (cash on account, credit notes not yet set off), as a positive amount. */
  unappliedMinor: number;
  /** What the customer owes in this currency: open invoices − unapplied credits (negative: we owe the customer). */
  balanceMinor: number;
  /** What of the open invoices is past its due date (every ageing bucket after `due-today`). */
  overdueMinor: number;
  /** The part of the open invoices under dispute. */
  disputedMinor: number;
  /** The part of the open invoices the customer deducted, under review. */
  deductedMinor: number;
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
  /** The language the customer is written to in (its country picks it); the PDF prints every word in it. */
  language: DunningLanguage;
  seller: Seller;
  customer: StatementCustomer;
  /** Sorted by due date, then document number (then id, so equal numbers still sort the same every time). */
  items: StatementItem[];
  /** One entry per currency that has items, sorted by currency code. */
  totals: CurrencyTotals[];
  credit: StatementCredit;
}

/** Whole UTC days from `dueDate` to `asOf`: negative before the due date, 0 on it, positive after. */
export function daysPastDue(dueDate: string, asOf: string): number {
  return epochDay(asOf, 'asOf') - epochDay(dueDate, 'dueDate');
}

/**
 * Whole days `dueDate` lies before `asOf`, or 0 when the item is not yet due. An invoice due today is not
 * overdue: the payer has the whole due date to pay.
 */
export function daysOverdue(dueDate: string, asOf: string): number {
  return Math.max(0, daysPastDue(dueDate, asOf));
}

/** The upper edges, in days past due, of the overdue buckets a statement prints: 1–30, 31–60, 61–90, then 90+. */
export const defaultAgeingEdges: readonly number[] = [30, 60, 90];

/**
 * One ageing range in days past due, both ends inclusive; `null` is open-ended. `not-due` is everything before
 * the due date (to −1), `due-today` is day 0, the last range has no end.
 */
export interface AgeingRange {
  label: string;
  fromDays: number | null;
  toDays: number | null;
}

/**
 * The ageing ranges for the overdue buckets' upper edges (ascending whole days past due): `not-due`, `due-today`,
 * then 1–e1, e1+1–e2, …, and more than the last edge. The statement's [30, 60, 90] gives not-due, due-today, 1-30,
 * 31-60, 61-90, 90+.
 */
export function ageingRanges(edges: readonly number[] = defaultAgeingEdges): AgeingRange[] {
  if (edges.length === 0) throw new RangeError('give at least one ageing edge');
  edges.forEach((edge, index) => {
    if (!Number.isSafeInteger(edge) || edge < 1) throw new RangeError(`an ageing edge is a whole number of days ≥ 1, got ${edge}`);
    if (index > 0 && edge <= (edges[index - 1] as number)) throw new RangeError(`ageing edges must ascend: ${edges.join(',')}`);
  });
  const last = edges[edges.length - 1] as number;
  return [
    { label: 'not-due', fromDays: null, toDays: -1 },
    { label: 'due-today', fromDays: 0, toDays: 0 },
    ...edges.map((edge, index) => {
      const from = index === 0 ? 1 : (edges[index - 1] as number) + 1;
      return { label: `${from}-${edge}`, fromDays: from, toDays: edge };
    }),
    { label: `${last}+`, fromDays: last + 1, toDays: null },
  ];
}

/** The position in `ageingRanges(edges)` of an item `days` past its due date (negative: before it). */
export function ageingRangeIndex(days: number, edges: readonly number[] = defaultAgeingEdges): number {
  if (!Number.isSafeInteger(days)) throw new RangeError(`days past due must be an integer, got ${days}`);
  if (days < 0) return 0;
  if (days === 0) return 1;
  const within = edges.findIndex((edge) => days <= edge);
  return 2 + (within < 0 ? edges.length : within);
}

const statementRanges = ageingRanges(defaultAgeingEdges);

/**
 * The ageing bucket of an item `days` past its due date (negative: before it): `not-due`, `due-today` (0),
 * 1–30, 31–60, 61–90, 91 and more `90+`.
 */
export function ageingBucket(days: number): AgeingBucket {
  return (statementRanges[ageingRangeIndex(days)] as AgeingRange).label as AgeingBucket;
}

/** Past its due date: every ageing bucket after `due-today`. */
export const isOverdueBucket = (bucket: StatementBucket): boolean => bucket !== 'credits' && bucket !== 'not-due' && bucket !== 'due-today';

function emptyBuckets(): Record<StatementBucket, number> {
  return Object.fromEntries(statementBuckets.map((bucket) => [bucket, 0])) as Record<StatementBucket, number>;
}

function assertMinor(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be an integer of minor units, got ${value}`);
}

/**
 * The statement of account of `customer` as of `asOf`, from its invoices, credit notes and the cash it has on
 * account. Lists the invoices still owed (OPEN, PARTIALLY_PAID, DISPUTED with something open), ages each by its due
 * date; lists the credit notes set off against those invoices (and any credit note not yet set off) and the cash
 * on account as credits; and totals per currency, so that for every currency
 * balance = Σ open invoices − Σ unapplied credits = Σ buckets.
 *
 * Throws a RangeError when a document or payment belongs to another customer: a statement that leaks someone
 * else's invoices is worse than none, and only a caller bug can cause it.
 */
export function buildStatement(input: { customer: StatementCustomer; invoices: Invoice[]; cashOnAccount?: readonly CashOnAccount[] | undefined; asOf: string; seller: Seller }): Statement {
  const { customer, asOf, seller } = input;
  epochDay(asOf, 'asOf');

  const items: StatementItem[] = [];
  const listed = new Map<string, Invoice>();
  for (const invoice of input.invoices) {
    if (invoice.customerId !== customer.id) throw new RangeError(`invoice ${invoice.id} belongs to customer ${invoice.customerId}, not ${customer.id}`);
    assertMinor(invoice.openMinor, `invoice ${invoice.id}: open amount`);
    if (isOpenReceivable(invoice)) listed.set(invoice.id, invoice);
  }
  for (const invoice of input.invoices) {
    const { document } = invoice;
    epochDay(document.issueDate, `invoice ${invoice.id} issueDate`);
    if (document.kind === 'invoice') {
      if (!listed.has(invoice.id)) continue;
      const days = daysPastDue(document.dueDate, asOf);
      items.push({
        kind: 'invoice',
        invoiceId: invoice.id,
        number: document.number,
        issueDate: document.issueDate,
        dueDate: document.dueDate,
        currency: document.currency,
        totalMinor: document.totalMinor,
        openMinor: invoice.openMinor,
        daysOverdue: Math.max(0, days),
        bucket: ageingBucket(days),
        disputed: invoice.status === 'DISPUTED',
        deductedMinor: deductedOf(invoice),
        reference: document.paymentReference,
      });
      continue;
    }
    // A credit note: shown beside the open invoice it reduced, or on its own while some of it is not set off.
    const credited = invoice.creditsInvoiceId ? listed.get(invoice.creditsInvoiceId) : undefined;
    const unapplied = invoice.status === 'VOID' ? 0 : Math.max(0, invoice.openMinor);
    if (!credited && unapplied === 0) continue;
    items.push({
      kind: 'credit-note',
      invoiceId: invoice.id,
      number: document.number,
      issueDate: document.issueDate,
      dueDate: document.issueDate,
      currency: document.currency,
      totalMinor: -document.totalMinor,
      openMinor: 0 - unapplied, // never -0
      daysOverdue: 0,
      bucket: 'credits',
      disputed: false,
      deductedMinor: 0,
      reference: document.paymentReference,
      appliedTo: credited?.document.number ?? document.precedingInvoice?.number,
    });
  }
  for (const cash of input.cashOnAccount ?? []) {
    if (cash.customerId !== customer.id) throw new RangeError(`payment ${cash.paymentId} is on the account of customer ${cash.customerId}, not ${customer.id}`);
    assertMinor(cash.unappliedMinor, `payment ${cash.paymentId}: unapplied amount`);
    assertMinor(cash.amountMinor, `payment ${cash.paymentId}: amount`);
    epochDay(cash.bookingDate, `payment ${cash.paymentId} bookingDate`);
    if (cash.unappliedMinor <= 0) continue;
    items.push({
      kind: 'cash-on-account',
      paymentId: cash.paymentId,
      number: cash.bankReference,
      issueDate: cash.bookingDate,
      dueDate: cash.bookingDate,
      currency: cash.currency,
      totalMinor: -cash.amountMinor,
      openMinor: -cash.unappliedMinor,
      daysOverdue: 0,
      bucket: 'credits',
      disputed: false,
      deductedMinor: 0,
      reference: '',
    });
  }
  // ISO dates sort as text; numbers of one series too (fixed-width counters).
  const idOf = (item: StatementItem) => item.invoiceId ?? item.paymentId ?? '';
  items.sort((a, b) => compareText(a.dueDate, b.dueDate) || compareText(a.number, b.number) || compareText(idOf(a), idOf(b)));

  const byCurrency = new Map<string, CurrencyTotals>();
  for (const item of items) {
    let totals = byCurrency.get(item.currency);
    if (!totals) {
      totals = { currency: item.currency, buckets: emptyBuckets(), openInvoicesMinor: 0, unappliedMinor: 0, balanceMinor: 0, overdueMinor: 0, disputedMinor: 0, deductedMinor: 0, itemCount: 0 };
      byCurrency.set(item.currency, totals);
    }
    totals.buckets[item.bucket] += item.openMinor;
    totals.balanceMinor += item.openMinor;
    if (item.kind === 'invoice') totals.openInvoicesMinor += item.openMinor;
    else totals.unappliedMinor -= item.openMinor;
    if (item.kind === 'invoice' && isOverdueBucket(item.bucket)) totals.overdueMinor += item.openMinor;
    if (item.disputed) totals.disputedMinor += item.openMinor;
    totals.deductedMinor += item.deductedMinor;
    totals.itemCount += 1;
  }
  const totals = [...byCurrency.values()].sort((a, b) => compareText(a.currency, b.currency));

  const headroom = customer.creditLimitMinor - customer.exposureMinor;
  return {
    asOf,
    language: languageOf(customer.country),
    seller,
    customer: {
      id: customer.id,
      name: customer.name,
      email: customer.email,
      country: customer.country,
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

/** The statement's file name in its language: `statement-<customer>-<date>.pdf`, `kontoauszug-<customer>-<date>.pdf`. */
export function statementFilename(statement: Pick<Statement, 'customer' | 'asOf' | 'language'>): string {
  return `${statement.language === 'de' ? 'kontoauszug' : 'statement'}-${statement.customer.id}-${statement.asOf}.pdf`;
}
