import { auditTrail } from '../audit.ts';
import type { CreditRequest } from '../crediting.ts';
import { Conflict, NotFound } from '../errors.ts';
import { isCollectible, type Invoice, type InvoiceStatus } from '../invoice.ts';
import type { Dispute, DisputeReason } from '../ports.ts';
import { issueCreditNote, type CreditNoteDeps } from './credit-notes.ts';


/** Opens a dispute: the invoice becomes DISPUTED (dunning skips it) until the dispute is resolved. */
export async function openDispute(
  input: { invoiceId: string; reasonCode: DisputeReason; note: string; attachments: Dispute['attachments']; actor: string },
  deps: Pick<CreditNoteDeps, 'invoices' | 'clock' | 'ids'>,
) {
  const invoice = await deps.invoices.get(input.invoiceId);
  if (!invoice || invoice.document.kind !== 'invoice') throw new NotFound(`invoice ${input.invoiceId} does not exist`);
  if (!isCollectible(invoice)) throw new Conflict(`invoice ${invoice.document.number} is ${invoice.status} and cannot be disputed`);
  const at = deps.clock.now().toISOString();
  const dispute: Dispute = {
    id: deps.ids.next(),
    invoiceId: invoice.id,
    customerId: invoice.customerId,
    reasonCode: input.reasonCode,
    note: input.note,
    attachments: input.attachments,
    status: 'OPEN',
    openedBy: input.actor,
    openedAt: at,
    version: 1,
  };
  const after: Invoice = { ...invoice, status: 'DISPUTED', dispute: { id: dispute.id, statusBefore: invoice.status, openedAt: at }, updatedAt: at, version: invoice.version + 1 };
  const saved = await deps.invoices.saveDispute(
    dispute,
    { before: invoice, after },
    auditTrail(deps, { actor: input.actor, at })({ entity: 'invoice', entityId: invoice.id, customerId: invoice.customerId, type: 'InvoiceDisputed', before: invoice.status, after: 'DISPUTED', reason: `${input.reasonCode}: ${input.note}` }),
  );
  if (!saved) throw new Conflict(`invoice ${invoice.document.number} changed meanwhile; read it again`);
  return { disputeId: dispute.id, invoiceId: invoice.id, invoiceStatus: 'DISPUTED' as const };
}

/**
 * Resolves a dispute by a credit note (any amount up to what is open) or by rejecting it. The invoice leaves
 * DISPUTED for the status it had, or CREDITED when the credit closes it.
 */
export async function resolveDispute(
  input: { disputeId: string; outcome: 'credit' | 'reject'; reason: string; credit?: CreditRequest | undefined; caller: { actor: string; roles: readonly string[] } },
  deps: CreditNoteDeps,
) {
  const dispute = await deps.invoices.getDispute(input.disputeId);
  if (!dispute) throw new NotFound(`dispute ${input.disputeId} does not exist`);
  if (dispute.status !== 'OPEN') throw new Conflict(`dispute ${dispute.id} is already ${dispute.status}`);
  const credited =
    input.outcome === 'credit'
      ? await issueCreditNote({ invoiceId: dispute.invoiceId, request: input.credit ?? { kind: 'remaining' }, reason: `dispute ${dispute.reasonCode}: ${input.reason}`, caller: input.caller }, deps)
      : undefined;
  const invoice = await deps.invoices.get(dispute.invoiceId);
  if (!invoice) throw new NotFound(`invoice ${dispute.invoiceId} does not exist`);
  const at = deps.clock.now().toISOString();
  const status: InvoiceStatus = invoice.status === 'CREDITED' ? 'CREDITED' : (invoice.dispute?.statusBefore ?? 'OPEN');
  const resolved: Dispute = {
    ...dispute,
    status: input.outcome === 'credit' ? 'RESOLVED_WITH_CREDIT' : 'REJECTED',
    resolution: { by: input.caller.actor, at, reason: input.reason, creditNoteId: credited?.creditNoteId },
    version: dispute.version + 1,
  };
  const saved = await deps.invoices.saveDispute(
    resolved,
    { before: invoice, after: { ...invoice, status, dispute: undefined, updatedAt: at, version: invoice.version + 1 } },
    auditTrail(deps, { actor: input.caller.actor, at })({
      entity: 'invoice',
      entityId: invoice.id,
      customerId: invoice.customerId,
      type: input.outcome === 'credit' ? 'DisputeResolvedWithCredit' : 'DisputeRejected',
      before: invoice.status,
      after: status,
      reason: input.reason,
    }),
  );
  if (!saved) throw new Conflict(`dispute ${dispute.id} or its invoice changed meanwhile; read them again`);
  // The credit note was issued while the invoice was still DISPUTED; what the invoice is now is `status`.
  return { disputeId: dispute.id, status: resolved.status, invoiceStatus: status, creditNote: credited ? { ...credited, invoiceStatus: status } : undefined };
}
