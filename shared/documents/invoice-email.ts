import { createHash } from 'node:crypto';
import { formatCreditorReferenceForPrint } from '#domain/creditor-reference';
import { randomMessageId, writeMime } from './mime.ts';

import type { InvoiceEmailInput } from '#domain/emails';
export type { InvoiceEmailInput };

/** Subject, plain text and HTML of an invoice email: the parts a person reads. */
export interface InvoiceEmailContent {
  subject: string;
  text: string;
  html: string;
}

const documentName = { invoice: 'Invoice', 'credit-note': 'Credit note' } as const;

/**
 * `Invoice INV-2026-000123 from Seller GmbH` / `Credit note CN-2026-000007 from Seller GmbH`: the document and
 * its number first, so the subject alone files the email in an AP mailbox.
 */
export function invoiceEmailSubject(kind: InvoiceEmailInput['kind'], number: string, sellerName: string): string {
  return `${documentName[kind]} ${singleLine(number)} from ${singleLine(sellerName)}`;
}

/**
 * Names and numbers come from stores and customers: line breaks and other control characters become one space, so
 * a value stays on its line in the text part and in the subject (the MIME writer would neutralise them in headers anyway).
 */
export function singleLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ').trim();
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** IBANs are printed in groups of four (ISO 13616 paper format), whatever form they are stored in. */
export function formatIbanForPrint(iban: string): string {
  return iban.replace(/\s+/g, '').toUpperCase().replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * The words of the email. An invoice states the amount due, the due date, the RF reference to quote and the bank
 * details; a credit note states the amount credited and its reference, and no bank details, because nobody should
 * pay it. Every value is escaped in the HTML part: names and numbers come from stores and customers.
 */
export function invoiceEmailContent(input: InvoiceEmailInput): InvoiceEmailContent {
  const seller = singleLine(input.from.name);
  const number = singleLine(input.number);
  const customer = singleLine(input.customerName);
  const subject = invoiceEmailSubject(input.kind, number, seller);
  const document = documentName[input.kind].toLowerCase();
  const reference = formatCreditorReferenceForPrint(input.paymentReference);
  const bank = input.paymentInstructions;
  const iban = formatIbanForPrint(bank.iban);
  const isInvoice = input.kind === 'invoice';

  const facts: [string, string][] = isInvoice
    ? [
        ['Amount due', singleLine(input.totalFormatted)],
        ['Due date', singleLine(input.dueDate)],
        ['Payment reference', reference],
      ]
    : [
        ['Amount credited', singleLine(input.totalFormatted)],
        ['Reference', reference],
      ];
  const bankFacts: [string, string][] = [
    ['Account holder', singleLine(bank.accountName)],
    ['IBAN', iban],
    ...(bank.bic ? [['BIC', singleLine(bank.bic)] as [string, string]] : []),
  ];
  const attachmentsLine = `The ${document} is attached as a PDF (${singleLine(input.pdfFilename)}) and as UBL XML (${singleLine(input.ublFilename)}) for your accounting system.`;
  const intro = `Please find attached ${document} ${number} from ${seller}.`;
  const quote = isInvoice
    ? `Please pay by bank transfer and quote the payment reference ${reference} so that we can match your payment automatically.`
    : `This credit note reduces the amount you owe us. Please quote the reference ${reference} in any correspondence about it.`;
  const questions = `If you have any questions about this ${document}, simply reply to this email.`;

  const textTable = (rows: [string, string][]) => rows.map(([label, value]) => `${label}: ${value}`).join('\n');
  const text = [
    `Hello ${customer},`,
    '',
    intro,
    '',
    textTable(facts),
    '',
    quote,
    ...(isInvoice ? ['', 'Bank details:', textTable(bankFacts)] : []),
    '',
    attachmentsLine,
    questions,
    '',
    'Kind regards,',
    seller,
    '',
  ].join('\n');

  const htmlTable = (rows: [string, string][]) =>
    `<table role="presentation" cellpadding="4" cellspacing="0" style="border-collapse:collapse">\n${rows
      .map(([label, value]) => `<tr><th align="left" style="padding-right:16px">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
      .join('\n')}\n</table>`;
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#222">',
    `<p>Hello ${escapeHtml(customer)},</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    htmlTable(facts),
    `<p>${escapeHtml(quote)}</p>`,
    ...(isInvoice ? ['<p><strong>Bank details</strong></p>', htmlTable(bankFacts)] : []),
    `<p>${escapeHtml(attachmentsLine)}<br>${escapeHtml(questions)}</p>`,
    `<p>Kind regards,<br>${escapeHtml(seller)}</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');

  return { subject, text, html };
}

/**
 * A MIME boundary derived from everything the message contains: the same input builds the same bytes (a retried
 * send is byte-identical, tests can compare output), and no part can contain the boundary, since that part would
 * have to contain a hash of itself (nor could it anyway: `./mime.ts` starts every boundary with `=_`, which no
 * quoted-printable or base64 body contains).
 */
function boundaryFor(input: InvoiceEmailInput, content: InvoiceEmailContent): string {
  const hash = createHash('sha256');
  for (const piece of [input.messageId ?? '', input.date?.toISOString() ?? '', content.subject, content.text, content.html, input.ubl]) {
    hash.update(piece).update('\0');
  }
  hash.update(input.pdf);
  return hash.digest('hex').slice(0, 24);
}

/**
 * The raw RFC 5322 message for SES v2 `SendEmail` (`Content.Raw`): a text and an HTML alternative plus the PDF and
 * the UBL XML as attachments, written by `./mime.ts`.
 */
export async function buildInvoiceEmail(input: InvoiceEmailInput): Promise<Buffer> {
  if (input.to.length === 0) throw new RangeError('An invoice email needs at least one recipient');
  const content = invoiceEmailContent(input);
  return composeMime(input, content, boundaryFor(input, content), [
    { filename: input.pdfFilename, content: Buffer.from(input.pdf), contentType: 'application/pdf' },
    { filename: input.ublFilename, content: Buffer.from(input.ubl, 'utf8'), contentType: 'application/xml' },
  ]);
}

/**
 * The MIME message of one of our emails (invoices, reminders): text and HTML alternatives and attachments, written
 * by `./mime.ts`. Without a message id, one is drawn in the From address's domain; without a date, it is now.
 */
export async function composeMime(
  envelope: { from: { name: string; address: string }; to: string[]; replyTo?: string | undefined; messageId?: string | undefined; date?: Date | undefined },
  content: { subject: string; text: string; html: string },
  boundary: string,
  attachments: { filename: string; content: Buffer; contentType: string }[],
): Promise<Buffer> {
  return writeMime({
    from: { name: singleLine(envelope.from.name), address: envelope.from.address },
    to: envelope.to,
    replyTo: envelope.replyTo,
    subject: content.subject,
    date: envelope.date ?? new Date(),
    messageId: envelope.messageId ?? randomMessageId(envelope.from.address),
    text: content.text,
    html: content.html,
    attachments,
    boundary,
  });
}
