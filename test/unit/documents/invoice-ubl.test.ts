import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { invoiceTotals, type InvoiceDocument } from '#domain/invoice';
import { parseDecimalMinor } from '#domain/money';
import { EN16931_CUSTOMIZATION_ID, renderInvoiceUbl, UBL_NAMESPACES, UblDocumentError } from '../../../shared/documents/invoice-ubl.ts';
import { eurCreditNote, eurInvoice, samples } from '../../fixtures/invoices/samples.ts';
import { germanB2bInvoice } from '../../fixtures/invoices/german-b2b.ts';
import { ublSequences } from '../../fixtures/invoices/ubl-element-order.ts';

type Node = Record<string, unknown>;

/** Elements that may repeat, always parsed as arrays so single and multiple occurrences read alike. */
const repeated = new Set(['cbc:Note', 'cac:TaxSubtotal', 'cac:InvoiceLine', 'cac:CreditNoteLine', 'cac:AllowanceCharge']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false, // "100.00" must stay the string "100.00"
  parseAttributeValue: false,
  isArray: (name) => repeated.has(name),
});

function parse(xml: string): { rootName: string; root: Node } {
  const parsed = parser.parse(xml) as Node;
  const rootName = Object.keys(parsed).find((key) => key !== '?xml');
  if (!rootName) throw new Error('no root element');
  return { rootName, root: parsed[rootName] as Node };
}

/** Walks `a/b/c` through the parsed tree. */
function at(node: unknown, path: string): unknown {
  return path.split('/').reduce<unknown>((current, key) => (current as Node | undefined)?.[key], node);
}

/** The text of an element that may carry attributes (`{ '#text': '1.00', '@_currencyID': 'EUR' }`). */
function text(node: unknown): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === 'string') return node;
  return (node as Node)['#text'] as string | undefined;
}

function amount(node: unknown, currency: string): string | undefined {
  expect((node as Node)['@_currencyID'], 'currencyID attribute').toBe(currency);
  return text(node);
}

describe('UBL 2.1 e-invoice (EN 16931)', () => {
  it.each(samples)('given the $name sample, when its totals are recomputed by the domain, then the fixture agrees', ({ document }) => {
    const { taxBreakdown, lineNetTotalMinor, taxTotalMinor, totalMinor, payableMinor } = invoiceTotals(document.lines, document.prepaidMinor);
    expect({ taxBreakdown, lineNetTotalMinor, taxTotalMinor, totalMinor, payableMinor }).toEqual({
      taxBreakdown: document.taxBreakdown,
      lineNetTotalMinor: document.lineNetTotalMinor,
      taxTotalMinor: document.taxTotalMinor,
      totalMinor: document.totalMinor,
      payableMinor: document.payableMinor,
    });
    for (const line of document.lines) expect(line.netMinor).toBe(line.quantity * line.unitPriceMinor - line.discountMinor);
  });

  it.each(samples)('given the $name sample, when rendered as UBL, then root, customization and header terms are right', ({ document }) => {
    const isCredit = document.kind === 'credit-note';
    const xml = renderInvoiceUbl(document);
    const { rootName, root } = parse(xml);

    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(rootName).toBe(isCredit ? 'CreditNote' : 'Invoice');
    expect(root['@_xmlns']).toBe(isCredit ? UBL_NAMESPACES.creditNote : UBL_NAMESPACES.invoice);
    expect(root['@_xmlns:cac']).toBe(UBL_NAMESPACES.cac);
    expect(root['@_xmlns:cbc']).toBe(UBL_NAMESPACES.cbc);
    // EN 16931 amounts have at most two decimals (BR-DEC): a KWD invoice is plain UBL 2.1 and claims no conformance.
    expect(at(root, 'cbc:CustomizationID')).toBe(document.currency === 'KWD' ? undefined : EN16931_CUSTOMIZATION_ID);
    expect(at(root, 'cbc:ID')).toBe(document.number); // BT-1
    expect(at(root, 'cbc:IssueDate')).toBe(document.issueDate); // BT-2
    expect(at(root, isCredit ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode')).toBe(isCredit ? '381' : '380'); // BT-3
    expect(at(root, 'cbc:DocumentCurrencyCode')).toBe(document.currency); // BT-5
    // BT-9: root DueDate on an Invoice, PaymentMeans/PaymentDueDate on a CreditNote (which has no root DueDate).
    expect(at(root, 'cbc:DueDate')).toBe(isCredit ? undefined : document.dueDate);
    expect(at(root, 'cac:PaymentMeans/cbc:PaymentDueDate')).toBe(isCredit ? document.dueDate : undefined);
    expect(at(root, 'cbc:BuyerReference')).toBe(document.buyerReference ?? document.orderId); // BT-10
    expect(at(root, 'cac:OrderReference/cbc:SalesOrderID')).toBe(document.orderId);

    const seller = at(root, 'cac:AccountingSupplierParty/cac:Party');
    expect(at(seller, 'cac:PartyLegalEntity/cbc:RegistrationName')).toBe(document.seller.name);
    expect(at(seller, 'cac:PostalAddress/cac:Country/cbc:IdentificationCode')).toBe(document.seller.address.country);
    expect(at(seller, 'cac:PartyTaxScheme/cbc:CompanyID')).toBe(document.seller.vatId);
    expect(at(seller, 'cac:PartyTaxScheme/cac:TaxScheme/cbc:ID')).toBe('VAT');
    const buyer = at(root, 'cac:AccountingCustomerParty/cac:Party');
    expect(at(buyer, 'cac:PartyLegalEntity/cbc:RegistrationName')).toBe(document.buyer.name);
    expect(at(buyer, 'cac:PostalAddress/cbc:CityName')).toBe(document.buyer.address.city);
    expect(at(buyer, 'cac:PostalAddress/cac:Country/cbc:IdentificationCode')).toBe(document.buyer.address.country);

    const means = at(root, 'cac:PaymentMeans');
    expect(at(means, 'cbc:PaymentMeansCode')).toBe('58');
    expect(at(means, 'cbc:PaymentID')).toBe(document.paymentReference);
    expect(at(means, 'cac:PayeeFinancialAccount/cbc:ID')).toBe('DE89370400440532013000');
    expect(at(means, 'cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID')).toBe('COBADEFFXXX');
    expect(at(root, 'cac:PaymentTerms/cbc:Note')).toEqual([expect.stringMatching(/net \d+ days/)]); // BT-20
  });

  it.each(samples)('given the $name sample, when rendered as UBL, then totals, VAT breakdown and lines carry its exact decimal strings', ({ document, expected }) => {
    const { root } = parse(renderInvoiceUbl(document));
    const currency = document.currency;

    const totals = at(root, 'cac:LegalMonetaryTotal');
    expect({
      lineExtension: amount(at(totals, 'cbc:LineExtensionAmount'), currency),
      taxExclusive: amount(at(totals, 'cbc:TaxExclusiveAmount'), currency),
      taxInclusive: amount(at(totals, 'cbc:TaxInclusiveAmount'), currency),
      prepaid: amount(at(totals, 'cbc:PrepaidAmount'), currency),
      payable: amount(at(totals, 'cbc:PayableAmount'), currency),
      taxTotal: amount(at(root, 'cac:TaxTotal/cbc:TaxAmount'), currency),
    }).toEqual({
      lineExtension: expected.lineExtension,
      taxExclusive: expected.taxExclusive,
      taxInclusive: expected.taxInclusive,
      prepaid: expected.prepaid,
      payable: expected.payable,
      taxTotal: expected.taxTotal,
    });

    const subtotals = at(root, 'cac:TaxTotal/cac:TaxSubtotal') as Node[];
    expect(subtotals.map((row) => [amount(row['cbc:TaxableAmount'], currency), amount(row['cbc:TaxAmount'], currency), at(row, 'cac:TaxCategory/cbc:Percent')])).toEqual(expected.subtotals);
    expect(subtotals.map((row) => at(row, 'cac:TaxCategory/cbc:ID'))).toEqual(document.taxBreakdown.map((group) => group.taxCategory));

    const lines = at(root, document.kind === 'credit-note' ? 'cac:CreditNoteLine' : 'cac:InvoiceLine') as Node[];
    expect(lines.map((line) => [amount(line['cbc:LineExtensionAmount'], currency), amount(at(line, 'cac:Price/cbc:PriceAmount'), currency), (line['cac:AllowanceCharge'] as Node[] | undefined)?.map((allowance) => amount(allowance['cbc:Amount'], currency))[0]])).toEqual(expected.lines);
    lines.forEach((line, index) => {
      const source = document.lines[index];
      if (!source) throw new Error('line count differs');
      const quantity = line[document.kind === 'credit-note' ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity'] as Node;
      expect(quantity).toEqual({ '#text': String(source.quantity), '@_unitCode': 'C62' });
      expect(line['cbc:ID']).toBe(String(source.lineNumber));
      expect(at(line, 'cac:Item/cbc:Name')).toBe(source.description);
      expect(at(line, 'cac:Item/cac:SellersItemIdentification/cbc:ID')).toBe(source.sku);
      expect(at(line, 'cac:Item/cac:ClassifiedTaxCategory/cbc:ID')).toBe(source.taxCategory);
      const allowances = line['cac:AllowanceCharge'] as Node[] | undefined;
      if (allowances) expect(allowances[0]).toMatchObject({ 'cbc:ChargeIndicator': 'false', 'cbc:AllowanceChargeReasonCode': '95' });
    });
  });

  it.each(samples)('given the $name sample, when its UBL amounts are read back, then they reconcile as EN 16931 requires', ({ document }) => {
    const { root } = parse(renderInvoiceUbl(document));
    const minor = (node: unknown) => parseDecimalMinor(text(node) ?? '', document.currency);
    const lines = at(root, document.kind === 'credit-note' ? 'cac:CreditNoteLine' : 'cac:InvoiceLine') as Node[];
    const totals = at(root, 'cac:LegalMonetaryTotal');
    const lineSum = lines.reduce((sum, line) => sum + minor(line['cbc:LineExtensionAmount']), 0);
    const taxSum = (at(root, 'cac:TaxTotal/cac:TaxSubtotal') as Node[]).reduce((sum, row) => sum + minor(row['cbc:TaxAmount']), 0);

    expect(minor(at(totals, 'cbc:LineExtensionAmount'))).toBe(lineSum); // BR-CO-10
    expect(minor(at(root, 'cac:TaxTotal/cbc:TaxAmount'))).toBe(taxSum); // BR-CO-14
    expect(minor(at(totals, 'cbc:TaxInclusiveAmount'))).toBe(minor(at(totals, 'cbc:TaxExclusiveAmount')) + taxSum); // BR-CO-15
    expect(minor(at(totals, 'cbc:PayableAmount'))).toBe(minor(at(totals, 'cbc:TaxInclusiveAmount')) - minor(at(totals, 'cbc:PrepaidAmount'))); // BR-CO-16
    expect(minor(at(totals, 'cbc:PayableAmount'))).toBe(document.payableMinor);
  });

  it.each([...samples, { name: 'german-b2b', document: germanB2bInvoice() }])('given the $name sample, when rendered as UBL, then every element is in UBL 2.1 schema order', ({ document }) => {
    const ordered = new XMLParser({ preserveOrder: true, ignoreAttributes: true }).parse(renderInvoiceUbl(document)) as Node[];
    const problems: string[] = [];
    const check = (name: string, children: Node[], path: string) => {
      const sequence = ublSequences[name];
      const names = children.map((child) => Object.keys(child).find((key) => key !== ':@')).filter((key): key is string => key !== undefined && key !== '#text');
      if (names.length === 0) return;
      if (!sequence) {
        problems.push(`${path}: no reference sequence for ${name}`);
        return;
      }
      let last = -1;
      for (const child of names) {
        const position = sequence.indexOf(child);
        if (position < 0) problems.push(`${path}/${child}: not expected in ${name}`);
        else if (position < last) problems.push(`${path}/${child}: out of order`);
        else last = position;
      }
      for (const child of children) {
        const childName = Object.keys(child).find((key) => key !== ':@');
        if (childName && childName !== '#text') check(childName, child[childName] as Node[], `${path}/${childName}`);
      }
    };
    const root = ordered.find((node) => !('?xml' in node));
    if (!root) throw new Error('no root');
    const rootName = Object.keys(root).find((key) => key !== ':@') ?? '';
    check(rootName, root[rootName] as Node[], rootName);
    expect(problems).toEqual([]);
  });

  it('given a credit note, when rendered as UBL, then it references the invoice it corrects (BG-3)', () => {
    const { root } = parse(renderInvoiceUbl(eurCreditNote));
    expect(at(root, 'cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID')).toBe('INV-2026-000123');
    expect(at(root, 'cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate')).toBe('2026-03-02');
    expect(at(root, 'cac:InvoiceLine')).toBeUndefined();
  });

  it('given a credit note without its preceding invoice, when rendered as UBL, then it is refused', () => {
    expect(() => renderInvoiceUbl({ ...eurCreditNote, precedingInvoice: undefined })).toThrow(UblDocumentError);
  });

  it('given a buyer without a country, when rendered as UBL, then it is refused naming the business term', () => {
    const document: InvoiceDocument = { ...eurInvoice, buyer: { ...eurInvoice.buyer, address: { ...eurInvoice.buyer.address, country: undefined } } };
    expect(() => renderInvoiceUbl(document)).toThrow(/BT-55/);
  });

  it('given names with markup characters, umlauts, CJK and a control character, when rendered as UBL, then they round-trip as text', () => {
    const name = 'Müller & Söhne <Łódź>\u0007 "東京商事"';
    const xml = renderInvoiceUbl({ ...eurInvoice, buyer: { ...eurInvoice.buyer, name } });
    expect(xml).toContain('Müller &amp; Söhne &lt;Łódź&gt;');
    expect(at(parse(xml).root, 'cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName')).toBe('Müller & Söhne <Łódź> "東京商事"');
  });

  it('given reverse-charge and out-of-scope lines, when rendered as UBL, then the breakdown carries exemption reasons and O no rate', () => {
    const lines = [
      { ...eurInvoice.lines[0]!, taxCategory: 'AE' as const, taxRatePpm: 0 },
      { ...eurInvoice.lines[1]!, taxCategory: 'O' as const, taxRatePpm: 0 },
    ];
    const totals = invoiceTotals(lines);
    const { root } = parse(renderInvoiceUbl({ ...eurInvoice, lines, ...totals }));
    const categories = (at(root, 'cac:TaxTotal/cac:TaxSubtotal') as Node[]).map((row) => at(row, 'cac:TaxCategory') as Node);
    expect(categories.map((category) => [category['cbc:ID'], category['cbc:Percent'], category['cbc:TaxExemptionReasonCode']])).toEqual([
      ['AE', '0', 'VATEX-EU-AE'],
      ['O', undefined, 'VATEX-EU-O'],
    ]);
    const lineCategory = at((at(root, 'cac:InvoiceLine') as Node[])[1], 'cac:Item/cac:ClassifiedTaxCategory') as Node;
    expect(lineCategory['cbc:Percent']).toBeUndefined();
    expect(lineCategory['cbc:TaxExemptionReason']).toBeUndefined();
  });

  it('given a buyer reference is missing, when rendered as UBL, then BT-10 falls back to the order and BT-13 says NA', () => {
    const { root } = parse(renderInvoiceUbl({ ...eurInvoice, buyerReference: undefined }));
    expect(at(root, 'cbc:BuyerReference')).toBe(eurInvoice.orderId);
    expect(at(root, 'cac:OrderReference/cbc:ID')).toBe('NA');
  });
});
