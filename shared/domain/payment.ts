import { createHash } from 'node:crypto';
import type { BankEntry } from './bank-statement.ts';
import type { Adjustment, Allocation, Candidate, Deduction, PriorPayment } from './cash-matching.ts';
import type { Customer } from './customer.ts';
import { isOpenReceivable, type Invoice, type InvoiceStatus } from './invoice.ts';
import { revise, type Order } from './order.ts';
import type { AuditEvent } from './audit.ts';
import type { Change, Clock, InvoiceStore, OrderStore, Receivables } from './ports.ts';

/**
 * A bank entry once cash application has seen it, and what became of it. Its id is derived from the entry's
 * business key, so the same entry in a second file (or the same file twice) is the same payment and is never
 * applied twice.
 */
export const paymentStatuses = ['APPLIED', 'UNMATCHED', 'REVERSED', 'RETURN', 'IGNORED'] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

export interface PaymentAllocation extends Allocation {
  invoiceNumber: string;
  by: string;
  at: string;
}

export interface PaymentAdjustment extends Adjustment {
  by: string;
  at: string;
}

export interface Payment
  extends Pick<BankEntry, 'currency' | 'amountMinor' | 'bookingDate' | 'valueDate' | 'bankReference' | 'endToEndId' | 'references' | 'remittance' | 'remittanceDocuments' | 'counterparty' | 'returnReason'> {
  id: string;
  /** Our bank account the money arrived in. */
  account: string;
  /** The file and statement entry it came from (first seen). */
  source: { bankFile: string; fileKey: string; entryId: string };
  status: PaymentStatus;
  customerId?: string | undefined;
  allocations: PaymentAllocation[];
  adjustments: PaymentAdjustment[];
  /** What the payer kept back with a reason; each is a deduction record (`deduction.ts`) for a person to decide. */
  deductions?: Deduction[] | undefined;
  /** Cash not on any invoice: the whole amount while unmatched, an overpayment kept on the customer's account. */
  unappliedMinor: number;
  /** Why it is in this state, in words. */
  reason: string;
  candidates: Candidate[];
  /** A return points at the payment it undoes, and that payment back at it. */
  reverses?: string | undefined;
  reversedBy?: string | undefined;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Bank references some banks write when they have none; such an entry is keyed by its content instead. */
const NO_REFERENCE = new Set(['', 'NONREF', 'NOTPROVIDED', 'NONE', 'N/A']);

/**
 * The payment id of a bank entry: our account + bank reference + amount + booking date (DESIGN: dedupe by entry),
 * or, when the bank gives no reference, the entry's whole content. Overlapping statements of one account carry
 * the same entries with the same references, so they map to the same payments.
 */
export function paymentIdFor(entry: BankEntry): string {
  const reference = entry.bankReference.trim();
  const key = NO_REFERENCE.has(reference.toUpperCase())
    ? [entry.account, entry.currency, entry.amountMinor, entry.bookingDate, entry.valueDate, entry.endToEndId ?? '', entry.remittance, entry.counterparty.account ?? '', entry.counterparty.name ?? '']
    : [entry.account, reference, entry.currency, entry.amountMinor, entry.bookingDate];
  return `PAY-${createHash('sha256').update(key.join('\u001f')).digest('hex').slice(0, 24).toUpperCase()}`;
}

/** What a return needs to know of an earlier payment. */
export function asPriorPayment(payment: Payment): PriorPayment {
  return {
    paymentId: payment.id,
    account: payment.account,
    bankReference: payment.bankReference,
    endToEndId: payment.endToEndId,
    counterpartyAccount: payment.counterparty.account,
    amountMinor: payment.amountMinor,
    bookingDate: payment.bookingDate,
    customerId: payment.customerId,
    allocations: payment.allocations,
    adjustments: payment.adjustments,
    unappliedMinor: payment.unappliedMinor,
  };
}

/**
 * An invoice after `cashMinor` of a payment and `adjustedMinor` of discount or write-off were applied to it (or,
 * negative, taken back by a return). Its status follows: nothing open is `PAID`, something paid is
 * `PARTIALLY_PAID`, else `OPEN`; a disputed invoice stays `DISPUTED` and returns to that status afterwards.
 */
export function settleInvoice(invoice: Invoice, cashMinor: number, adjustedMinor: number, at: string): Invoice {
  const openMinor = invoice.openMinor - cashMinor - adjustedMinor;
  if (openMinor < 0) throw new RangeError(`${invoice.document.number}: ${cashMinor + adjustedMinor} is more than the ${invoice.openMinor} open`);
  const paidMinor = (invoice.paidMinor ?? 0) + cashMinor;
  const settled: InvoiceStatus = openMinor === 0 ? 'PAID' : paidMinor > 0 ? 'PARTIALLY_PAID' : 'OPEN';
  const status = invoice.status === 'DISPUTED' ? 'DISPUTED' : settled;
  const dispute = invoice.status === 'DISPUTED' && invoice.dispute ? { ...invoice.dispute, statusBefore: settled } : invoice.dispute;
  return { ...invoice, openMinor, paidMinor, status, dispute, updatedAt: at, version: invoice.version + 1 };
}

/** Invoices cash can be applied to: open receivables, a disputed one included (it stays disputed). */
export const isAllocatable = (invoice: Invoice): boolean => isOpenReceivable(invoice);

/**
 * What a payment may still settle on an invoice, as `settlementViolation` reads it: the invoice's open amount when
 * it is allocatable, in the payment's currency and (when the payment's customer is known) of that customer;
 * `undefined` when the payment may not touch it at all.
 */
export function openToPayment(invoice: Invoice | undefined, payment: { currency: string; customerId?: string | undefined }): number | undefined {
  if (!invoice || !isAllocatable(invoice) || invoice.document.currency !== payment.currency) return undefined;
  if (payment.customerId && invoice.customerId !== payment.customerId) return undefined;
  return invoice.openMinor;
}

/** Credit exposure falls as invoices are settled (and rises again when a payment is returned), in its own currency only. */
export function withExposureReduced(customer: Customer, currency: string, settledMinor: number, at: string): Customer | undefined {
  if (customer.currency !== currency || settledMinor === 0) return undefined;
  return { ...customer, exposureMinor: customer.exposureMinor - settledMinor, updatedAt: at, version: customer.version + 1 };
}

/**
 * The customer after a payment settled invoices (or a return reopened them): exposure moves in its credit currency,
 * and a credit hold that collections placed is released once nothing is overdue any more. `undefined`: no change.
 */
export function customerAfterPayment(customer: Customer, input: { currency: string; settledMinor: number; overdueRemains: boolean; at: string }): { after: Customer; released: boolean } | undefined {
  const exposure = withExposureReduced(customer, input.currency, input.settledMinor, input.at);
  const release = customer.onCreditHold && customer.creditHoldSource === 'dunning' && input.settledMinor > 0 && !input.overdueRemains;
  if (!exposure && !release) return undefined;
  const after = exposure ?? { ...customer, updatedAt: input.at, version: customer.version + 1 };
  return { after: release ? { ...after, onCreditHold: false, creditHoldReason: undefined, creditHoldSource: undefined } : after, released: release };
}

/** Whether a collections credit hold could be released by this payment, so the overdue invoices are worth reading. */
export const mayReleaseHold = (customer: Customer | undefined) => Boolean(customer?.onCreditHold && customer.creditHoldSource === 'dunning');

/** Whether any overdue invoice of the customer stays open once these changes are written. */
export async function overdueAfter(customerId: string, invoiceChanges: readonly Change<Invoice>[], deps: { receivables: Receivables; clock: Clock }): Promise<boolean> {
  const closed = new Set(invoiceChanges.filter(({ after }) => after.openMinor === 0).map(({ after }) => after.id));
  return (await deps.receivables.overdueInvoiceIds(customerId, deps.clock.now())).some((id) => !closed.has(id));
}

/**
 * An invoiced order is `PAID` once every invoice it was billed with is settled (paid, fully credited, or replaced by
 * a corrected invoice that is settled); a returned payment that reopens one takes it back to `INVOICED`.
 * `undefined`: the order does not change.
 */
export function orderAfterSettlement(order: Order, invoiceOf: (invoiceId: string) => Invoice | undefined, at: string): Order | undefined {
  const settled = (invoiceId: string, depth = 0): boolean => {
    const invoice = invoiceOf(invoiceId);
    if (!invoice || depth > 5) return false;
    if (invoice.replacedByInvoiceId) return settled(invoice.replacedByInvoiceId, depth + 1);
    return invoice.openMinor === 0 && (invoice.status === 'PAID' || invoice.status === 'CREDITED');
  };
  const ids = order.invoiced?.invoiceIds ?? [];
  const allSettled = ids.length > 0 && ids.every((id) => settled(id));
  if (order.status === 'INVOICED' && allSettled) return revise(order, { status: 'PAID' }, at);
  if (order.status === 'PAID' && !allSettled) return revise(order, { status: 'INVOICED' }, at);
  return undefined;
}

/** The orders these invoice changes settle (or unsettle again), each with its audit event. */
export async function orderChangesFor(
  invoiceChanges: readonly Change<Invoice>[],
  deps: { orders: Pick<OrderStore, 'get'>; invoices: Pick<InvoiceStore, 'get'> },
  at: string,
  audit: (event: Omit<AuditEvent, 'id' | 'actor' | 'at'>) => AuditEvent,
): Promise<{ orders: Change<Order>[]; audits: AuditEvent[] }> {
  const changed = new Map(invoiceChanges.map(({ after }) => [after.id, after]));
  const orders: Change<Order>[] = [];
  const audits: AuditEvent[] = [];
  // Only an invoice that became PAID, or stopped being PAID, can change its order: the rest costs no read.
  const turning = invoiceChanges.filter(({ before, after }) => (before.status === 'PAID') !== (after.status === 'PAID'));
  for (const orderId of new Set(turning.map(({ after }) => after.orderId))) {
    const order = await deps.orders.get(orderId);
    if (!order || (order.status !== 'INVOICED' && order.status !== 'PAID')) continue;
    const others = new Map<string, Invoice>();
    const pending = [...(order.invoiced?.invoiceIds ?? [])];
    while (pending.length > 0 && others.size < 20) {
      const id = pending.shift() as string;
      const invoice = changed.get(id) ?? (await deps.invoices.get(id));
      if (!invoice || others.has(id)) continue;
      others.set(id, invoice);
      if (invoice.replacedByInvoiceId) pending.push(invoice.replacedByInvoiceId);
    }
    const after = orderAfterSettlement(order, (id) => others.get(id), at);
    if (!after) continue;
    orders.push({ before: order, after });
    audits.push(audit({ entity: 'order', entityId: order.id, customerId: order.customerId, type: after.status === 'PAID' ? 'OrderPaid' : 'OrderPaymentReturned', before: order.status, after: after.status, reason: after.status === 'PAID' ? 'every invoice of the order is settled' : 'a returned payment reopened an invoice of the order' }));
  }
  return { orders, audits };
}

/** Allocated cash, discounts and write-offs of a payment, by invoice. */
export function settledByInvoice(payment: { allocations: readonly { invoiceId: string; amountMinor: number }[]; adjustments: readonly { invoiceId: string; amountMinor: number }[] }): Map<string, { cash: number; adjusted: number }> {
  const byInvoice = new Map<string, { cash: number; adjusted: number }>();
  const entry = (invoiceId: string) => byInvoice.get(invoiceId) ?? byInvoice.set(invoiceId, { cash: 0, adjusted: 0 }).get(invoiceId)!;
  for (const allocation of payment.allocations) entry(allocation.invoiceId).cash += allocation.amountMinor;
  for (const adjustment of payment.adjustments) entry(adjustment.invoiceId).adjusted += adjustment.amountMinor;
  return byInvoice;
}
