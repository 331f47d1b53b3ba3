import { simpleParser } from 'mailparser';
import type { AddressObject, ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { creditorReferenceFor } from '#domain/creditor-reference';
import { buildInvoiceEmail, invoiceEmailContent, invoiceEmailSubject } from '#shared/documents/invoice-email';
import type { InvoiceEmailInput } from '#shared/documents/invoice-email';

/** Every byte value, so a PDF attachment that is re-encoded or truncated anywhere shows up. */
const pdfBytes = new Uint8Array(Array.from({ length: 1024 }, (_, index) => (index * 7 + 3) % 256));
const ubl = '<?xml version="1.0" encoding="UTF-8"?>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><cbc:ID xmlns:cbc="x">INV-2026-000123</cbc:ID><Name>Müller &amp; Söhne</Name></Invoice>\n';

function invoiceInput(overrides: Partial<InvoiceEmailInput> = {}): InvoiceEmailInput {
  return {
    from: { name: 'Seller GmbH', address: 'billing@seller.example' },
    to: ['ap@acme.example', 'Jane Doe <jane@acme.example>'],
    replyTo: 'ar@seller.example',
    kind: 'invoice',
    number: 'INV-2026-000123',
    customerName: 'Acme GmbH',
    totalFormatted: '1234.56 EUR',
    dueDate: '2026-03-31',
    paymentReference: creditorReferenceFor('INV-2026-000123'),
    paymentInstructions: { accountName: 'Seller GmbH', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' },
    pdf: pdfBytes,
    pdfFilename: 'INV-2026-000123.pdf',
    ubl,
    ublFilename: 'INV-2026-000123.xml',
    messageId: '<inv-2026-000123@seller.example>',
    date: new Date('2026-03-01T09:30:00Z'),
    ...overrides,
  };
}

async function built(input: InvoiceEmailInput): Promise<{ raw: Buffer; mail: ParsedMail }> {
  const raw = await buildInvoiceEmail(input);
  return { raw, mail: await simpleParser(raw) };
}

/** The top-level header block of a raw message (everything before the first empty line). */
function headerBlock(raw: Buffer): string {
  const text = raw.toString('latin1');
  return text.slice(0, text.indexOf('\r\n\r\n'));
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  return [field ?? []].flat().flatMap((object) => object.value.map((entry) => entry.address ?? ''));
}

describe('invoice email subject', () => {
  it.each([
    ['invoice', 'INV-2026-000123', 'Invoice INV-2026-000123 from Seller GmbH'],
    ['credit-note', 'CN-2026-000007', 'Credit note CN-2026-000007 from Seller GmbH'],
  ] as const)('given a %s %s, when the subject is made, then it reads "%s"', (kind, number, subject) => {
    expect(invoiceEmailSubject(kind, number, 'Seller GmbH')).toBe(subject);
  });
});

describe('building the invoice email', () => {
  it('given an invoice, when the email is built and parsed back, then the headers are what was asked for', async () => {
    const { mail } = await built(invoiceInput());
    expect(mail.subject).toBe('Invoice INV-2026-000123 from Seller GmbH');
    expect(mail.from?.value).toEqual([{ name: 'Seller GmbH', address: 'billing@seller.example' }]);
    expect(addresses(mail.to)).toEqual(['ap@acme.example', 'jane@acme.example']);
    expect(addresses(mail.replyTo)).toEqual(['ar@seller.example']);
    expect(mail.messageId).toBe('<inv-2026-000123@seller.example>');
    expect(mail.date?.toISOString()).toBe('2026-03-01T09:30:00.000Z');
    expect(mail.bcc).toBeUndefined();
    expect(mail.cc).toBeUndefined();
  });

  it('given an invoice, when parsed back, then the text part states amount, due date, RF reference and bank details', async () => {
    const { mail } = await built(invoiceInput());
    const text = mail.text ?? '';
    expect(text).toContain('Hello Acme GmbH,');
    expect(text).toContain('Amount due: 1234.56 EUR');
    expect(text).toContain('Due date: 2026-03-31');
    expect(text).toContain('Payment reference: RF98 INV2 0260 0012 3');
    expect(text).toContain('IBAN: DE89 3704 0044 0532 0130 00');
    expect(text).toContain('BIC: COBADEFFXXX');
    expect(text).toContain('Account holder: Seller GmbH');
    expect(text).toContain('INV-2026-000123.pdf');
  });

  it('given an invoice, when parsed back, then the HTML part carries the same facts', async () => {
    const { mail } = await built(invoiceInput());
    const html = typeof mail.html === 'string' ? mail.html : '';
    expect(html).toContain('<html lang="en">');
    for (const fact of ['1234.56 EUR', '2026-03-31', 'RF98 INV2 0260 0012 3', 'DE89 3704 0044 0532 0130 00', 'COBADEFFXXX']) {
      expect(html).toContain(fact);
    }
  });

  it('given a customer and seller whose names hold markup and ampersands, when built, then the HTML shows them as text', async () => {
    const { mail } = await built(
      invoiceInput({
        customerName: 'Müller & Söhne <script>alert("x")</script>',
        from: { name: 'Ünal & Co "Handel"', address: 'billing@seller.example' },
        paymentInstructions: { accountName: '<b>Ünal</b> & Co', iban: 'DE89 3704 0044 0532 0130 00' },
      }),
    );
    const html = typeof mail.html === 'string' ? mail.html : '';
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('Müller &#38; Söhne &#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;');
    expect(html).toContain('Ünal &#38; Co &#34;Handel&#34;');
    expect(html).toContain('&#60;b&#62;Ünal&#60;/b&#62; &#38; Co');
    // The text part is plain text: it shows the names as given, and the non-ASCII survives the encoding.
    expect(mail.text).toContain('Hello Müller & Söhne <script>alert("x")</script>,');
    expect(mail.from?.value).toEqual([{ name: 'Ünal & Co "Handel"', address: 'billing@seller.example' }]);
    expect(mail.subject).toBe('Invoice INV-2026-000123 from Ünal & Co "Handel"');
  });

  it('given the PDF and the UBL XML, when parsed back, then there are exactly two attachments with their types, names and exact bytes', async () => {
    const { mail } = await built(invoiceInput());
    expect(mail.attachments.map((attachment) => [attachment.contentType, attachment.filename, attachment.contentDisposition])).toEqual([
      ['application/pdf', 'INV-2026-000123.pdf', 'attachment'],
      ['application/xml', 'INV-2026-000123.xml', 'attachment'],
    ]);
    const [pdf, xml] = mail.attachments;
    expect(new Uint8Array(pdf?.content ?? Buffer.alloc(0))).toEqual(pdfBytes);
    expect(pdf?.size).toBe(pdfBytes.length);
    expect(xml?.content.toString('utf8')).toBe(ubl);
  });

  it('given non-ASCII attachment names, when parsed back, then the names survive the encoding', async () => {
    const { mail } = await built(invoiceInput({ pdfFilename: 'Rechnung-Müller-2026.pdf', ublFilename: 'Rechnung-Müller-2026.xml' }));
    expect(mail.attachments.map((attachment) => attachment.filename)).toEqual(['Rechnung-Müller-2026.pdf', 'Rechnung-Müller-2026.xml']);
  });

  it('given a PDF given as a view into a larger buffer, when built, then only the viewed bytes are attached', async () => {
    const backing = new Uint8Array(64).fill(0xee);
    backing.set([0x25, 0x50, 0x44, 0x46], 10);
    const { mail } = await built(invoiceInput({ pdf: backing.subarray(10, 14) }));
    expect(mail.attachments[0]?.content.toString('latin1')).toBe('%PDF');
  });

  it('given the same input twice, when built, then the messages are byte-identical', async () => {
    const first = await buildInvoiceEmail(invoiceInput());
    const second = await buildInvoiceEmail(invoiceInput());
    expect(second.equals(first)).toBe(true);
    const other = await buildInvoiceEmail(invoiceInput({ pdf: pdfBytes.slice(1) }));
    expect(other.equals(first)).toBe(false);
  });

  it('given no message id and no date, when built, then the writer supplies both', async () => {
    const { mail } = await built(invoiceInput({ messageId: undefined, date: undefined }));
    expect(mail.messageId).toMatch(/^<.+@seller\.example>$/);
    expect(mail.date).toBeInstanceOf(Date);
  });

  it('given no reply-to and one recipient, when built, then there is no Reply-To header and one To address', async () => {
    const { mail, raw } = await built(invoiceInput({ replyTo: undefined, to: ['ap@acme.example'] }));
    expect(mail.replyTo).toBeUndefined();
    expect(headerBlock(raw)).not.toMatch(/^Reply-To:/im);
    expect(addresses(mail.to)).toEqual(['ap@acme.example']);
  });

  it('given a seller name carrying a line break and a Bcc header, when built, then no header is injected', async () => {
    const { mail, raw } = await built(invoiceInput({ from: { name: 'Seller GmbH\r\nBcc: thief@evil.example', address: 'billing@seller.example' } }));
    expect(mail.bcc).toBeUndefined();
    const headers = headerBlock(raw);
    expect(headers).toMatch(/^Subject: /m);
    expect(headers).not.toMatch(/^Bcc:/im);
    expect(mail.subject).toBe('Invoice INV-2026-000123 from Seller GmbH Bcc: thief@evil.example');
    expect(mail.text).toContain('Please find attached invoice INV-2026-000123 from Seller GmbH Bcc: thief@evil.example.');
  });

  it('given a credit note, when built, then it says what is credited, quotes the reference and gives no bank details to pay to', async () => {
    const input = invoiceInput({
      kind: 'credit-note',
      number: 'CN-2026-000007',
      paymentReference: creditorReferenceFor('CN-2026-000007'),
      totalFormatted: '150.00 EUR',
      pdfFilename: 'CN-2026-000007.pdf',
      ublFilename: 'CN-2026-000007.xml',
    });
    const { mail } = await built(input);
    expect(mail.subject).toBe('Credit note CN-2026-000007 from Seller GmbH');
    expect(mail.text).toContain('Please find attached credit note CN-2026-000007 from Seller GmbH.');
    expect(mail.text).toContain('Amount credited: 150.00 EUR');
    expect(mail.text).toContain('Reference: RF05 CN20 2600 0007');
    expect(mail.text).not.toContain('IBAN');
    expect(mail.text).not.toContain('Amount due');
    expect(mail.attachments.map((attachment) => attachment.filename)).toEqual(['CN-2026-000007.pdf', 'CN-2026-000007.xml']);
  });

  it('given no recipient, when built, then it is refused', async () => {
    await expect(buildInvoiceEmail(invoiceInput({ to: [] }))).rejects.toThrow(RangeError);
  });

  it('given a payment reference with wrong check digits, when the content is made, then it is refused rather than printed', () => {
    expect(() => invoiceEmailContent(invoiceInput({ paymentReference: 'RF17539007547034' }))).toThrow(RangeError);
  });

  it('given an input, when its content is made, then subject, text and HTML are the ones the message carries', async () => {
    const input = invoiceInput();
    const content = invoiceEmailContent(input);
    const { mail } = await built(input);
    expect(mail.subject).toBe(content.subject);
    expect(mail.text).toBe(content.text);
    expect(mail.html).toBe(content.html);
  });
});
