import { auditTrail, type AuditEvent } from '../audit.ts';
import { invoiceAddressOf } from '../customer.ts';
import { Conflict, EmailNotSent, NotFound, TransientError } from '../errors.ts';
import type { Invoice, InvoiceDocument, InvoiceEmail } from '../invoice.ts';
import type { Seller } from '../invoicing.ts';
import { formatMinor } from '../money.ts';
import type { Clock, Customers, DocumentStore, IdGenerator, InvoiceStore, Mailer } from '../ports.ts';
import type { InvoiceEmailInput } from '../emails.ts';
import { RETRY, retryOnChange } from '../retry.ts';

/** Turns an invoice document into its files; the renderers live in `#shared/documents` (pdf-lib, fast-xml-parser's XMLBuilder). */
export interface DocumentRenderer {
  pdf(document: InvoiceDocument): Promise<Uint8Array>;
  ubl(document: InvoiceDocument): string;
}

/** Builds the raw MIME message of an invoice email (`#shared/documents/invoice-email`, written by `#shared/documents/mime`). */
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

/** Who sends invoice emails in the billing workflow: the audit trail's actor and the holder of its SENDING claims. */
const BILLING_WORKFLOW = 'workflow:billing';

/**
 * A SENDING claim older than this was left by an attempt that died: the functions that send time out after 30 s
 * (`shared/topology.ts`), so nobody still holds it, and a person's retry may take it over.
 */
export const SENDING_LEASE_MS = 5 * 60_000;

const claimLapsed = (invoice: Invoice, now: Date) => now.getTime() - Date.parse(invoice.email.claimedAt ?? invoice.updatedAt) > SENDING_LEASE_MS;

/** The invoice claimed for one sending attempt (version checked by the store): nobody else sends while it holds. */
function claimFor(invoice: Invoice, by: string, at: string): Invoice {
  return { ...invoice, email: { ...invoice.email, status: 'SENDING', attempts: invoice.email.attempts + 1, claimedBy: by, claimedAt: at }, updatedAt: at, version: invoice.version + 1 };
}

/**
 * Billing workflow step: the invoice email with its PDF and UBL, sent once. The invoice is claimed (PENDING or
 * FAILED → SENDING) before sending and marked SENT after; a failure is recorded with the error and retried by the
 * workflow. A claim a person holds (a retry through the operator API) is left to them. The buyer's address goes to
 * SES, never to the logs.
 */
export async function sendInvoiceEmail(invoiceId: string, deps: SendInvoiceEmailDeps) {
  const invoice = await deps.invoices.get(invoiceId);
  if (!invoice) throw new NotFound(`invoice ${invoiceId} does not exist`);
  if (invoice.email.status === 'SENT') return { invoiceId, email: 'already-sent' as const };
  const now = deps.clock.now();
  const heldByPerson = invoice.email.status === 'SENDING' && invoice.email.claimedBy !== undefined && invoice.email.claimedBy !== BILLING_WORKFLOW;
  if (heldByPerson && !claimLapsed(invoice, now)) return { invoiceId, email: 'claimed-elsewhere' as const };
  if (!invoice.pdfKey || !invoice.ublKey) throw new TransientError(`invoice ${invoiceId} has no documents yet`);
  const at = now.toISOString();
  const claimed = claimFor(invoice, BILLING_WORKFLOW, at);
  if (!(await deps.invoices.update(invoice, claimed))) return { invoiceId, email: 'claimed-elsewhere' as const };
  const to = [invoice.document.buyer.email].filter((address): address is string => Boolean(address));
  const { messageId } = await deliver(claimed, to, { actor: BILLING_WORKFLOW, at, sent: 'InvoiceEmailed', reason: 'sent' }, deps);
  return { invoiceId, email: 'sent' as const, messageId };
}

export interface ResendInvoiceEmailDeps extends SendInvoiceEmailDeps {
  customers: Pick<Customers, 'get'>;
}

/**
 * `POST /invoices/{id}/email`: a person sends a FAILED or BOUNCED invoice email again, with its PDF and UBL, to the
 * address an invoice of the customer would go to now (corrected since, perhaps). The invoice is claimed as the
 * workflow claims it (SENDING, on its version), so two retries at once, or a retry beside the workflow's own, send
 * one email: the other is told it is being sent (409). An email already SENT is answered as such, nothing sent.
 * SENT takes the invoice off the email-failures worklist in the same write; a failure stays on it, recorded and
 * audited, and is answered with the reason.
 */
export async function resendInvoiceEmail(input: { invoiceId: string; actor: string }, deps: ResendInvoiceEmailDeps) {
  const taken = await retryOnChange(
    `invoice ${input.invoiceId} kept changing; try again`,
    async () => {
      const invoice = await deps.invoices.get(input.invoiceId);
      if (!invoice) throw new NotFound(`invoice ${input.invoiceId} does not exist`);
      const { email, document } = invoice;
      const now = deps.clock.now();
      if (email.status === 'SENT') return { invoice, claimed: undefined };
      if (email.status === 'PENDING') throw new Conflict(`${document.number} has not been emailed yet: its billing workflow sends it`);
      if (email.status === 'SENDING' && !claimLapsed(invoice, now))
        throw new Conflict(`${document.number} is being sent (${email.claimedBy === BILLING_WORKFLOW || !email.claimedBy ? 'by the billing workflow' : `by ${email.claimedBy}`} since ${email.claimedAt ?? invoice.updatedAt}); look again in a moment`);
      if (!invoice.pdfKey || !invoice.ublKey) throw new Conflict(`${document.number} has no documents yet`);
      const claimed = claimFor(invoice, input.actor, now.toISOString());
      return (await deps.invoices.update(invoice, claimed)) ? { invoice, claimed } : RETRY;
    },
    { attempts: 3 },
  );
  const { invoice, claimed } = taken;
  const view = (state: Invoice) => ({ invoiceId: state.id, number: state.document.number, email: { status: state.email.status, attempts: state.email.attempts, messageId: state.email.messageId, sentAt: state.email.sentAt } });
  if (!claimed) return { ...view(invoice), outcome: 'already-sent' as const };

  const customer = await deps.customers.get(invoice.customerId);
  const to = [customer ? invoiceAddressOf(customer) : invoice.document.buyer.email].filter((address): address is string => Boolean(address));
  const at = claimed.updatedAt;
  const { sent } = await deliver(claimed, to, { actor: input.actor, at, sent: 'InvoiceEmailResent', failed: 'InvoiceEmailResendFailed', before: invoice.email.status, reason: 'sent again' }, deps);
  return { ...view(sent), outcome: 'sent' as const, to };
}

/**
 * Sends a claimed invoice's email and records the outcome on the invoice as it is by then (a payment may have been
 * applied meanwhile): SENT with the message id, or FAILED with the error, still waiting since its first failure.
 * A failure is thrown as `EmailNotSent` (a `TransientError` to the workflow).
 */
async function deliver(
  claimed: Invoice,
  to: string[],
  audit: { actor: string; at: string; sent: string; failed?: string | undefined; before?: string | undefined; reason: string },
  deps: SendInvoiceEmailDeps,
): Promise<{ sent: Invoice; messageId: string }> {
  const { document } = claimed;
  const trail = auditTrail(deps, { actor: audit.actor, at: audit.at });
  const event = (type: string, after: string, reason: string) => trail({ entity: 'invoice', entityId: claimed.id, customerId: claimed.customerId, type, before: audit.before, after: audit.before ? after : undefined, reason });
  let messageId: string;
  try {
    const pdf = await deps.documents.get(claimed.pdfKey!);
    const ubl = await deps.documents.get(claimed.ublKey!);
    if (!pdf || !ubl) throw new Error('documents missing from the bucket');
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
    messageId = await deps.mailer.sendRaw({ from: deps.seller.email.fromAddress, to, raw });
  } catch (error) {
    const lastError = (error as Error).message.slice(0, 500);
    await recordOnClaim(claimed, (email) => ({ ...email, status: 'FAILED', failedAt: email.failedAt ?? deps.clock.now().toISOString(), lastError }), audit.failed ? event(audit.failed, 'FAILED', lastError) : undefined, deps);
    throw new EmailNotSent(`invoice email ${document.number} failed: ${(error as Error).message}`);
  }
  await deps.invoices.linkEmailMessage(messageId, claimed.id, deps.clock.now());
  const sent = await recordOnClaim(
    claimed,
    (email) => ({ ...email, status: 'SENT', messageId, sentAt: deps.clock.now().toISOString(), lastError: undefined }),
    event(audit.sent, 'SENT', `${document.number} ${audit.reason} (message ${messageId})`),
    deps,
  );
  return { sent, messageId };
}

/**
 * Writes what became of a sending attempt on the invoice while the attempt's claim still holds it: on the claimed
 * version, or (when something else changed the invoice meanwhile, a payment say) on the invoice as it is now.
 */
async function recordOnClaim(claimed: Invoice, change: (email: InvoiceEmail) => InvoiceEmail, audit: AuditEvent | undefined, deps: Pick<SendInvoiceEmailDeps, 'invoices'>): Promise<Invoice> {
  const ours = (invoice: Invoice) => invoice.email.status === 'SENDING' && invoice.email.attempts === claimed.email.attempts && invoice.email.claimedAt === claimed.email.claimedAt;
  return retryOnChange(
    `invoice ${claimed.id} kept changing while its email was recorded; retry`,
    async (attempt) => {
      const current = attempt === 1 ? claimed : await deps.invoices.get(claimed.id);
      // Taken over since (its claim had lapsed): the outcome is the taker's to record.
      if (!current || !ours(current)) return current ?? claimed;
      const after: Invoice = { ...current, email: change(current.email), version: current.version + 1 };
      return (await deps.invoices.update(current, after, audit)) ? after : RETRY;
    },
    { attempts: 5 },
  );
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
