import { auditTrail, type AuditEvent } from '../audit.ts';
import { deductionStatuses, withDeducted, type DeductionRecord, type DeductionStatus } from '../deduction.ts';
import { Conflict, Forbidden, InvalidRequest, NotFound } from '../errors.ts';
import type { Invoice } from '../invoice.ts';
import { customerAfterPayment, mayReleaseHold, orderChangesFor, overdueAfter, settleInvoice } from '../payment.ts';
import type { Change, DeductionStore, Receivables } from '../ports.ts';
import { RETRY, retryOnChange } from '../retry.ts';
import { issueCreditNote, type CreditNoteDeps } from './credit-notes.ts';

export interface DeductionDeps extends CreditNoteDeps {
  deductions: DeductionStore;
  receivables: Receivables;
  /** Write-offs above this (minor units of the currency) need a credit manager. */
  clerkWriteOffLimitMinor: (currency: string) => number;
}

type Caller = { actor: string; roles: readonly string[] };

const MAX_ATTEMPTS = 5;

/** `GET /deductions?status=open`: the deductions worklist, oldest first. */
export async function findDeductions(query: { status?: string | undefined; limit: number; cursor?: string | undefined }, deps: { deductions: DeductionStore }) {
  const status = (query.status ?? 'open').toUpperCase();
  if (!deductionStatuses.includes(status as DeductionStatus)) throw new InvalidRequest(`status must be one of ${deductionStatuses.map((value) => value.toLowerCase()).join(', ')}`);
  return deps.deductions.list(status as DeductionStatus, query);
}

export type DeductionDecision = { decision: 'accept'; settleBy: 'credit-note' | 'write-off'; reason: string } | { decision: 'reject'; reason: string };

/**
 * A person's decision on a deduction. Accepted, it leaves the receivable by a credit note (numbered, emailed) or a
 * write-off within the caller's limit; rejected, the amount goes back to collections. Either way the deduction, its
 * invoice and what follows from them change in one transaction, so a retry never credits or writes off twice.
 */
export async function resolveDeduction(input: { deductionId: string; decision: DeductionDecision; caller: Caller }, deps: DeductionDeps) {
  const { deductionId, decision, caller } = input;
  const read = async () => {
    const deduction = await deps.deductions.get(deductionId);
    if (!deduction) throw new NotFound(`deduction ${deductionId} does not exist`);
    if (deduction.status !== 'OPEN') throw new Conflict(`deduction ${deductionId} is already ${deduction.status}`);
    return deduction;
  };
  const resolved = (deduction: DeductionRecord, at: string, creditNoteId?: string): DeductionRecord => ({
    ...deduction,
    status: decision.decision === 'accept' ? 'ACCEPTED' : 'REJECTED',
    resolution: { decision: decision.decision, settledBy: decision.decision === 'accept' ? decision.settleBy : undefined, creditNoteId, reason: decision.reason, by: caller.actor, at },
    updatedAt: at,
    version: deduction.version + 1,
  });

  if (decision.decision === 'accept' && decision.settleBy === 'credit-note') {
    const deduction = await read();
    const credited = await issueCreditNote(
      {
        invoiceId: deduction.invoiceId,
        request: { kind: 'amount', amountMinor: deduction.amountMinor },
        reason: `deduction accepted: ${deduction.reason}; ${decision.reason}`,
        caller,
        acceptsDeduction: { read: () => deps.deductions.get(deductionId), resolved: (current, creditNoteId, at) => resolved(current, at, creditNoteId) },
      },
      deps,
    );
    return { deductionId, status: 'ACCEPTED' as const, settledBy: 'credit-note' as const, creditNote: credited };
  }

  return retryOnChange(
    `deduction ${deductionId} or its invoice kept changing; retry`,
    async () => {
      const deduction = await read();
      const invoice = await deps.invoices.get(deduction.invoiceId);
      if (!invoice) throw new NotFound(`invoice ${deduction.invoiceId} does not exist`);
      const at = deps.clock.now().toISOString();
      const audit = auditTrail(deps, { actor: caller.actor, at });
      const written = decision.decision === 'reject' ? await reject(deduction, invoice, resolved(deduction, at), decision.reason, audit, deps) : await writeOff(deduction, invoice, resolved(deduction, at), caller, decision.reason, audit, deps);
      return written ? { deductionId, status: resolved(deduction, at).status, settledBy: decision.decision === 'accept' ? decision.settleBy : undefined, invoiceOpenMinor: written.openMinor, invoiceStatus: written.status } : RETRY;
    },
    { attempts: MAX_ATTEMPTS },
  );
}

type Audit = ReturnType<typeof auditTrail>;

async function reject(deduction: DeductionRecord, invoice: Invoice, after: DeductionRecord, reason: string, audit: Audit, deps: DeductionDeps): Promise<Invoice | undefined> {
  const invoiceAfter = withDeducted({ ...invoice, version: invoice.version + 1 }, -deduction.amountMinor, after.updatedAt);
  const saved = await deps.deductions.resolve({
    deduction: { before: deduction, after },
    invoice: { before: invoice, after: invoiceAfter },
    audits: [audit({ entity: 'invoice', entityId: invoice.id, customerId: invoice.customerId, type: 'DeductionRejected', after: deduction.id, reason: `${deduction.amountMinor} ${deduction.currency} back to collections: ${reason}` })],
  });
  return saved ? invoiceAfter : undefined;
}

async function writeOff(deduction: DeductionRecord, invoice: Invoice, after: DeductionRecord, caller: Caller, reason: string, audit: Audit, deps: DeductionDeps): Promise<Invoice | undefined> {
  const privileged = caller.roles.some((role) => role === 'credit-manager' || role === 'admin');
  const limit = deps.clerkWriteOffLimitMinor(deduction.currency);
  if (!privileged && deduction.amountMinor > limit) throw new Forbidden(`write-offs above ${limit} ${deduction.currency} (minor units) need a credit manager, or accept it by a credit note`);
  if (deduction.amountMinor > invoice.openMinor) throw new Conflict(`${invoice.document.number} has ${invoice.openMinor} open, less than the ${deduction.amountMinor} deducted: accept it by a credit note or reject it`);
  const at = after.updatedAt;
  const invoiceAfter = withDeducted(settleInvoice(invoice, 0, deduction.amountMinor, at), -deduction.amountMinor, at);
  const invoiceChange: Change<Invoice> = { before: invoice, after: invoiceAfter };
  const audits: AuditEvent[] = [audit({ entity: 'invoice', entityId: invoice.id, customerId: invoice.customerId, type: 'DeductionAccepted', before: invoice.status, after: invoiceAfter.status, reason: `${deduction.amountMinor} ${deduction.currency} written off (${deduction.reason}): ${reason}` })];
  const customer = await deps.orders.getCustomer(invoice.customerId);
  const overdueRemains = mayReleaseHold(customer) && (await overdueAfter(invoice.customerId, [invoiceChange], deps));
  const customerChange = customer ? customerAfterPayment(customer, { currency: deduction.currency, settledMinor: deduction.amountMinor, overdueRemains, at }) : undefined;
  if (customerChange?.released) audits.push(audit({ entity: 'customer', entityId: invoice.customerId, customerId: invoice.customerId, type: 'CreditHoldReleased', before: 'ON_HOLD', after: 'ACTIVE', reason: `deduction ${deduction.id} written off; nothing is overdue` }));
  const orders = await orderChangesFor([invoiceChange], { orders: deps.orders, invoices: deps.invoices }, at, audit);
  const saved = await deps.deductions.resolve({
    deduction: { before: deduction, after },
    invoice: invoiceChange,
    customer: customer && customerChange ? { before: customer, after: customerChange.after } : undefined,
    orders: orders.orders,
    audits: [...audits, ...orders.audits],
  });
  return saved ? invoiceAfter : undefined;
}
