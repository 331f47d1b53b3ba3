import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { invoiceTotals, type InvoiceDocument } from '#domain/invoice';
import { openWithPdfJs, pageTexts, renderPage, testOutputDir as outputDir } from '../../support/pdf.ts';
import { renderInvoicePdf, toWinAnsi } from '../../../shared/documents/invoice-pdf.ts';
import { eurCreditNote, eurInvoice, manyLines, samples } from '../../fixtures/invoices/samples.ts';


describe('invoice PDF', () => {
  beforeAll(() => {
    mkdirSync(outputDir, { recursive: true });
  });

  it.each(samples)('given the $name sample, when rendered, then it loads back as one titled A4 page whose first page renders non-blank', async ({ name, document }) => {
    const bytes = await renderInvoicePdf(document);

    const loaded = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(loaded.getPageCount()).toBe(1);
    expect(loaded.getTitle()).toBe(`${document.kind === 'credit-note' ? 'Credit note' : 'Invoice'} ${document.number}`);
    expect(loaded.getAuthor()).toBe(document.seller.name);
    expect(loaded.getCreationDate()?.toISOString()).toBe(`${document.issueDate}T00:00:00.000Z`);
    const size = loaded.getPage(0).getSize();
    expect([Math.round(size.width), Math.round(size.height)]).toEqual([595, 842]);

    const pdf = await openWithPdfJs(bytes);
    const { png, darkShare, width } = await renderPage(pdf, 1);
    writeFileSync(join(outputDir, `${name}.png`), png);
    expect(width).toBeGreaterThan(800);
    expect(darkShare).toBeGreaterThan(0.005); // text is there
    expect(darkShare).toBeLessThan(0.25); // and the page is not a black box
    await pdf.destroy();
  });

  it('given the EUR invoice, when its text is extracted, then parties, dates, totals, RF reference and bank details are printed', async () => {
    const pdf = await openWithPdfJs(await renderInvoicePdf(eurInvoice));
    const [text = ''] = await pageTexts(pdf);
    for (const expected of [
      'Nordlicht Handels GmbH',
      'VAT ID DE123456789',
      'INVOICE',
      'INV-2026-000123',
      'Acme GmbH',
      'VAT ID DE987654321',
      '2026-03-02',
      '2026-04-01',
      'PO-4711',
      'SKU WIDGET-1',
      '-5.00',
      '54.97',
      'VAT 19 %',
      '363.87',
      '69.14',
      'VAT 7 %',
      '388.77',
      '459.65',
      '-100.00',
      'EUR 359.65',
      'RF98 INV2 0260 0012 3',
      'DE89 3704 0044 0532 0130 00',
      'COBADEFFXXX',
      '2 % discount if paid within 10 days, net 30 days',
      'Page 1 of 1',
    ]) {
      expect(text, expected).toContain(expected);
    }
    await pdf.destroy();
  });

  it('given a credit note, when its text is extracted, then it names the corrected invoice and asks for no transfer', async () => {
    const pdf = await openWithPdfJs(await renderInvoicePdf(eurCreditNote));
    const [text = ''] = await pageTexts(pdf);
    expect(text).toContain('CREDIT NOTE');
    expect(text).toContain('Corrects invoice');
    expect(text).toContain('INV-2026-000123 of 2026-03-02');
    expect(text).toContain('Amount credited');
    expect(text).toContain('EUR 35.69');
    expect(text).not.toContain('Please transfer');
    expect(text).not.toContain('IBAN');
    await pdf.destroy();
  });

  it('given 70 lines, when rendered, then they flow over several numbered pages with the table header repeated and no line lost', async () => {
    const lines = manyLines(70);
    const document: InvoiceDocument = { ...eurInvoice, lines, ...invoiceTotals(lines, 0) };
    const bytes = await renderInvoicePdf(document);
    const pdf = await openWithPdfJs(bytes);
    const texts = await pageTexts(pdf);

    expect(pdf.numPages).toBeGreaterThanOrEqual(3);
    texts.forEach((text, index) => expect(text).toContain(`Page ${index + 1} of ${pdf.numPages}`));
    texts.slice(1).forEach((text) => {
      expect(text).toContain('INV-2026-000123 (continued)');
    });
    const all = texts.join(' ');
    for (const line of lines) expect(all.split(`SKU ${line.sku} `).length - 1, line.sku).toBe(1);
    expect(texts.at(-1)).toContain('RF98 INV2 0260 0012 3');
    const { png, darkShare } = await renderPage(pdf, 2, 1);
    writeFileSync(join(outputDir, 'eur-invoice-70-lines-page-2.png'), png);
    expect(darkShare).toBeGreaterThan(0.005);
    await pdf.destroy();
  });

  it('given a buyer named with umlauts, Polish letters and CJK, when rendered, then it does not throw and prints what WinAnsi can', async () => {
    const document: InvoiceDocument = {
      ...eurInvoice,
      buyer: {
        name: 'Müller & Söhne — 東京商事株式会社',
        address: { line1: 'ul. Piotrkowska 104', postalCode: '90-001', city: 'Łódź', country: 'PL' },
      },
      lines: [{ ...eurInvoice.lines[0]!, description: 'Ștefan’s “special” widget – ½ size ✓' }, ...eurInvoice.lines.slice(1)],
    };
    const bytes = await renderInvoicePdf(document);
    const pdf = await openWithPdfJs(bytes);
    const [text = ''] = await pageTexts(pdf);
    expect(text).toContain('Müller & Söhne — ????????');
    expect(text).toContain('90-001 Lódz');
    expect(text).toContain('Stefan’s “special” widget – ½ size ?');
    const { png } = await renderPage(pdf, 1);
    writeFileSync(join(outputDir, 'unicode-buyer.png'), png);
    await pdf.destroy();
  });

  it('given a description far longer than a page, when rendered, then it is cut and the invoice still fits its pages', async () => {
    const description = 'very long description '.repeat(400);
    const document: InvoiceDocument = { ...eurInvoice, lines: [{ ...eurInvoice.lines[0]!, description }, ...eurInvoice.lines.slice(1)] };
    const pdf = await openWithPdfJs(await renderInvoicePdf(document));
    const texts = await pageTexts(pdf);
    expect(pdf.numPages).toBeLessThanOrEqual(2);
    expect(texts.join(' ')).toContain('SKU WIDGET-1');
    expect(texts.join(' ')).toContain('EUR 359.65');
    await pdf.destroy();
  });

  it('given the same document twice, when rendered, then the bytes are identical (no clock in the file)', async () => {
    const [first, second] = await Promise.all([renderInvoicePdf(eurInvoice), renderInvoicePdf(eurInvoice)]);
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
  });

  it('given text outside WinAnsi, when sanitised, then letters are transliterated and the rest become ?', async () => {
    const font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
    const winAnsi = new Set(font.getCharacterSet());
    expect(toWinAnsi('Müller & Söhne', winAnsi)).toBe('Müller & Söhne');
    expect(toWinAnsi('Łódź', winAnsi)).toBe('Lódz');
    expect(toWinAnsi('Dvořák Đorđe Ștefan ẞ', winAnsi)).toBe('Dvorák Dorde Stefan SS');
    expect(toWinAnsi('東京', winAnsi)).toBe('??');
    expect(toWinAnsi('ＡＢＣ１２３', winAnsi)).toBe('ABC123'); // full-width forms decompose
    expect(toWinAnsi('a\tb\nc\u00a0d\u200be', winAnsi)).toBe('a b c de');
    expect(() => font.encodeText(toWinAnsi('😀 Ωmega ∑ №5', winAnsi))).not.toThrow();
  });
});
