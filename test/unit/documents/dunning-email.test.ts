import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { creditorReferenceFor } from '#domain/creditor-reference';
import { buildDunningEmail, type DunningEmailInput } from '#shared/documents/dunning-email';

const statementPdf = new Uint8Array(Array.from({ length: 512 }, (_, index) => (index * 11 + 5) % 256));

const input: DunningEmailInput = {
  from: { name: 'Seller GmbH', address: 'billing@seller.example' },
  to: ['ap@buyer.example'],
  subject: 'Payment reminder: 2 overdue invoice(s), 200.00 EUR',
  intro: 'Dear Buyer <AG>, we have not yet received payment.',
  rows: [
    { number: 'INV-2026-000001', dueDate: '2026-11-01', daysOverdue: 7, openFormatted: '100.00 EUR', paymentReference: creditorReferenceFor('INV-2026-000001'), level: 'second reminder' },
    { number: 'INV-2026-000002', dueDate: '2026-11-10', daysOverdue: -2, openFormatted: '95.00 EUR', paymentReference: creditorReferenceFor('INV-2026-000002'), level: 'friendly reminder', lateFeeFormatted: '5.00 EUR', interestFormatted: '0.12 EUR' },
  ],
  totalFormatted: '200.12 EUR',
  paymentInstructions: { accountName: 'Seller GmbH', iban: 'DE02120300000000202051', bic: 'BYLADEM1001' },
  statementPdf,
  statementFilename: 'statement-C1-2026-11-08.pdf',
  messageId: '<dunning-2026-11-08-C1@o2c>',
};

describe('buildDunningEmail', () => {
  it('given two invoices reached by a run, when the reminder is built, then one message lists both with references, fees and the statement attached byte for byte', async () => {
    const mail = await simpleParser(await buildDunningEmail(input));

    expect(mail.subject).toBe(input.subject);
    expect(mail.messageId).toBe(input.messageId);
    expect(mail.text).toContain('INV-2026-000001: 100.00 EUR open, due 2026-11-01 (7 days overdue), second reminder; quote RF');
    expect(mail.text).toContain('due in 2 days');
    expect(mail.text).toContain('late fee 5.00 EUR; interest 0.12 EUR');
    expect(mail.text).toContain('IBAN DE02 1203 0000 0000 2020 51');
    expect(mail.html).toContain('Buyer &#60;AG&#62;');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ filename: input.statementFilename, contentType: 'application/pdf' });
    expect(new Uint8Array(mail.attachments[0]!.content)).toEqual(statementPdf);
  });

  it('given no recipient, when built, then it refuses', async () => {
    await expect(buildDunningEmail({ ...input, to: [] })).rejects.toThrow(RangeError);
  });
});
