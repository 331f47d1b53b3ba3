import { auditTrail } from '../audit.ts';
import { EmailNotSent, NotFound, TransientError } from '../errors.ts';
import type { Invoice, InvoiceDocument } from '../invoice.ts';
import type { Seller } from '../invoicing.ts';
import { formatMinor } from '../money.ts';
import type { Clock, DocumentStore, IdGenerator, InvoiceStore, Mailer } from '../ports.ts';
import type { InvoiceEmailInput } from '../emails.ts';
import { RETRY, retryOnChange } from '../retry.ts';

/** Turns an invoice document into its files; the renderers live in `#shared/documents` (pdf-lib, xmlbuilder2). */
export interface DocumentRenderer {
  pdf(document: InvoiceDocument): Promise<Uint8Array>;
  ubl(document: InvoiceDocument): string;
}

/** Builds the raw MIME message of an invoice email (nodemailer's composer in `#shared/documents/invoice-email`). */
export type EmailComposer = (input: InvoiceEmailInput) => Promise<Uint8Array>;

const documentKey = (document: InvoiceDocument, extension: 'pdf' | 'xml') =>
  `${document.kind === 'invoice' ? 'invoices' : 'credit-notes'}/${document.issueDate.slice(0, 4)}/${document.number}.${extension}`;

/**
 * Billing workflow step: the PDF and the EN 16931 UBL of an invoice into the private bucket, once. Keys are
 * derived from the number, so a retried step overwrites the same objects with the same bytes.
 */
export async function renderInvoiceDocuments(invoiceId: string, deps: { invoices: InvoiceStore; documents: DocumentStore; renderer: DocumentRenderer }) {
  const invoice = await deps.invoices.get(invoiceId);
  if (!invoice) throw new NotFound(`invoice ${invoiceId} does not exist`);
  if (invoice.pdfKey && invoice.ublKey) return { invoiceId, pdfKey: invoice.pdfKey, ublKey: invoice.ublKey };
  const pdfKey = documentKey(invoice.document, 'pdf');
  const ublKey = documentKey(invoice.document, 'xml');
  await deps.documents.put(pdfKey, await deps.renderer.pdf(invoice.document), 'application/pdf');
  await deps.documents.put(ublKey, deps.renderer.ubl(invoice.document), 'application/xml');
  if (!(await deps.invoices.update(invoice, { ...invoice, pdfKey, ublKey, version: invoice.version + 1 }))) throw new TransientError(`invoice ${invoiceId} changed while its documents were stored; retry`);
  return { invoiceId, pdfKey, ublKey };
}

export interface SendInvoiceEmailDeps {
  invoices: InvoiceStore;
  documents: DocumentStore;
  mailer: Mailer;
  compose: EmailComposer;
  seller: Seller;
  clock: Clock;
  ids: IdGenerator;
}

/**
 * Billing workflow step: the invoice email with its PDF and UBL, sent once. The invoice is claimed (PENDING or
 * FAILED → SENDING) before sending and marked SENT after; a failure is recorded with the error and retried by the
 * workflow. The buyer's address goes to SES, never to the logs.
 */
export async function sendInvoiceEmail(invoiceId: string, deps: SendInvoiceEmailDeps) {
  const invoice = await deps.invoices.get(invoiceId);
  if (!invoice) throw new NotFound(`invoice ${invoiceId} does not exist`);
  if (invoice.email.status === 'SENT') return { invoiceId, email: 'already-sent' as const };
  if (!invoice.pdfKey || !invoice.ublKey) throw new TransientError(`invoice ${invoiceId} has no documents yet`);
  const at = deps.clock.now().toISOString();
  const claimed: Invoice = { ...invoice, email: { ...invoice.email, status: 'SENDING', attempts: invoice.email.attempts + 1 }, updatedAt: at, version: invoice.version + 1 };
  if (!(await deps.invoices.update(invoice, claimed))) return { invoiceId, email: 'claimed-elsewhere' as const };

  const { document } = invoice;
  try {
    const pdf = await deps.documents.get(invoice.pdfKey);
    const ubl = await deps.documents.get(invoice.ublKey);
    if (!pdf || !ubl) throw new Error('documents missing from the bucket');
    const to = [document.buyer.email].filter((address): address is string => Boolean(address));
    if (to.length === 0) throw new Error('the buyer has no email address');
    const raw = await deps.compose({
      // The seller's name is what the buyer recognises in the From line and the subject.
      from: { name: deps.seller.party.name, address: deps.seller.email.fromAddress },
      to,
      replyTo: deps.seller.email.replyTo,
      kind: document.kind,
      number: document.number,
      customerName: document.buyer.name,
      totalFormatted: formatMinor(document.payableMinor, document.currency),
      dueDate: document.dueDate,
      paymentReference: document.paymentReference,
      paymentInstructions: document.paymentInstructions,
      pdf,
      pdfFilename: `${document.number}.pdf`,
      ubl: new TextDecoder().decode(ubl),
      ublFilename: `${document.number}.xml`,
    });
    const messageId = await deps.mailer.sendRaw({ from: deps.seller.email.fromAddress, to, raw });
    await deps.invoices.linkEmailMessage(messageId, invoiceId, deps.clock.now());
    const sent: Invoice = { ...claimed, email: { ...claimed.email, status: 'SENT', messageId, sentAt: deps.clock.now().toISOString(), lastError: undefined }, version: claimed.version + 1 };
    await deps.invoices.update(
      claimed,
      sent,
      auditTrail(deps, { actor: 'workflow:billing', at })({ entity: 'invoice', entityId: invoiceId, customerId: invoice.customerId, type: 'InvoiceEmailed', reason: `${document.number} sent (message ${messageId})` }),
    );
    return { invoiceId, email: 'sent' as const, messageId };
  } catch (error) {
    const failed: Invoice = { ...claimed, email: { ...claimed.email, status: 'FAILED', failedAt: deps.clock.now().toISOString(), lastError: (error as Error).message.slice(0, 500) }, version: claimed.version + 1 };
    await deps.invoices.update(claimed, failed);
    throw new EmailNotSent(`invoice email ${document.number} failed: ${(error as Error).message}`);
  }
}

/** What SES reports about a sent message (through EventBridge): delivered, bounced, complained about, rejected. */
export interface EmailEvent {
  messageId: string;
  kind: 'delivery' | 'bounce' | 'complaint' | 'reject';
  /** For a bounce: `Permanent` (the address is dead) or `Transient` (try again later). */
  bounceType?: string | undefined;
  detail: string;
  at: string;
}

/**
 * Records SES's verdict on an invoice email. A permanent bounce, a complaint or a rejection marks the email
 * BOUNCED with the reason (a person must fix the address); a transient bounce is noted and left to SES's retries;
 * a delivery records when. Events for messages we did not send (or no longer remember) are ignored.
 */
export async function recordEmailEvent(event: EmailEvent, deps: { invoices: InvoiceStore; clock: Clock; ids: IdGenerator }) {
  return retryOnChange(
    `invoice of message ${event.messageId} kept changing; retry`,
    async () => {
      const invoice = await deps.invoices.findByEmailMessage(event.messageId);
      if (!invoice || invoice.email.messageId !== event.messageId) return { recorded: false as const };
      const failed = event.kind === 'complaint' || event.kind === 'reject' || (event.kind === 'bounce' && event.bounceType === 'Permanent');
      const email = event.kind === 'delivery'
        ? { ...invoice.email, deliveredAt: event.at }
        : failed
          ? { ...invoice.email, status: 'BOUNCED' as const, failedAt: event.at, lastError: `${event.kind}: ${event.detail}`.slice(0, 500) }
          : { ...invoice.email, lastError: `${event.kind} (${event.bounceType ?? 'transient'}): ${event.detail}`.slice(0, 500) };
      const at = deps.clock.now().toISOString();
      const saved = await deps.invoices.update(
        invoice,
        { ...invoice, email, updatedAt: at, version: invoice.version + 1 },
        auditTrail(deps, { actor: 'ses', at })({
          entity: 'invoice',
          entityId: invoice.id,
          customerId: invoice.customerId,
          type: event.kind === 'delivery' ? 'InvoiceEmailDelivered' : failed ? 'InvoiceEmailBounced' : 'InvoiceEmailDelayed',
          reason: email.lastError ?? `delivered ${event.at}`,
        }),
      );
      if (saved) return { recorded: true as const, invoiceId: invoice.id, status: email.status, failed };
      return RETRY;
    },
    { attempts: 5 },
  );
}
