import type { PaymentTerms } from './customer.ts';
import type { DunningState } from './dunning.ts';
import { applyRateHalfUp } from './money.ts';
import type { Address } from './order.ts';

/** UNCL 5305 VAT category codes used by EN 16931: standard, zero-rated, exempt, reverse charge, outside scope. */
export type TaxCategory = 'S' | 'Z' | 'E' | 'AE' | 'O';

export interface Party {
  name: string;
  /** The seller's number for this party (EN 16931 BT-46 for the buyer: our customer number, its `externalId`). */
  identifier?: string | undefined;
  vatId?: string | undefined;
  /** Company registration (e.g. a Handelsregister number). */
  registrationId?: string | undefined;
  email?: string | undefined;
  address: Address;
}

export interface InvoiceLine {
  lineNumber: number;
  sku: string;
  description: string;
  quantity: number;
  /** Net unit price before discounts. */
  unitPriceMinor: number;
  discountMinor: number;
  /** quantity × unit price − discount. */
  netMinor: number;
  taxCategory: TaxCategory;
  taxRatePpm: number;
}

/** One row of the tax summary: all lines of one category and rate (EN 16931 BG-23). */
export interface TaxBreakdown {
  taxCategory: TaxCategory;
  taxRatePpm: number;
  taxableMinor: number;
  taxMinor: number;
}

export interface PaymentInstructions {
  accountName: string;
  iban: string;
  bic?: string | undefined;
  bankName?: string | undefined;
}

/**
 * Everything an invoice or credit note says, in minor units of `currency`: what the PDF shows, what the UBL
 * carries and what the email summarises. Rendering never computes money; it prints these numbers.
 */
export interface InvoiceDocument {
  kind: 'invoice' | 'credit-note';
  id: string;
  /** e.g. `INV-2026-000123`, `CN-2026-000007`: gapless per series and year. */
  number: string;
  /** ISO dates (YYYY-MM-DD). */
  issueDate: string;
  dueDate: string;
  currency: string;
  seller: Party;
  buyer: Party;
  orderId: string;
  /** What the buyer calls the order (their PO or the store's order number). */
  buyerReference?: string | undefined;
  /** When the goods were delivered (EN 16931 BT-72, §14 UStG Lieferdatum): the shipment's date, ISO YYYY-MM-DD. */
  deliveryDate?: string | undefined;
  /** For a credit note: the invoice it corrects. */
  precedingInvoice?: { number: string; issueDate: string } | undefined;
  lines: InvoiceLine[];
  taxBreakdown: TaxBreakdown[];
  lineNetTotalMinor: number;
  taxTotalMinor: number;
  totalMinor: number;
  /** Already paid (e.g. at the store's checkout); payable = total − prepaid. */
  prepaidMinor: number;
  payableMinor: number;
  terms: PaymentTerms;
  /** ISO 11649 creditor reference (`RF…`) the payer quotes; cash application matches on it. */
  paymentReference: string;
  paymentInstructions: PaymentInstructions;
  notes: string[];
}

/**
 * Totals with tax rounded once per category and rate on the document (half away from zero), as EN 16931 rule
 * BR-CO-17 requires of the VAT breakdown. A partial document passes the tax of each rate it took as a running
 * share (`given`); the taxable amounts always come from its lines.
 */
export function invoiceTotals(lines: readonly InvoiceLine[], prepaidMinor = 0, given?: readonly TaxBreakdown[]) {
  const groups = new Map<string, TaxBreakdown>();
  for (const line of lines) {
    const key = taxGroupKey(line);
    const group = groups.get(key) ?? { taxCategory: line.taxCategory, taxRatePpm: line.taxRatePpm, taxableMinor: 0, taxMinor: 0 };
    group.taxableMinor += line.netMinor;
    groups.set(key, group);
  }
  const givenTax = new Map((given ?? []).map((group) => [taxGroupKey(group), group.taxMinor]));
  const taxBreakdown = [...groups.entries()]
    .map(([key, group]) => ({ ...group, taxMinor: givenTax.get(key) ?? applyRateHalfUp(group.taxableMinor, group.taxRatePpm) }))
    .sort((a, b) => b.taxRatePpm - a.taxRatePpm || a.taxCategory.localeCompare(b.taxCategory));
  const lineNetTotalMinor = lines.reduce((sum, line) => sum + line.netMinor, 0);
  const taxTotalMinor = taxBreakdown.reduce((sum, group) => sum + group.taxMinor, 0);
  const totalMinor = lineNetTotalMinor + taxTotalMinor;
  return { taxBreakdown, lineNetTotalMinor, taxTotalMinor, totalMinor, prepaidMinor, payableMinor: totalMinor - prepaidMinor };
}

/** Lines and breakdown rows of one tax category and rate belong together. */
export const taxGroupKey = (group: { taxCategory: TaxCategory; taxRatePpm: number }) => `${group.taxCategory}:${group.taxRatePpm}`;

/** The due date of an invoice issued on `issueDate` (YYYY-MM-DD) under `terms`, in UTC calendar days. */
export function dueDate(issueDate: string, terms: PaymentTerms): string {
  const issued = new Date(`${issueDate}T00:00:00Z`);
  const base = terms.basis === 'end-of-month' ? new Date(Date.UTC(issued.getUTCFullYear(), issued.getUTCMonth() + 1, 0)) : issued;
  return new Date(base.getTime() + terms.days * 86_400_000).toISOString().slice(0, 10);
}

/** Human wording of the terms for documents, e.g. `2 % discount if paid within 10 days, net 30 days`. */
export function termsText(terms: PaymentTerms): string {
  const net = terms.basis === 'end-of-month' ? `net ${terms.days} days after the end of the invoice month` : `net ${terms.days} days`;
  const discount = terms.earlyPaymentDiscount;
  if (!discount) return net;
  return `${discount.rateBasisPoints / 100} % discount if paid within ${discount.days} days, ${net}`;
}

export const invoiceStatuses = ['OPEN', 'PARTIALLY_PAID', 'PAID', 'DISPUTED', 'CREDITED', 'VOID'] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];

/** Statuses of an invoice that is still owed (a disputed one included): cash can be applied and credit notes issued. */
export const isOutstandingStatus = (status: InvoiceStatus) => status === 'OPEN' || status === 'PARTIALLY_PAID' || status === 'DISPUTED';

type ReceivableState = Pick<Invoice, 'status' | 'openMinor'> & { document: Pick<InvoiceDocument, 'kind'> };

/** An invoice (not a credit note) with money still owed on it: an open receivable. */
export const isOpenReceivable = (invoice: ReceivableState) => invoice.document.kind === 'invoice' && invoice.openMinor > 0 && isOutstandingStatus(invoice.status);

/** An open receivable nobody disputes: what collections chases and promises to pay are made for. */
export const isCollectible = (invoice: ReceivableState) => isOpenReceivable(invoice) && invoice.status !== 'DISPUTED';

export interface InvoiceEmail {
  status: 'PENDING' | 'SENDING' | 'SENT' | 'FAILED' | 'BOUNCED';
  attempts: number;
  messageId?: string | undefined;
  sentAt?: string | undefined;
  /** From SES's delivery event: the recipient's server accepted it. */
  deliveredAt?: string | undefined;
  lastError?: string | undefined;
  /** When it failed or bounced: since then it waits on the email-failures worklist. */
  failedAt?: string | undefined;
  /** Who holds the SENDING claim (`workflow:billing`, or the person retrying) and since when. */
  claimedBy?: string | undefined;
  claimedAt?: string | undefined;
}

/** An issued invoice: the document as issued (never changed) plus its receivable state and delivery. */
export interface Invoice {
  id: string;
  customerId: string;
  orderId: string;
  /** The shipment it bills (`<carrier>#<tracking>`): one invoice per shipment. */
  shipmentKey: string;
  document: InvoiceDocument;
  status: InvoiceStatus;
  openMinor: number;
  /** Cash applied to it so far (discounts, write-offs and credit notes are not cash). */
  paidMinor?: number | undefined;
  pdfKey?: string | undefined;
  ublKey?: string | undefined;
  email: InvoiceEmail;
  /** Running totals of its credit notes: units by invoice line number, net and tax by tax rate (`taxGroupKey`). */
  creditedQuantities?: Record<string, number> | undefined;
  creditedByRate?: Record<string, { netMinor: number; taxMinor: number }> | undefined;
  /** Credit notes issued against this invoice; on a credit note, the invoice it credits. */
  creditNoteIds?: string[] | undefined;
  creditsInvoiceId?: string | undefined;
  /** A corrected reissue and the invoice it replaces, linked both ways. */
  replacesInvoiceId?: string | undefined;
  replacedByInvoiceId?: string | undefined;
  /** The open dispute, while there is one; the status before it, to return to. */
  dispute?: { id: string; statusBefore: InvoiceStatus; openedAt?: string | undefined } | undefined;
  /** Collections: the dunning level reached, the next step's date, an active promise to pay. */
  dunning?: DunningState | undefined;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** `INV-2026-000123`: series, year, and a six-digit counter that never skips. */
export function formatDocumentNumber(series: string, year: number, sequence: number): string {
  return `${series}-${year}-${String(sequence).padStart(6, '0')}`;
}
