/**
 * Collections KPIs of one currency: what became of promises to pay, how often invoices are disputed and how long
 * disputes stay open, and what customers paid after each dunning level. Every figure lists the items it counted.
 *
 * Cash is read from the payments as stored: a payment's allocations (cash) and adjustments (discounts,
 * write-offs) settle invoices on the payment's booking date, the day the money arrived. A payment the bank later
 * returned (REVERSED) paid nothing. Pure: the caller passes the items in scope and the day or instant; no clock.
 */
import { durationStats, secondsBetween, share, type DurationStats, type Share } from './figures.ts';
import type { PaymentPromise } from './dunning.ts';
import type { Invoice, InvoiceDocument } from './invoice.ts';
import type { Payment } from './payment.ts';
import type { Dispute } from './ports.ts';
import { compareText } from './text.ts';

/** What collections reads of a payment (a stored `Payment` fits). */
export type CollectionsPayment = Pick<Payment, 'status' | 'currency' | 'bookingDate' | 'allocations' | 'adjustments'>;

/** One settlement of an invoice by a payment: cash and adjustments, on the payment's booking date. */
interface Settlement {
  invoiceId: string;
  date: string;
  cashMinor: number;
  settledMinor: number;
}

/** Every settlement of invoices by payments in `currency` that still stand (a returned payment settled nothing). */
function settlementsOf(payments: readonly CollectionsPayment[], currency: string): Map<string, Settlement[]> {
  const byInvoice = new Map<string, Settlement[]>();
  for (const payment of payments) {
    if (payment.currency !== currency || payment.status === 'REVERSED') continue;
    const add = (invoiceId: string, cashMinor: number, otherMinor: number) => {
      const list = byInvoice.get(invoiceId) ?? byInvoice.set(invoiceId, []).get(invoiceId)!;
      list.push({ invoiceId, date: payment.bookingDate, cashMinor, settledMinor: cashMinor + otherMinor });
    };
    for (const allocation of payment.allocations) add(allocation.invoiceId, allocation.amountMinor, 0);
    for (const adjustment of payment.adjustments) add(adjustment.invoiceId, 0, adjustment.amountMinor);
  }
  return byInvoice;
}

// ---------------------------------------------------------------------------------------------------------------
// Promises to pay
// ---------------------------------------------------------------------------------------------------------------

export interface PromiseRecord {
  invoiceId: string;
  currency: string;
  promise: PaymentPromise;
}

export interface PromiseOutcome {
  invoiceId: string;
  date: string;
  amountMinor: number;
  recordedAt: string;
  /** Cash and adjustments on the invoice from payments booked from the day it was made through its date. */
  settledByDateMinor: number;
  outcome: 'kept' | 'broken' | 'pending';
}

export interface PromiseKpis {
  kept: number;
  broken: number;
  pending: number;
  /** Kept ÷ (kept + broken): pending promises are not judged yet. */
  keptRate: Share;
  /** Promised amounts of kept promises ÷ of kept and broken ones. */
  keptAmount: Share;
  promises: PromiseOutcome[];
}

/**
 * Kept, broken or pending as of `asOf` (a day). A promise is pending through its date (dunning waits until the day
 * after it); then it is kept when what was settled on the invoice from the day it was made through its date reaches
 * the promised amount — dunning's own rule (open ≤ open when promised − amount), with settlements read from the
 * payments. A credit note in that window is not a payment and does not keep a promise here.
 */
export function promiseKpis(input: { promises: readonly PromiseRecord[]; payments: readonly CollectionsPayment[]; currency: string; asOf: string }): PromiseKpis {
  const settlements = settlementsOf(input.payments, input.currency);
  const promises = input.promises
    .filter((record) => record.currency === input.currency)
    .map(({ invoiceId, promise }): PromiseOutcome => {
      const from = promise.recordedAt.slice(0, 10);
      const settledByDateMinor = (settlements.get(invoiceId) ?? []).filter((item) => item.date >= from && item.date <= promise.date).reduce((sum, item) => sum + item.settledMinor, 0);
      const outcome = input.asOf <= promise.date ? 'pending' : settledByDateMinor >= promise.amountMinor ? 'kept' : 'broken';
      return { invoiceId, date: promise.date, amountMinor: promise.amountMinor, recordedAt: promise.recordedAt, settledByDateMinor, outcome };
    });
  const of = (outcome: PromiseOutcome['outcome']) => promises.filter((promise) => promise.outcome === outcome);
  const amount = (list: readonly PromiseOutcome[]) => list.reduce((sum, promise) => sum + promise.amountMinor, 0);
  const [kept, broken, pending] = [of('kept'), of('broken'), of('pending')];
  return {
    kept: kept.length,
    broken: broken.length,
    pending: pending.length,
    keptRate: share(kept.length, kept.length + broken.length),
    keptAmount: share(amount(kept), amount(kept) + amount(broken)),
    promises,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Disputes
// ---------------------------------------------------------------------------------------------------------------

/** What the dispute rate reads of an issued invoice (a stored `Invoice` fits). */
export type IssuedInvoice = Pick<Invoice, 'id' | 'status'> & { document: Pick<InvoiceDocument, 'kind' | 'currency' | 'payableMinor'> };

export interface DisputeKpis {
  /** Issued invoices with at least one dispute ÷ issued invoices, by count and by payable amount. */
  rate: { byCount: Share; byAmount: Share };
  disputedInvoiceIds: string[];
  /** From opening to resolution, of the disputes resolved. */
  resolvedIn: DurationStats;
  /** From opening to `at`, of the disputes still open. */
  openFor: DurationStats;
}

/**
 * The dispute rate of the invoices issued in scope (in `currency`; void ones are no issue), and how long the
 * disputes passed stayed (or have been) open as of the instant `at`.
 */
export function disputeKpis(input: { invoices: readonly IssuedInvoice[]; disputes: readonly Pick<Dispute, 'id' | 'invoiceId' | 'status' | 'openedAt' | 'resolution'>[]; currency: string; at: string }): DisputeKpis {
  const issued = input.invoices.filter((invoice) => invoice.document.kind === 'invoice' && invoice.document.currency === input.currency && invoice.status !== 'VOID');
  const disputedIds = new Set(input.disputes.map((dispute) => dispute.invoiceId));
  const disputed = issued.filter((invoice) => disputedIds.has(invoice.id));
  const amount = (list: readonly IssuedInvoice[]) => list.reduce((sum, invoice) => sum + invoice.document.payableMinor, 0);
  const resolved = input.disputes.filter((dispute) => dispute.status !== 'OPEN' && dispute.resolution);
  const open = input.disputes.filter((dispute) => dispute.status === 'OPEN');
  return {
    rate: { byCount: share(disputed.length, issued.length), byAmount: share(amount(disputed), amount(issued)) },
    disputedInvoiceIds: disputed.map((invoice) => invoice.id).sort(compareText),
    resolvedIn: durationStats(resolved.map((dispute) => ({ id: dispute.id, seconds: secondsBetween(dispute.openedAt, dispute.resolution?.at as string) }))),
    openFor: durationStats(open.map((dispute) => ({ id: dispute.id, seconds: secondsBetween(dispute.openedAt, input.at) }))),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Reminders
// ---------------------------------------------------------------------------------------------------------------

/** A dunning reminder sent for an invoice (the `DunningReminderSent` audit event: its invoice, level name, time). */
export interface ReminderRecord {
  invoiceId: string;
  currency: string;
  level: string;
  sentAt: string;
}

export interface ReminderLevelKpis {
  level: string;
  sent: number;
  invoices: number;
  /** Invoices on which cash arrived after this level and before the next one ÷ invoices reminded at this level. */
  paidInvoices: Share;
  /** That cash. */
  paidAfterMinor: number;
}

/**
 * Reminders sent per level, and what was paid after each: cash on an invoice booked on or after the day of one
 * of its reminders, and before the day of its next one, counts for that reminder's level. `levels` orders the
 * rows (the policy's order); levels not in it follow by name.
 */
export function reminderKpis(input: { reminders: readonly ReminderRecord[]; payments: readonly CollectionsPayment[]; currency: string; levels?: readonly string[] | undefined }): ReminderLevelKpis[] {
  const settlements = settlementsOf(input.payments, input.currency);
  const reminders = input.reminders.filter((reminder) => reminder.currency === input.currency);
  const byInvoice = new Map<string, ReminderRecord[]>();
  for (const reminder of reminders) (byInvoice.get(reminder.invoiceId) ?? byInvoice.set(reminder.invoiceId, []).get(reminder.invoiceId)!).push(reminder);
  const rows = new Map<string, { sent: number; invoices: Set<string>; paid: Set<string>; paidAfterMinor: number }>();
  const row = (level: string) => rows.get(level) ?? rows.set(level, { sent: 0, invoices: new Set(), paid: new Set(), paidAfterMinor: 0 }).get(level)!;
  for (const [invoiceId, list] of byInvoice) {
    list.sort((a, b) => compareText(a.sentAt, b.sentAt));
    list.forEach((reminder, index) => {
      const from = reminder.sentAt.slice(0, 10);
      const until = list[index + 1]?.sentAt.slice(0, 10);
      const cash = (settlements.get(invoiceId) ?? []).filter((item) => item.date >= from && (until === undefined || item.date < until)).reduce((sum, item) => sum + item.cashMinor, 0);
      const target = row(reminder.level);
      target.sent += 1;
      target.invoices.add(invoiceId);
      target.paidAfterMinor += cash;
      if (cash > 0) target.paid.add(invoiceId);
    });
  }
  const order = input.levels ?? [];
  const rank = (level: string) => (order.includes(level) ? order.indexOf(level) : order.length);
  return [...rows.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || compareText(a, b))
    .map(([level, totals]) => ({ level, sent: totals.sent, invoices: totals.invoices.size, paidInvoices: share(totals.paid.size, totals.invoices.size), paidAfterMinor: totals.paidAfterMinor }));
}
