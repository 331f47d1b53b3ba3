import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Invoice, InvoiceDocument, InvoiceStatus } from '#domain/invoice';
import { buildStatement, type Statement, type StatementCustomer } from '#domain/statement';
import { openWithPdfJs, pageTexts as pageTextsOf, renderPage, testOutputDir as outputDir } from '../../support/pdf.ts';
import { renderStatementPdf } from '../../../shared/documents/statement-pdf.ts';
import { eurInvoice, jpyInvoice, sampleSeller } from '../../fixtures/invoices/samples.ts';

const pageTexts = (pdf: Parameters<typeof pageTextsOf>[0]) => pageTextsOf(pdf, { collapseWhitespace: true });

const seller = sampleSeller;

const customer: StatementCustomer = {
  id: 'C-42',
  name: 'Acme GmbH',
  email: 'ap@acme.example',
  country: 'GB',
  currency: 'EUR',
  creditLimitMinor: 500_000,
  exposureMinor: 120_000,
  terms: { basis: 'invoice-date', days: 30, earlyPaymentDiscount: { rateBasisPoints: 200, days: 10 } },
};

function invoice(sequence: number, dueDate: string, options: { status?: InvoiceStatus; openMinor?: number; base?: InvoiceDocument } = {}): Invoice {
  const base = options.base ?? eurInvoice;
  const number = `INV-2026-${String(sequence).padStart(6, '0')}`;
  return {
    id: `INV-ID-${sequence}`,
    customerId: 'C-42',
    orderId: base.orderId,
    shipmentKey: `DHL#${sequence}`,
    document: { ...base, id: `INV-ID-${sequence}`, number, issueDate: '2026-01-05', dueDate, paymentReference: `RF98INV2026${String(sequence).padStart(6, '0')}` },
    status: options.status ?? 'OPEN',
    openMinor: options.openMinor ?? base.payableMinor,
    email: { status: 'SENT', attempts: 1 },
    createdAt: '2026-01-05T10:00:00.000Z',
    updatedAt: '2026-01-05T10:00:00.000Z',
    version: 1,
  };
}

/**
 * EUR 359.65 current, 100.00 20 days overdue, 24.99 disputed 121 days overdue → balance 484.64, overdue 124.99.
 * JPY 17,080 46 days overdue, 1,500 due today → balance 18,580.
 */
const statement: Statement = buildStatement({
  customer,
  asOf: '2026-06-30',
  seller,
  invoices: [
    invoice(201, '2026-07-15'),
    invoice(202, '2026-06-10', { status: 'PARTIALLY_PAID', openMinor: 10_000 }),
    invoice(203, '2026-03-01', { status: 'DISPUTED', openMinor: 2_499 }),
    invoice(204, '2026-05-15', { base: jpyInvoice }),
    invoice(205, '2026-06-30', { base: jpyInvoice, status: 'PARTIALLY_PAID', openMinor: 1_500 }),
    invoice(206, '2026-04-01', { status: 'PAID', openMinor: 0 }),
  ],
});

describe('statement PDF', () => {
  beforeAll(() => {
    mkdirSync(outputDir, { recursive: true });
  });

  it('given a two-currency statement, when rendered, then it loads with pdf-lib as titled A4 and its first page renders non-blank', async () => {
    const bytes = await renderStatementPdf(statement);

    const loaded = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(loaded.getPageCount()).toBe(1);
    expect(loaded.getTitle()).toBe('Statement of account C-42 as of 30 Jun 2026');
    expect(loaded.getAuthor()).toBe('Nordlicht Handels GmbH');
    expect(loaded.getCreationDate()?.toISOString()).toBe('2026-06-30T00:00:00.000Z');
    const size = loaded.getPage(0).getSize();
    expect([Math.round(size.width), Math.round(size.height)]).toEqual([595, 842]);

    const pdf = await openWithPdfJs(bytes);
    const { png, darkShare, width } = await renderPage(pdf, 1);
    writeFileSync(join(outputDir, 'statement.png'), png);
    expect(width).toBeGreaterThan(800);
    expect(darkShare).toBeGreaterThan(0.005); // text is there
    expect(darkShare).toBeLessThan(0.25); // and the page is not a black box
    await pdf.destroy();
  });

  it('given the statement, when its text is extracted, then parties, items, ageing, balances and payment details are printed', async () => {
    const pdf = await openWithPdfJs(await renderStatementPdf(statement));
    const [text = ''] = await pageTexts(pdf);
    for (const expected of [
      'Nordlicht Handels GmbH',
      'VAT ID DE123456789',
      'Acme GmbH',
      'ap@acme.example',
      'Statement of account as of 30 Jun 2026',
      '2 % discount if paid within 10 days, net 30 days',
      'EUR 5,000.00', // credit limit
      'EUR 3,800.00', // available: 5,000.00 − 1,200.00
      'Items in EUR',
      'Items in JPY',
      'INV-2026-000203 DISPUTED',
      'Ref. RF98 INV2 0260 0020 3',
      '1 Mar 2026 121',
      '459.65 24.99', // total, then what is open
      '17,080 17,080',
      'not due',
      'due today',
      // Ageing rows: credits, not due, due today, 1-30, 31-60, 61-90, 90+, balance.
      'EUR 0.00 359.65 0.00 100.00 0.00 0.00 24.99 484.64',
      'JPY 0 0 1,500 0 17,080 0 0 18,580',
      'EUR 24.99 is disputed',
      'Balance due in EUR EUR 484.64',
      'overdue invoices: EUR 124.99',
      'Balance due in JPY JPY 18,580',
      'overdue invoices: JPY 17,080',
      'DE89 3704 0044 0532 0130 00',
      'COBADEFFXXX',
      "quote that invoice's RF reference",
      'ar@nordlicht.example',
      'Page 1 of 1',
    ]) {
      expect(text, expected).toContain(expected);
    }
    expect(text).not.toContain('INV-2026-000206'); // paid
    // Oldest due first within each currency.
    expect(text.indexOf('INV-2026-000203')).toBeLessThan(text.indexOf('INV-2026-000202'));
    expect(text.indexOf('INV-2026-000202')).toBeLessThan(text.indexOf('INV-2026-000201'));
    await pdf.destroy();
  });

  it('given 60 open items, when rendered, then they flow over numbered pages with the table header repeated and none lost', async () => {
    const many = buildStatement({
      customer,
      asOf: '2026-06-30',
      seller,
      invoices: Array.from({ length: 60 }, (_, index) => invoice(1000 + index, `2026-0${1 + (index % 6)}-15`)),
    });
    const pdf = await openWithPdfJs(await renderStatementPdf(many));
    const texts = await pageTexts(pdf);

    expect(pdf.numPages).toBeGreaterThanOrEqual(3);
    texts.forEach((text, index) => expect(text).toContain(`Page ${index + 1} of ${pdf.numPages}`));
    texts.slice(1).forEach((text) => expect(text).toContain('Statement C-42 as of 30 Jun 2026 (continued)'));
    expect(texts[1]).toContain('Items in EUR (continued)');
    const all = texts.join(' ');
    for (const item of many.items) expect(all.split(`${item.number} `).length - 1, item.number).toBe(1);
    expect(texts.at(-1)).toContain('Balance due in EUR EUR 21,579.00'); // 60 × 359.65
    const { png, darkShare } = await renderPage(pdf, 2, 1);
    writeFileSync(join(outputDir, 'statement-60-items-page-2.png'), png);
    expect(darkShare).toBeGreaterThan(0.005);
    await pdf.destroy();
  });

  it('given no open items, when rendered, then it says so and asks for no payment', async () => {
    const settled = buildStatement({ customer, asOf: '2026-06-30', seller, invoices: [invoice(206, '2026-04-01', { status: 'PAID', openMinor: 0 })] });
    const pdf = await openWithPdfJs(await renderStatementPdf(settled));
    const [text = ''] = await pageTexts(pdf);
    expect(text).toContain('There are no open items on your account');
    expect(text).not.toContain('Balance due');
    expect(text).not.toContain('IBAN');
    await pdf.destroy();
  });

  it('given a customer name outside WinAnsi, when rendered, then it does not throw and prints what it can', async () => {
    const pdf = await openWithPdfJs(await renderStatementPdf({ ...statement, customer: { ...statement.customer, name: 'Łódź Trading — 東京' } }));
    const [text = ''] = await pageTexts(pdf);
    expect(text).toContain('Lódz Trading — ??');
    await pdf.destroy();
  });

  it('given the same statement twice, when rendered, then the bytes are identical (no clock in the file)', async () => {
    const [first, second] = await Promise.all([renderStatementPdf(statement), renderStatementPdf(structuredClone(statement))]);
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
  });
});
