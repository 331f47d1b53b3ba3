import { createHash } from 'node:crypto';
import { formatCreditorReferenceForPrint } from '#domain/creditor-reference';
import type { DocumentLanguage } from './format.ts';
import { composeMime, escapeHtml, formatIbanForPrint, singleLine } from './invoice-email.ts';

/** Every word of a reminder around the policy's subject and intro, per language. */
interface ReminderWords {
  overdue: (days: number) => string;
  dueToday: string;
  dueIn: (days: number) => string;
  line: (row: { number: string; open: string; due: string; when: string; level: string; reference: string }) => string;
  lateFee: string;
  interest: string;
  columns: [string, string, string, string, string, string, string, string];
  total: string;
  payTo: (bank: string) => string;
  account: (name: string, iban: string, bic: string | undefined) => string;
}

export const reminderWords: Readonly<Record<DocumentLanguage, ReminderWords>> = {
  en: {
    overdue: (days) => `${days} ${days === 1 ? 'day' : 'days'} overdue`,
    dueToday: 'due today',
    dueIn: (days) => `due in ${days} ${days === 1 ? 'day' : 'days'}`,
    line: (row) => `${row.number}: ${row.open} open, due ${row.due} (${row.when}), ${row.level}; quote ${row.reference}`,
    lateFee: 'late fee',
    interest: 'interest',
    columns: ['Invoice', 'Open', 'Due', 'Status', 'Reminder', 'Reference', 'Late fee', 'Interest'],
    total: 'Total',
    payTo: (bank) => `Please pay to ${bank}, quoting each invoice's reference. Your statement of account is attached.`,
    account: (name, iban, bic) => `${name}, IBAN ${iban}${bic ? `, BIC ${bic}` : ''}`,
  },
  de: {
    overdue: (days) => `${days} ${days === 1 ? 'Tag' : 'Tage'} überfällig`,
    dueToday: 'heute fällig',
    dueIn: (days) => `fällig in ${days} ${days === 1 ? 'Tag' : 'Tagen'}`,
    line: (row) => `${row.number}: ${row.open} offen, fällig am ${row.due} (${row.when}), ${row.level}; Referenz ${row.reference}`,
    lateFee: 'Mahngebühr',
    interest: 'Verzugszinsen',
    columns: ['Rechnung', 'Offen', 'Fällig am', 'Stand', 'Mahnstufe', 'Referenz', 'Mahngebühr', 'Verzugszinsen'],
    total: 'Gesamt',
    payTo: (bank) => `Bitte überweisen Sie an ${bank} und geben Sie die Referenz jeder Rechnung an. Ihren Kontoauszug finden Sie im Anhang.`,
    account: (name, iban, bic) => `${name}, IBAN ${iban}${bic ? `, BIC ${bic}` : ''}`,
  },
};

import type { DunningEmailInput } from '#domain/emails';
export type { DunningEmailInput };

/** The text and HTML of a reminder: a table of the invoices, what to quote, where to pay. */
export function dunningEmailContent(input: DunningEmailInput): { subject: string; text: string; html: string } {
  const words = reminderWords[input.language ?? 'en'];
  const rows = input.rows.map((row) => ({ ...row, reference: formatCreditorReferenceForPrint(row.paymentReference) }));
  const when = (days: number) => (days > 0 ? words.overdue(days) : days === 0 ? words.dueToday : words.dueIn(-days));
  const bank = words.account(input.paymentInstructions.accountName, formatIbanForPrint(input.paymentInstructions.iban), input.paymentInstructions.bic);
  const text = [
    singleLine(input.intro),
    '',
    ...rows.map(
      (row) =>
        `- ${words.line({ number: row.number, open: row.openFormatted, due: row.dueDate, when: when(row.daysOverdue), level: row.level, reference: row.reference })}${row.lateFeeFormatted ? `; ${words.lateFee} ${row.lateFeeFormatted}` : ''}${row.interestFormatted ? `; ${words.interest} ${row.interestFormatted}` : ''}`,
    ),
    '',
    `${words.total}: ${input.totalFormatted}`,
    words.payTo(bank),
    '',
    singleLine(input.from.name),
  ].join('\n');
  const cells = (row: (typeof rows)[number]) =>
    [row.number, row.openFormatted, row.dueDate, when(row.daysOverdue), row.level, row.reference, row.lateFeeFormatted ?? '', row.interestFormatted ?? ''].map((cell) => `<td>${escapeHtml(cell)}</td>`).join('');
  const html = `<!doctype html><html lang="${input.language ?? 'en'}"><body><p>${escapeHtml(singleLine(input.intro))}</p>
<table border="1" cellpadding="4" cellspacing="0"><tr>${words.columns.map((column) => `<th>${escapeHtml(column)}</th>`).join('')}</tr>
${rows.map((row) => `<tr>${cells(row)}</tr>`).join('\n')}</table>
<p><strong>${escapeHtml(words.total)}: ${escapeHtml(input.totalFormatted)}</strong></p><p>${escapeHtml(words.payTo(bank))}</p>
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
