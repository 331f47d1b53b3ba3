import { createHash } from 'node:crypto';
import { formatCreditorReferenceForPrint } from '#domain/creditor-reference';
import { composeMime, escapeHtml, formatIbanForPrint, singleLine } from './invoice-email.ts';

/** One consolidated reminder: every invoice of one customer that a dunning level reached today. Amounts arrive formatted. */
export interface DunningEmailInput {
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

/** The text and HTML of a reminder: a table of the invoices, what to quote, where to pay. */
export function dunningEmailContent(input: DunningEmailInput): { subject: string; text: string; html: string } {
  const rows = input.rows.map((row) => ({ ...row, reference: formatCreditorReferenceForPrint(row.paymentReference) }));
  const when = (days: number) => (days > 0 ? `${days} day(s) overdue` : days === 0 ? 'due today' : `due in ${-days} day(s)`);
  const bank = `${input.paymentInstructions.accountName}, IBAN ${formatIbanForPrint(input.paymentInstructions.iban)}${input.paymentInstructions.bic ? `, BIC ${input.paymentInstructions.bic}` : ''}`;
  const text = [
    singleLine(input.intro),
    '',
    ...rows.map((row) => `- ${row.number}: ${row.openFormatted} open, due ${row.dueDate} (${when(row.daysOverdue)}), ${row.level}; quote ${row.reference}${row.lateFeeFormatted ? `; late fee ${row.lateFeeFormatted}` : ''}${row.interestFormatted ? `; interest ${row.interestFormatted}` : ''}`),
    '',
    `Total: ${input.totalFormatted}`,
    `Please pay to ${bank}, quoting each invoice's reference. Your statement of account is attached.`,
    '',
    singleLine(input.from.name),
  ].join('\n');
  const cells = (row: (typeof rows)[number]) =>
    [row.number, row.openFormatted, row.dueDate, when(row.daysOverdue), row.level, row.reference, row.lateFeeFormatted ?? '', row.interestFormatted ?? ''].map((cell) => `<td>${escapeHtml(cell)}</td>`).join('');
  const html = `<!doctype html><html><body><p>${escapeHtml(singleLine(input.intro))}</p>
<table border="1" cellpadding="4" cellspacing="0"><tr><th>Invoice</th><th>Open</th><th>Due</th><th></th><th>Level</th><th>Reference</th><th>Late fee</th><th>Interest</th></tr>
${rows.map((row) => `<tr>${cells(row)}</tr>`).join('\n')}</table>
<p><strong>Total: ${escapeHtml(input.totalFormatted)}</strong></p><p>Please pay to ${escapeHtml(bank)}, quoting each invoice's reference. Your statement of account is attached.</p>
<p>${escapeHtml(singleLine(input.from.name))}</p></body></html>`;
  return { subject: singleLine(input.subject), text, html };
}

/** The raw MIME message: text, HTML and the statement PDF. */
export async function buildDunningEmail(input: DunningEmailInput): Promise<Buffer> {
  if (input.to.length === 0) throw new RangeError('A reminder needs at least one recipient');
  const content = dunningEmailContent(input);
  const boundary = createHash('sha256').update(content.text).update(content.html).update(input.messageId ?? '').update(input.statementPdf).digest('hex').slice(0, 24);
  return composeMime(input, content, boundary, [{ filename: input.statementFilename, content: Buffer.from(input.statementPdf), contentType: 'application/pdf' }]);
}
