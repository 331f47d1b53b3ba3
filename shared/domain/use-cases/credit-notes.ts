import { auditTrail } from '../audit.ts';
import { creditorReferenceFor } from '../creditor-reference.ts';
import { invoiceAfterCredit, planCredit, type CreditRequest } from '../crediting.ts';
import { withDeducted, type DeductionRecord } from '../deduction.ts';
import { Conflict, Forbidden, NotFound } from '../errors.ts';
import { formatDocumentNumber, isOutstandingStatus, type Invoice } from '../invoice.ts';
import type { Seller } from '../invoicing.ts';
import type { Clock, IdGenerator, InvoiceStore, OrderStore } from '../ports.ts';
import { RETRY, retryOnChange } from '../retry.ts';

export interface CreditNoteDeps {
  invoices: InvoiceStore;
  orders: OrderStore;
  seller: Seller;
  clock: Clock;
  ids: IdGenerator;
  /** Credit notes above this (minor units of the invoice's currency) need a credit manager. */
  clerkLimitMinor: (currency: string) => number;
  /** Starts the billing workflow (documents, email) of a credit note. */
  startBilling: (documentId: string) => Promise<unknown>;
}

const MAX_ATTEMPTS = 30;

/**
 * Issues a credit note against an invoice: its own gapless series (`CN-…`), the invoice's open amount and the
 * customer's exposure reduced in the same transaction, then the same billing workflow renders and emails it.
 * Nothing above the invoice's open amount can be credited; an ar-clerk may credit up to the configured limit.
 */
export async function issueCreditNote(
  input: {
    invoiceId: string;
    request: CreditRequest;
    reason: string;
    caller: { actor: string; roles: readonly string[] };
    /** A payer's deduction this credit note accepts: resolved in the credit note's own transaction. */
    acceptsDeduction?: { read: () => Promise<DeductionRecord | undefined>; resolved: (deduction: DeductionRecord, creditNoteId: string, at: string) => DeductionRecord } | undefined;
  },
  deps: CreditNoteDeps,
) {
  return retryOnChange(
    `credit note for ${input.invoiceId} could not be issued; retry`,
    async () => {
      const invoice = await deps.invoices.get(input.invoiceId);
      if (!invoice || invoice.document.kind !== 'invoice') throw new NotFound(`invoice ${input.invoiceId} does not exist`);
      if (!isOutstandingStatus(invoice.status)) throw new Conflict(`invoice ${invoice.document.number} is ${invoice.status}: nothing to credit`);
      const plan = planCredit(invoice, input.request);
      const { lines, totals } = plan;
      if (totals.totalMinor > invoice.openMinor)
        throw new Conflict(`the credit of ${totals.totalMinor} is above the ${invoice.openMinor} still open on ${invoice.document.number}`);
      const privileged = input.caller.roles.some((role) => role === 'credit-manager' || role === 'admin');
      if (!privileged && totals.totalMinor > deps.clerkLimitMinor(invoice.document.currency))
        throw new Forbidden(`credit notes above ${deps.clerkLimitMinor(invoice.document.currency)} need a credit manager`);

      const now = deps.clock.now();
      const at = now.toISOString();
      const year = now.getUTCFullYear();
      const series = deps.seller.creditNoteSeries;
      const sequence = (await deps.invoices.lastSequence(series, year)) + 1;
      const number = formatDocumentNumber(series, year, sequence);
      const id = deps.ids.next();
      const creditNote: Invoice = {
        id,
        customerId: invoice.customerId,
        orderId: invoice.orderId,
        shipmentKey: `credit-note#${id}`,
        document: {
          ...invoice.document,
          kind: 'credit-note',
          id,
          number,
          issueDate: at.slice(0, 10),
          dueDate: at.slice(0, 10),
          precedingInvoice: { number: invoice.document.number, issueDate: invoice.document.issueDate },
          lines,
          ...totals,
          paymentReference: creditorReferenceFor(number),
          notes: [input.reason],
        },
        status: 'PAID',
        openMinor: 0,
        email: { status: 'PENDING', attempts: 0 },
        creditsInvoiceId: invoice.id,
        createdAt: at,
        updatedAt: at,
        version: 1,
      };
      const deduction = input.acceptsDeduction ? await input.acceptsDeduction.read() : undefined;
      if (input.acceptsDeduction && deduction?.status !== 'OPEN') throw new Conflict(`the deduction is ${deduction?.status ?? 'gone'}: nothing to accept`);
      const credited = invoiceAfterCredit(invoice, plan, id, at);
      const after = deduction ? withDeducted(credited, -deduction.amountMinor, at) : credited;
      const openMinor = after.openMinor;
      const customer = await deps.orders.getCustomer(invoice.customerId);
      const customerChange =
        customer && customer.currency === invoice.document.currency
          ? { before: customer, after: { ...customer, exposureMinor: customer.exposureMinor - totals.totalMinor, updatedAt: at, version: customer.version + 1 } }
          : undefined;
      const outcome = await deps.invoices.createLinkedDocument({
        document: creditNote,
        series,
        year,
        sequence,
        invoice: { before: invoice, after },
        customer: customerChange,
        deduction: deduction && input.acceptsDeduction ? { before: deduction, after: input.acceptsDeduction.resolved(deduction, id, at) } : undefined,
        audit: auditTrail(deps, { actor: input.caller.actor, at })({
          entity: 'invoice',
          entityId: invoice.id,
          customerId: invoice.customerId,
          type: 'CreditNoteIssued',
          before: `${invoice.status} open ${invoice.openMinor}`,
          after: `${after.status} open ${openMinor}`,
          reason: `${number}: ${input.reason}`,
        }),
      });
      if (outcome === 'created') {
        await deps.startBilling(id);
        return { creditNoteId: id, number, totalMinor: totals.totalMinor, invoiceStatus: after.status, invoiceOpenMinor: openMinor };
      }
      return RETRY;
    },
    { attempts: MAX_ATTEMPTS, pauseMs: (attempt) => Math.random() * 20 * attempt },
  );
}
