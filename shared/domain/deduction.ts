import type { Deduction } from './cash-matching.ts';
import type { Invoice } from './invoice.ts';

/**
 * What a payer kept back from an invoice with a reason (damaged goods, pricing), recorded when its payment is
 * applied. The amount stays open on the invoice and dunning pauses for it (`dunning.deductedMinor`) until a person
 * accepts it (a credit note, or a write-off within the role's limit) or rejects it (back to collections).
 */
/** `CANCELLED`: the payment that took it was returned by the bank, so there is nothing left to decide. */
export const deductionStatuses = ['OPEN', 'ACCEPTED', 'REJECTED', 'CANCELLED'] as const;
export type DeductionStatus = (typeof deductionStatuses)[number];

export interface DeductionRecord {
  /** Derived from the payment and the deduction's place in it: the same payment applied again makes the same ids. */
  id: string;
  invoiceId: string;
  invoiceNumber: string;
  customerId: string;
  currency: string;
  amountMinor: number;
  reason: string;
  code?: string | undefined;
  paymentId: string;
  status: DeductionStatus;
  resolution?: { decision: 'accept' | 'reject' | 'cancel'; settledBy?: 'credit-note' | 'write-off' | undefined; creditNoteId?: string | undefined; reason: string; by: string; at: string } | undefined;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const deductionId = (paymentId: string, index: number) => `DED-${paymentId.replace(/^PAY-/, '')}-${index + 1}`;

/** The deduction records of a payment's deductions, against the invoices as they are when it is applied. */
export function deductionRecords(paymentId: string, deductions: readonly Deduction[], invoiceOf: (invoiceId: string) => Invoice | undefined, at: string): DeductionRecord[] {
  return deductions.flatMap((deduction, index) => {
    const invoice = invoiceOf(deduction.invoiceId);
    if (!invoice) return [];
    return [
      {
        id: deductionId(paymentId, index),
        invoiceId: invoice.id,
        invoiceNumber: invoice.document.number,
        customerId: invoice.customerId,
        currency: invoice.document.currency,
        amountMinor: deduction.amountMinor,
        reason: deduction.reason,
        code: deduction.code,
        paymentId,
        status: 'OPEN' as const,
        createdAt: at,
        updatedAt: at,
        version: 1,
      },
    ];
  });
}

/** What the payer has deducted from an invoice and a person has not decided yet. */
export const deductedOf = (invoice: Pick<Invoice, 'dunning'>): number => invoice.dunning?.deductedMinor ?? 0;

/** What collections may chase on an invoice: its open amount less the deductions under review. */
export const dunnableOf = (invoice: Pick<Invoice, 'openMinor' | 'dunning'>): number => Math.max(0, invoice.openMinor - deductedOf(invoice));

/** The invoice with `deltaMinor` more (or, negative, less) under review as deductions; never below zero. */
export function withDeducted(invoice: Invoice, deltaMinor: number, at: string): Invoice {
  const deductedMinor = Math.max(0, Math.min(invoice.openMinor, deductedOf(invoice) + deltaMinor));
  const dunning = { ...(invoice.dunning ?? { level: 0 }), deductedMinor: deductedMinor > 0 ? deductedMinor : undefined };
  return { ...invoice, dunning, updatedAt: at };
}
