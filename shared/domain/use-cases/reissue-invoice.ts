import { auditTrail } from '../audit.ts';
import { creditorReferenceFor } from '../creditor-reference.ts';
import { Conflict, InvalidRequest, NotFound } from '../errors.ts';
import { formatDocumentNumber, invoiceTotals, type Invoice, type InvoiceLine } from '../invoice.ts';
import { issueCreditNote, type CreditNoteDeps } from './credit-notes.ts';
import { RETRY, retryOnChange } from '../retry.ts';

export interface LineCorrection {
  lineNumber: number;
  quantity?: number | undefined;
  unitPriceMinor?: number | undefined;
  discountMinor?: number | undefined;
  description?: string | undefined;
}

const MAX_ATTEMPTS = 30;

/** The invoice's lines with the corrections applied; an untouched line is copied as issued. */
export function correctedLines(lines: readonly InvoiceLine[], corrections: readonly LineCorrection[]): InvoiceLine[] {
  for (const correction of corrections)
    if (!lines.some((line) => line.lineNumber === correction.lineNumber)) throw new InvalidRequest(`there is no line ${correction.lineNumber} to correct`);
  return lines.map((line) => {
    const correction = corrections.find((candidate) => candidate.lineNumber === line.lineNumber);
    if (!correction) return line;
    const quantity = correction.quantity ?? line.quantity;
    const unitPriceMinor = correction.unitPriceMinor ?? line.unitPriceMinor;
    const discountMinor = correction.discountMinor ?? (quantity === line.quantity && unitPriceMinor === line.unitPriceMinor ? line.discountMinor : 0);
    const netMinor = quantity * unitPriceMinor - discountMinor;
    if (netMinor < 0) throw new InvalidRequest(`line ${line.lineNumber}: the discount is larger than the line`);
    return { ...line, description: correction.description ?? line.description, quantity, unitPriceMinor, discountMinor, netMinor };
  });
}

/**
 * A corrected reissue: a credit note for everything open on the invoice, then a new invoice (next number of the
 * series) with the corrected lines, the two invoices linked both ways. Only an invoice nobody has paid on yet can
 * be reissued; a paid part would need a refund, which is cash application's business.
 */
export async function reissueInvoice(
  input: { invoiceId: string; corrections: LineCorrection[]; reason: string; caller: { actor: string; roles: readonly string[] } },
  deps: CreditNoteDeps,
) {
  const original = await deps.invoices.get(input.invoiceId);
  if (!original || original.document.kind !== 'invoice') throw new NotFound(`invoice ${input.invoiceId} does not exist`);
  if (original.replacedByInvoiceId) throw new Conflict(`invoice ${original.document.number} was already reissued`);
  const lines = correctedLines(original.document.lines, input.corrections);
  const creditedBefore = original.creditNoteIds?.length ?? 0;
  if (original.status !== 'OPEN' || creditedBefore > 0 || original.openMinor !== original.document.payableMinor)
    throw new Conflict(`invoice ${original.document.number} is ${original.status} with ${original.openMinor} open: only an untouched open invoice is reissued`);

  const credit = await issueCreditNote({ invoiceId: original.id, request: { kind: 'remaining' }, reason: `corrected by reissue: ${input.reason}`, caller: input.caller }, deps);

  return retryOnChange(
    `the reissue of ${original.document.number} could not take a number; the credit note ${credit.number} stands, retry the reissue`,
    async () => {
      const credited = await deps.invoices.get(original.id);
      if (!credited) throw new NotFound(`invoice ${original.id} vanished`);
      const now = deps.clock.now();
      const at = now.toISOString();
      const year = now.getUTCFullYear();
      const series = deps.seller.invoiceSeries;
      const sequence = (await deps.invoices.lastSequence(series, year)) + 1;
      const number = formatDocumentNumber(series, year, sequence);
      const id = deps.ids.next();
      const totals = invoiceTotals(lines, original.document.prepaidMinor);
      const reissue: Invoice = {
        ...original,
        id,
        shipmentKey: `reissue#${original.id}`,
        document: { ...original.document, id, number, issueDate: at.slice(0, 10), lines, ...totals, paymentReference: creditorReferenceFor(number), notes: [`Replaces invoice ${original.document.number}: ${input.reason}`] },
        status: 'OPEN',
        openMinor: totals.payableMinor,
        email: { status: 'PENDING', attempts: 0 },
        pdfKey: undefined,
        ublKey: undefined,
        creditedQuantities: undefined,
        creditNoteIds: undefined,
        dispute: undefined,
        replacesInvoiceId: original.id,
        createdAt: at,
        updatedAt: at,
        version: 1,
      };
      const customer = await deps.orders.getCustomer(original.customerId);
      const outcome = await deps.invoices.createLinkedDocument({
        document: reissue,
        series,
        year,
        sequence,
        invoice: { before: credited, after: { ...credited, replacedByInvoiceId: id, updatedAt: at, version: credited.version + 1 } },
        customer:
          customer && customer.currency === original.document.currency
            ? { before: customer, after: { ...customer, exposureMinor: customer.exposureMinor + totals.payableMinor, updatedAt: at, version: customer.version + 1 } }
            : undefined,
        audit: auditTrail(deps, { actor: input.caller.actor, at })({
          entity: 'invoice',
          entityId: original.id,
          customerId: original.customerId,
          type: 'InvoiceReissued',
          before: original.document.number,
          after: number,
          reason: `${input.reason} (credit note ${credit.number})`,
        }),
      });
      if (outcome === 'created') {
        await deps.startBilling(id);
        return { invoiceId: id, number, totalMinor: totals.totalMinor, replaces: { invoiceId: original.id, number: original.document.number }, creditNote: credit };
      }
      return RETRY;
    },
    { attempts: MAX_ATTEMPTS, pauseMs: (attempt) => Math.random() * 20 * attempt },
  );
}
