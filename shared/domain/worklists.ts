import type { DeductionRecord } from './deduction.ts';
import type { DunningItem } from './dunning.ts';
import type { Invoice } from './invoice.ts';
import type { Order } from './order.ts';
import type { Payment } from './payment.ts';
import type { BankFileRecord } from './ports.ts';

/**
 * Every manual step of the cycle, as a worklist. An entity is on a worklist because of its own state (an order in
 * CREDIT_REVIEW, an unmatched payment, a disputed invoice, …): its entries are derived here from that state, and the
 * store writes the difference in the same transaction that changes the entity, so a worklist's count changes exactly
 * when work enters or leaves it.
 */
export const markerKinds = [
  'credit-review',
  'on-hold',
  'backordered',
  'unmatched-payments',
  'deductions',
  'disputes',
  'broken-promises',
  'email-failures',
  'quarantined-files',
] as const;
/** The worklists kept as marker items in the table (gsi4), one per entity that needs a person. */
export type MarkerKind = (typeof markerKinds)[number];

/** Every worklist: the marker kinds, and the dead letters, which are read from the SQS dead-letter queues. */
export const worklistKinds = [...markerKinds, 'dead-letters'] as const;
export type WorklistKind = (typeof worklistKinds)[number];

/** One item on a worklist: what it is, since when, how much, and the route that resolves it. */
export interface WorkEntry {
  kind: MarkerKind;
  /** The entity's id; with `kind` it identifies the entry. */
  entityId: string;
  entity: 'order' | 'payment' | 'deduction' | 'invoice' | 'bank-file';
  /** When the work arose (oldest first). */
  since: string;
  customerId?: string | undefined;
  currency?: string | undefined;
  amountMinor?: number | undefined;
  /** What a person needs to know, in a sentence. */
  summary: string;
  /** The route that resolves it (`{id}` filled in) and where to read the details. */
  resolve: { method: 'GET' | 'POST' | 'PUT'; path: string };
  details: string;
}

export function orderWork(order: Order): WorkEntry[] {
  const base = { entityId: order.id, entity: 'order' as const, since: order.orderedAt, customerId: order.customerId, currency: order.currency, amountMinor: order.totalMinor, details: `/orders/${order.id}` };
  if (order.status === 'CREDIT_REVIEW')
    return [{ ...base, kind: 'credit-review', summary: `credit review: ${order.credit?.reasons.join('; ') ?? 'held by the credit policy'}`, resolve: { method: 'POST', path: `/orders/${order.id}/credit-decision` } }];
  if (order.status === 'ON_HOLD') return [{ ...base, kind: 'on-hold', summary: `on hold: ${order.holdReasons.join('; ')}`, resolve: { method: 'POST', path: `/orders/${order.id}/recheck` } }];
  if (order.status === 'BACKORDERED')
    return [{ ...base, kind: 'backordered', summary: `waiting for stock of ${Object.keys(order.reservedQuantities).length > 0 ? 'part of' : 'all of'} the order`, resolve: { method: 'PUT', path: '/products/{sku}' } }];
  return [];
}

export function paymentWork(payment: Payment): WorkEntry[] {
  if (payment.status !== 'UNMATCHED') return [];
  return [
    {
      kind: 'unmatched-payments',
      entityId: payment.id,
      entity: 'payment',
      since: payment.bookingDate,
      customerId: payment.customerId,
      currency: payment.currency,
      amountMinor: payment.unappliedMinor,
      summary: payment.reason,
      resolve: { method: 'POST', path: `/payments/${payment.id}/allocations` },
      details: `/payments/${payment.id}`,
    },
  ];
}

export function deductionWork(deduction: DeductionRecord): WorkEntry[] {
  if (deduction.status !== 'OPEN') return [];
  return [
    {
      kind: 'deductions',
      entityId: deduction.id,
      entity: 'deduction',
      since: deduction.createdAt,
      customerId: deduction.customerId,
      currency: deduction.currency,
      amountMinor: deduction.amountMinor,
      summary: `${deduction.invoiceNumber}: ${deduction.reason}`,
      resolve: { method: 'POST', path: `/deductions/${deduction.id}/resolution` },
      details: `/invoices/${deduction.invoiceId}`,
    },
  ];
}

/** An invoice can need a person for several reasons at once: a dispute, a failed email, a broken promise. */
export function invoiceWork(invoice: Invoice): WorkEntry[] {
  const base = { entityId: invoice.id, entity: 'invoice' as const, customerId: invoice.customerId, currency: invoice.document.currency, details: `/invoices/${invoice.id}` };
  const entries: WorkEntry[] = [];
  if (invoice.status === 'DISPUTED' && invoice.dispute)
    entries.push({ ...base, kind: 'disputes', since: invoice.dispute.openedAt ?? invoice.updatedAt, amountMinor: invoice.openMinor, summary: `${invoice.document.number} disputed`, resolve: { method: 'POST', path: `/disputes/${invoice.dispute.id}/resolution` } });
  // A failed email stays on the list while it is sent again (SENDING after a failure), and leaves once SENT.
  const { email } = invoice;
  const retrying = email.status === 'SENDING' && email.failedAt !== undefined;
  if (email.status === 'FAILED' || email.status === 'BOUNCED' || retrying)
    entries.push({
      ...base,
      kind: 'email-failures',
      since: email.failedAt ?? invoice.updatedAt,
      amountMinor: invoice.openMinor,
      summary: `${invoice.document.kind === 'credit-note' ? 'credit note' : 'invoice'} ${invoice.document.number}: email ${retrying ? 'being sent again' : email.status.toLowerCase()}`,
      // Sends it again, to the customer's address as it is then (correct it first with PUT /customers/{id}).
      resolve: { method: 'POST', path: `/invoices/${invoice.id}/email` },
    });
  entries.push(...brokenPromiseWork({ id: invoice.id, customerId: invoice.customerId, invoiceNumber: invoice.document.number, currency: invoice.document.currency, openMinor: invoice.openMinor, dunning: invoice.dunning }));
  return entries;
}

/** The broken-promise entry of an invoice, from what the dunning run knows of it (its work-queue projection). */
export function brokenPromiseWork(invoice: Pick<DunningItem, 'id' | 'customerId' | 'invoiceNumber' | 'currency' | 'openMinor' | 'dunning'>): WorkEntry[] {
  const broken = invoice.dunning?.brokenPromise;
  if (!broken || invoice.openMinor <= 0) return [];
  return [
    {
      kind: 'broken-promises',
      entityId: invoice.id,
      entity: 'invoice',
      since: broken.detectedOn,
      customerId: invoice.customerId,
      currency: invoice.currency,
      amountMinor: invoice.openMinor,
      summary: `${invoice.invoiceNumber}: promised ${broken.amountMinor} by ${broken.date}, not kept`,
      resolve: { method: 'POST', path: `/invoices/${invoice.id}/promises` },
      details: `/invoices/${invoice.id}`,
    },
  ];
}

export function bankFileWork(file: BankFileRecord): WorkEntry[] {
  if (file.status !== 'QUARANTINED') return [];
  return [
    {
      kind: 'quarantined-files',
      entityId: file.sha256,
      entity: 'bank-file',
      since: file.receivedAt,
      summary: `${file.fileKey}: ${file.error?.message ?? 'unreadable'}`,
      resolve: { method: 'POST', path: '/bank-files' },
      // The record with its quarantine report (which lies beside the moved file, `<quarantinedAs>.report.json`).
      details: `/bank-files/${file.sha256}`,
    },
  ];
}

/** What changes between two sets of entries of one entity: entries to write (new or changed) and to remove. */
export function workChanges(before: readonly WorkEntry[], after: readonly WorkEntry[]): { put: WorkEntry[]; remove: WorkEntry[] } {
  const keyOf = (entry: WorkEntry) => `${entry.kind}#${entry.entityId}`;
  const was = new Map(before.map((entry) => [keyOf(entry), entry]));
  const is = new Map(after.map((entry) => [keyOf(entry), entry]));
  return {
    put: [...is.entries()].filter(([key, entry]) => JSON.stringify(was.get(key)) !== JSON.stringify(entry)).map(([, entry]) => entry),
    remove: [...was.entries()].filter(([key]) => !is.has(key)).map(([, entry]) => entry),
  };
}
