import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { newCustomer } from '#domain/customer';
import { buildInvoiceDocument, linesForShipment } from '#domain/invoicing';
import { newOrder } from '#domain/order';
import { GenericOrderBody, toCanonicalOrder } from '#schemas/generic-order';
import { demoSeller } from '#schemas/seller';
import { minorToDecimalString, ppmToPercentString } from '../../../shared/documents/format.ts';
import { renderInvoicePdf } from '../../../shared/documents/invoice-pdf.ts';
import { renderInvoiceUbl } from '../../../shared/documents/invoice-ubl.ts';
import { germanB2bBody, germanB2bInvoice } from '../../fixtures/invoices/german-b2b.ts';
import { openWithPdfJs, pageTexts } from '../../support/pdf.ts';

type Node = Record<string, unknown>;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, isArray: (name) => name === 'cac:InvoiceLine' || name === 'cac:TaxSubtotal' });
const at = (node: unknown, path: string): unknown => path.split('/').reduce<unknown>((current, key) => (current as Node | undefined)?.[key], node);
const text = (node: unknown) => (typeof node === 'object' && node !== null ? (node as Node)['#text'] : node);

describe('a domestic German B2B invoice from a generic order (§14 Abs. 4 UStG)', () => {
  const document = germanB2bInvoice();

  it('given the order carried the buyer VAT id, billing address and customer number, when invoiced, then the document names the buyer fully', () => {
    expect(document.buyer).toMatchObject({
      name: 'Bäckerei Müller GmbH',
      vatId: 'DE811907980',
      identifier: 'K-10042',
      address: { line1: 'Lindenstraße 12', city: 'Köln', postalCode: '50674', country: 'DE' },
    });
    expect(document.deliveryDate).toBe('2026-11-23');
  });

  it('given the buyer VAT id is only on the customer (an earlier order), when invoiced, then the customer’s is printed', () => {
    const { vatId: _none, ...customerInput } = germanB2bBody.customer;
    const canonical = toCanonicalOrder(GenericOrderBody.parse({ ...germanB2bBody, customer: customerInput }));
    const order = newOrder(canonical, { orderId: 'O', customerId: 'C' }, '2026-11-20T08:15:00.000Z');
    const customer = { ...newCustomer({ id: 'C', source: 'generic', ...canonical.customer, currency: 'EUR' }, 1, '2026-01-01T00:00:00.000Z'), vatId: 'DE811907980' };
    const { lines } = linesForShipment(order, { 'MIXER-20': 1 }, 'I');
    const invoice = buildInvoiceDocument({ id: 'I', number: 'INV-2026-000816', issueDate: '2026-11-24', order, customer, seller: demoSeller, lines, paymentReference: 'RF18539007547034' });
    expect(invoice.buyer.vatId).toBe('DE811907980');
    expect(invoice.deliveryDate).toBeUndefined();
  });

  it('given a guest buyer keyed by email, when invoiced, then no customer number is printed (the key is not a number)', () => {
    const canonical = toCanonicalOrder(GenericOrderBody.parse(germanB2bBody));
    const order = newOrder(canonical, { orderId: 'O', customerId: 'C' }, '2026-11-20T08:15:00.000Z');
    const customer = newCustomer({ id: 'C', source: 'shopify', externalId: 'email:buchhaltung@mueller.example', name: 'N', email: 'buchhaltung@mueller.example', country: 'DE', currency: 'EUR' }, 1, '2026-01-01T00:00:00.000Z');
    const { lines } = linesForShipment(order, { 'MIXER-20': 1 }, 'I');
    expect(buildInvoiceDocument({ id: 'I', number: 'N', issueDate: '2026-11-24', order, customer, seller: demoSeller, lines, paymentReference: 'RF18539007547034' }).buyer.identifier).toBeUndefined();
  });

  it('given the invoice, when rendered as UBL, then every §14 UStG field is in its EN 16931 place', () => {
    const root = (parser.parse(renderInvoiceUbl(document)) as Node)['Invoice'] as Node;
    const seller = at(root, 'cac:AccountingSupplierParty/cac:Party');
    const buyer = at(root, 'cac:AccountingCustomerParty/cac:Party');
    // Seller name, address and VAT id (§14 Abs. 4 Nr. 1, 2).
    expect(at(seller, 'cac:PartyLegalEntity/cbc:RegistrationName')).toBe(demoSeller.party.name);
    expect(at(seller, 'cac:PostalAddress')).toMatchObject({ 'cbc:StreetName': 'Beispielstraße 1', 'cbc:CityName': 'Berlin', 'cbc:PostalZone': '10115' });
    expect(at(seller, 'cac:PartyTaxScheme/cbc:CompanyID')).toBe('DE123456789');
    // Buyer name, address (BG-8), VAT id (BT-48) and our customer number (BT-46).
    expect(at(buyer, 'cac:PartyIdentification/cbc:ID')).toBe('K-10042');
    expect(at(buyer, 'cac:PartyLegalEntity/cbc:RegistrationName')).toBe('Bäckerei Müller GmbH');
    expect(at(buyer, 'cac:PostalAddress')).toMatchObject({ 'cbc:StreetName': 'Lindenstraße 12', 'cbc:CityName': 'Köln', 'cbc:PostalZone': '50674', 'cac:Country': { 'cbc:IdentificationCode': 'DE' } });
    expect(at(buyer, 'cac:PartyTaxScheme/cbc:CompanyID')).toBe('DE811907980');
    expect(at(buyer, 'cac:Contact/cbc:Name')).toBe('Kreditorenbuchhaltung'); // BT-56, the billing address's attention line
    // Number, issue date, delivery date (Nr. 3, 4, 6).
    expect(at(root, 'cbc:ID')).toBe('INV-2026-000815');
    expect(at(root, 'cbc:IssueDate')).toBe('2026-11-24');
    expect(at(root, 'cac:Delivery/cbc:ActualDeliveryDate')).toBe('2026-11-23');
    // Quantity and description of every line (Nr. 5).
    const lines = at(root, 'cac:InvoiceLine') as Node[];
    expect(lines.map((line) => [text(line['cbc:InvoicedQuantity']), at(line, 'cac:Item/cbc:Name')])).toEqual([
      ['1', 'Spiralkneter 20 l'],
      ['3', 'Weizenmehl Type 550, 25 kg'],
      ['1', 'Shipping'],
    ]);
    // Net per rate, the rate, and the tax (Nr. 7, 8).
    const subtotals = at(root, 'cac:TaxTotal/cac:TaxSubtotal') as Node[];
    expect(subtotals.map((row) => [text(row['cbc:TaxableAmount']), at(row, 'cac:TaxCategory/cbc:Percent'), text(row['cbc:TaxAmount'])])).toEqual(
      document.taxBreakdown.map((group) => [minorToDecimalString(group.taxableMinor, 'EUR'), ppmToPercentString(group.taxRatePpm), minorToDecimalString(group.taxMinor, 'EUR')]),
    );
    expect(subtotals.map((row) => at(row, 'cac:TaxCategory/cbc:Percent'))).toEqual(['19', '7']);
  });

  it('given the invoice, when rendered as PDF, then a person finds every §14 UStG field on it', async () => {
    const pdf = await openWithPdfJs(await renderInvoicePdf(document));
    const [page = ''] = await pageTexts(pdf);
    for (const expected of [
      demoSeller.party.name,
      'Beispielstraße 1',
      'VAT ID DE123456789',
      'Bäckerei Müller GmbH',
      'Kreditorenbuchhaltung',
      'Lindenstraße 12',
      '50674 Köln',
      'VAT ID DE811907980',
      'Customer no.',
      'K-10042',
      'INV-2026-000815',
      'Issue date',
      '2026-11-24',
      'Delivery date',
      '2026-11-23',
      'Spiralkneter 20 l',
      'Weizenmehl Type 550, 25 kg',
      'VAT 19 %',
      'VAT 7 %',
    ]) {
      expect(page, expected).toContain(expected);
    }
    await pdf.destroy();
  });
});
