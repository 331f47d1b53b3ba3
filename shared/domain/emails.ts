/**
 * What an invoice email and a reminder email say and carry: the contract between the use cases that decide the
 * content and the renderers in `shared/documents` that compose the MIME message. Amounts and dates arrive already
 * formatted (`formatMinor`, `#domain/locale`): an email never computes money.
 */
import type { DocumentLanguage } from './locale.ts';

/** What the invoice (or credit-note) email says and carries. Amounts and dates arrive already formatted. */
export interface InvoiceEmailInput {
  /** The seller: its name appears in the From header, the subject and the signature. */
  from: { name: string; address: string };
  /** One or more recipient addresses (the customer's billing contacts). */
  to: string[];
  /** Where replies go when that is not the From address, e.g. the AR team's shared mailbox. */
  replyTo?: string | undefined;
  kind: 'invoice' | 'credit-note';
  /** `INV-2026-000123`, `CN-2026-000007`. */
  number: string;
  customerName: string;
  /** e.g. `1234.56 EUR`, from `formatMinor`: the email never computes money. */
  totalFormatted: string;
  /** ISO date (YYYY-MM-DD). */
  dueDate: string;
  /** ISO 11649 creditor reference (`RF…`), any form; printed in groups of four. */
  paymentReference: string;
  paymentInstructions: { accountName: string; iban: string; bic?: string | undefined };
  pdf: Uint8Array;
  pdfFilename: string;
  /** The UBL 2.1 XML document. */
  ubl: string;
  ublFilename: string;
  /** RFC 5322 Message-ID (`<…@…>`); pass a stable one so a retried send builds the same message. */
  messageId?: string | undefined;
  /** The Date header; defaults to now. Pass the business clock's time for reproducible output. */
  date?: Date | undefined;
}

/**
 * One consolidated reminder: every invoice of one customer that a dunning level reached today. Amounts, dates and
 * the level arrive formatted in `language` (default `en`); this module adds the words around them in it too.
 */
export interface DunningEmailInput {
  language?: DocumentLanguage | undefined;
  from: { name: string; address: string };
  to: string[];
  replyTo?: string | undefined;
  subject: string;
  intro: string;
  rows: { number: string; dueDate: string; daysOverdue: number; openFormatted: string; paymentReference: string; level: string; lateFeeFormatted?: string | undefined; interestFormatted?: string | undefined }[];
  totalFormatted: string;
  paymentInstructions: { accountName: string; iban: string; bic?: string | undefined };
  statementPdf: Uint8Array;
  statementFilename: string;
  messageId?: string | undefined;
  date?: Date | undefined;
}
