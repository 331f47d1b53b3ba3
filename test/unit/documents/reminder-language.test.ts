import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import type { Customer } from '#domain/customer';
import { creditorReferenceFor } from '#domain/creditor-reference';
import type { DunningRun, DunningStore, Mailer } from '#domain/ports';
import type { Invoice } from '#domain/invoice';

import { runDunning } from '#domain/use-cases/dunning';
import { buildDunningEmail } from '#shared/documents/dunning-email';
import { renderStatementPdf } from '#shared/documents/statement-pdf';
import { openWithPdfJs, pageTexts } from '../../support/pdf.ts';
import { eurCreditNote, eurInvoice, sampleSeller } from '../../fixtures/invoices/samples.ts';

const seller = sampleSeller;

const TODAY = '2026-12-24';

function customerIn(country: string): Customer {
  return {
    id: 'C-42',
    name: 'Acme GmbH',
    email: 'ap@acme.example',
    country,
    currency: 'EUR',
    creditLimitMinor: 500_000,
    exposureMinor: 250_000,
    terms: { basis: 'invoice-date', days: 30, earlyPaymentDiscount: { rateBasisPoints: 250, days: 10 } },
    onCreditHold: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
  } as unknown as Customer;
}

function invoice(sequence: number, dueDate: string, openMinor: number, extra: Partial<Invoice> = {}): Invoice {
  const number = `INV-2026-${String(sequence).padStart(6, '0')}`;
  return {
    id: `INV-ID-${sequence}`,
    customerId: 'C-42',
    orderId: eurInvoice.orderId,
    shipmentKey: `DHL#${sequence}`,
    document: { ...eurInvoice, id: `INV-ID-${sequence}`, number, totalMinor: 123_456, payableMinor: 123_456, issueDate: '2026-10-01', dueDate, paymentReference: creditorReferenceFor(number) },
    status: 'OPEN',
    openMinor,
    email: { status: 'SENT', attempts: 1 },
    createdAt: '2026-10-01T10:00:00.000Z',
    updatedAt: '2026-10-01T10:00:00.000Z',
    version: 1,
    ...extra,
  };
}

/** One customer's reminder through the real run: 1,234.56 € 16 days overdue (part credited), one due today, cash on account. */
async function remind(country: string) {
  const overdue = invoice(1, '2026-12-08', 123_456 - 3_569, { creditNoteIds: ['CN-ID-1'] });
  const creditNote: Invoice = {
    ...invoice(2, '2026-11-02', 0),
    id: 'CN-ID-1',
    status: 'PAID',
    creditsInvoiceId: overdue.id,
    document: { ...eurCreditNote, id: 'CN-ID-1', number: 'CN-2026-000001', issueDate: '2026-11-02', dueDate: '2026-11-02', paymentReference: creditorReferenceFor('CN-2026-000001') },
  };
  const dueToday = invoice(3, TODAY, 1_999);
  let sent: Buffer | undefined;
  const run: { value?: DunningRun } = {};
  const dunning = {
    policy: async () => undefined,
    due: async () => ({ items: [overdue, dueToday].map((item) => ({ ...item, customerName: 'Acme GmbH', invoiceNumber: item.document.number, currency: 'EUR', dueDate: item.document.dueDate, issueDate: item.document.issueDate, paymentReference: item.document.paymentReference, status: item.status })), readCapacity: 1 }),
    recordRun: async (change: { run?: DunningRun }) => {
      run.value = change.run;
      return 'written';
    },
    runOf: async () => run.value,
    markRunEmailed: async () => undefined,
  } as unknown as DunningStore;
  const mailer = { sendRaw: async ({ raw }: { raw: Uint8Array }) => ((sent = Buffer.from(raw)), 'message-1') } as unknown as Mailer;
  await runDunning(
    { today: TODAY },
    {
      dunning,
      customers: { get: async () => customerIn(country) } as never,
      invoices: { listOfCustomer: async () => ({ items: [overdue, creditNote, dueToday], cursor: null }) } as never,
      cashOnAccount: { ofCustomer: async () => [{ paymentId: 'P-1', customerId: 'C-42', currency: 'EUR', bookingDate: '2026-12-01', bankReference: 'BANKREF-77', amountMinor: 10_000, unappliedMinor: 2_500 }] },
      seller,
      mailer,
      clock: { now: () => new Date(`${TODAY}T06:00:00Z`) },
      ids: { next: () => 'ID' },
      compose: async (input) => new Uint8Array(await buildDunningEmail(input)),
      renderStatement: renderStatementPdf,
    },
  );
  if (!sent) throw new Error('no reminder was sent');
  const mail = await simpleParser(sent);
  const attachment = mail.attachments[0];
  if (!attachment) throw new Error('no statement attached');
  const pdf = await openWithPdfJs(new Uint8Array(attachment.content));
  const pdfText = (await pageTexts(pdf, { collapseWhitespace: true })).join(' ');
  await pdf.destroy();
  return { mail, filename: attachment.filename, pdfText, mailText: `${mail.subject}\n${mail.text}\n${String(mail.html)}` };
}

/** Words of the English reminder and statement (headings, columns, buckets, footer) that must not appear in German. */
const ENGLISH = [
  'Statement', 'STATEMENT', 'Invoice', 'Issue date', 'Due date', 'Days overdue', 'Total', 'Open items', 'Items in', 'Amounts in', 'Balance', 'Ageing',
  'Not due', 'not due', 'Due today', 'due today', 'Over 90', ' days', 'Credits', 'CREDIT NOTE', 'PAYMENT', 'Set off', 'Received', 'Page ', 'continued',
  'Customer no', 'Payment terms', 'Credit limit', 'Available', 'discount', 'net 30', 'overdue', 'Please pay', 'PAY TO', 'Account', 'Questions', 'quote',
  'VAT ID', 'Reg. ', 'late fee', 'interest', 'reminder', 'Reference', 'attached', 'Dear',
];

describe('reminders in one language', () => {
  it('given a customer in Germany, when the run sends its reminder, then the email and the statement PDF are all German with German amounts and dates', async () => {
    const { pdfText, mailText, filename } = await remind('DE');

    for (const word of ENGLISH) {
      expect(pdfText, `PDF: ${word}`).not.toContain(word);
      expect(mailText, `email: ${word}`).not.toContain(word);
    }
    for (const expected of ['KONTOAUSZUG', 'Kontoauszug zum 24.12.2026', 'Stichtag 24.12.2026', 'Fällig am', 'Tage überfällig', 'heute fällig', 'Nicht fällig', 'Heute fällig', 'Über 90 Tage', 'Guthaben', 'GUTSCHRIFT', 'Verrechnet mit INV-2026-000001', 'ZAHLUNG', 'Seite 1 von 1', 'USt-IdNr.', '2,5 % Skonto bei Zahlung innerhalb von 10 Tagen, 30 Tage netto', '5.000,00 €', '08.12.2026 16', '1.234,56 1.198,87', '-35,69 0,00', '-25,00', 'Zu zahlen in EUR 1.193,86 €', 'überfällige Rechnungen: 1.198,87 €']) {
      expect(pdfText, expected).toContain(expected);
    }
    for (const expected of ['Mahnung', 'INV-2026-000001: 1.198,87 € offen, fällig am 08.12.2026 (16 Tage überfällig)', 'heute fällig', 'Gesamt: 1.218,86 €', 'Bitte überweisen Sie']) {
      expect(mailText, expected).toContain(expected);
    }
    expect(filename).toBe('kontoauszug-C-42-2026-12-24.pdf');
  });

  it('given a customer in the UK, when the run sends its reminder, then the email and the statement PDF are all English with English amounts and dates', async () => {
    const { pdfText, mailText, filename } = await remind('GB');

    for (const word of ['Kontoauszug', 'KONTOAUSZUG', 'Fällig', 'fällig', 'Tage', 'Seite', 'Saldo', 'Guthaben', 'Zahlung', 'Rechnung', 'Mahn', ',56', '24.12.2026']) {
      expect(pdfText, `PDF: ${word}`).not.toContain(word);
      expect(mailText, `email: ${word}`).not.toContain(word);
    }
    for (const expected of ['Statement of account as of 24 Dec 2026', '8 Dec 2026 16', '1,234.56 1,198.87', 'due today', 'Credits', 'Balance due in EUR EUR 1,193.86', 'Page 1 of 1']) {
      expect(pdfText, expected).toContain(expected);
    }
    for (const expected of ['INV-2026-000001: EUR 1,198.87 open, due 24 Dec 2026'.replace('24 Dec 2026', '8 Dec 2026'), '16 days overdue', 'Total: EUR 1,218.86']) {
      expect(mailText, expected).toContain(expected);
    }
    expect(filename).toBe('statement-C-42-2026-12-24.pdf');
  });
});
