import { InvalidRequest, NotFound } from '../errors.ts';
import { invoiceStatuses, type Invoice, type InvoiceStatus } from '../invoice.ts';
import type { DocumentStore, InvoiceStore, OrderStore } from '../ports.ts';

/** Presigned document links live for 15 minutes: enough to open, too short to forward around. */
const LINK_SECONDS = 900;

/** An invoice as the operator API shows it (DESIGN §4 shape plus lines, tax summary and delivery state). */
export function invoiceView(invoice: Invoice, links: { pdfUrl?: string | undefined; ublUrl?: string | undefined } = {}) {
  const { document } = invoice;
  return {
    id: invoice.id,
    kind: document.kind,
    number: document.number,
    orderId: invoice.orderId,
    customerId: invoice.customerId,
    currency: document.currency,
    netMinor: document.lineNetTotalMinor,
    taxMinor: document.taxTotalMinor,
    totalMinor: document.totalMinor,
    openMinor: invoice.openMinor,
    paidMinor: invoice.paidMinor ?? 0,
    /** Paid at the store's checkout; `payableMinor` = total − prepaid is what the invoice asked the buyer to pay. */
    prepaidMinor: document.prepaidMinor,
    payableMinor: document.payableMinor,
    issueDate: document.issueDate,
    deliveryDate: document.deliveryDate,
    dueDate: document.dueDate,
    status: invoice.status,
    reference: document.paymentReference,
    terms: document.terms,
    lines: document.lines,
    taxBreakdown: document.taxBreakdown,
    email: { status: invoice.email.status, sentAt: invoice.email.sentAt, attempts: invoice.email.attempts, lastError: invoice.email.lastError },
    precedingInvoice: document.precedingInvoice,
    creditNoteIds: invoice.creditNoteIds ?? [],
    replacesInvoiceId: invoice.replacesInvoiceId,
    replacedByInvoiceId: invoice.replacedByInvoiceId,
    dispute: invoice.dispute,
    pdfUrl: links.pdfUrl ?? null,
    ublUrl: links.ublUrl ?? null,
  };
}

export async function getInvoice(invoiceId: string, deps: { invoices: InvoiceStore; documents: DocumentStore }) {
  const invoice = await deps.invoices.get(invoiceId);
  if (!invoice) throw new NotFound(`invoice ${invoiceId} does not exist`);
  const view = invoiceView(invoice, {
    pdfUrl: invoice.pdfKey ? await deps.documents.presignedUrl(invoice.pdfKey, LINK_SECONDS) : undefined,
    ublUrl: invoice.ublKey ? await deps.documents.presignedUrl(invoice.ublKey, LINK_SECONDS) : undefined,
  });
  // Payments, reminders, pauses and disputes of the invoice, newest last: its collections history at a glance.
  return { ...view, dunning: invoice.dunning, history: await deps.invoices.history(invoiceId, HISTORY_LIMIT) };
}

const HISTORY_LIMIT = 100;

/** Invoices of an order (all of them) or of a customer (a page, by due date), optionally of one status. */
export async function findInvoices(
  query: { orderId?: string | undefined; customerId?: string | undefined; status?: string | undefined; limit: number; cursor?: string | undefined },
  deps: { invoices: InvoiceStore; orders: OrderStore },
) {
  if (query.status !== undefined && !invoiceStatuses.includes(query.status as InvoiceStatus)) throw new InvalidRequest(`status must be one of ${invoiceStatuses.join(', ')}`);
  const keep = (invoice: Invoice) => query.status === undefined || invoice.status === query.status;
  if (query.orderId) {
    const order = await deps.orders.get(query.orderId);
    // The order knows its shipment invoices; credit notes and corrected reissues hang off those.
    const seen = new Map<string, Invoice>();
    const pending = [...(order?.invoiced?.invoiceIds ?? [])];
    while (pending.length > 0) {
      const id = pending.shift()!;
      if (seen.has(id)) continue;
      const invoice = await deps.invoices.get(id);
      if (!invoice) continue;
      seen.set(id, invoice);
      pending.push(...(invoice.creditNoteIds ?? []), ...(invoice.replacedByInvoiceId ? [invoice.replacedByInvoiceId] : []));
    }
    return { items: [...seen.values()].filter(keep).map((invoice) => invoiceView(invoice)), cursor: null };
  }
  if (!query.customerId) throw new InvalidRequest('give orderId or customerId');
  const page = await deps.invoices.listOfCustomer(query.customerId, query);
  return { items: page.items.filter(keep).map((invoice) => invoiceView(invoice)), cursor: page.cursor };
}
