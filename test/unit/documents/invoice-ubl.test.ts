import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { invoiceTotals, type InvoiceDocument, type Party } from '#domain/invoice';
import { parseDecimalMinor } from '#domain/money';
import { compactIdentifier } from '../../../shared/documents/format.ts';
import { EN16931_CUSTOMIZATION_ID, renderInvoiceUbl, UBL_NAMESPACES, UblDocumentError } from '../../../shared/documents/invoice-ubl.ts';
import { Random } from '../../support/cash-ledger.ts';
import { xmlParseError } from '../../support/en16931.ts';
import { hostileTexts, randomText } from '../../support/fuzz.ts';
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

/** Every text exactly as the document carries it: not trimmed (the indentation between elements lands in `#text`). */
const verbatim = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, parseAttributeValue: false, trimValues: false, isArray: (name) => repeated.has(name) });

/** Pieces of hostile text: markup, entity look-alikes, line ends, characters XML 1.0 cannot carry, lone surrogates. */
const hostilePieces = ['&', '<', '>', '"', "'", ']]>', '&amp;', '&lt;', '&#65;', '&#0;', '&foo;', '<!--', '<![CDATA[', '\r\n', '\r', '\n', '\t', ' ', '\u0000', '\u0008', '\u000B', '\u001F', '\u007F', '\u0085', '\uD800', '\uDFFF', '\uFFFE', '\uFFFF', '😀', 'ü', '東', '\u202E', 'a', '0', ';', '#'];

function hostileText(random: Random): string {
  const kind = random.int(0, 2);
  if (kind === 0) return random.pick(hostileTexts);
  if (kind === 1) return randomText(random, random.int(1, 40));
  return Array.from({ length: random.int(1, 30) }, () => random.pick(hostilePieces)).join('');
}

// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The text a reader gets back for a value we wrote: characters XML 1.0 cannot carry are dropped (lone surrogates,
 * which UTF-8 cannot encode, become U+FFFD) and line ends read as `\n` (XML 1.0 §2.11). A blank value is left out.
 */
function readBack(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return value
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '') // eslint-disable-line no-control-regex
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/\r\n?/g, '\n');
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

  it('given hostile text in every free-text field (seeded), when rendered as UBL, then the XML is well-formed and every field reads back as the text given', () => {
    const problems: string[] = [];
    for (let seed = 1; seed <= 150; seed++) {
      const random = new Random(seed);
      const hostile = () => hostileText(random);
      const maybe = () => (random.chance(0.8) ? hostile() : undefined);
      const hostileParty = (party: Party): Party => ({
        ...party,
        name: hostile(),
        identifier: maybe(),
        vatId: maybe(),
        registrationId: maybe(),
        email: maybe(),
        address: { ...party.address, name: maybe(), company: maybe(), line1: maybe(), line2: maybe(), city: maybe(), postalCode: maybe(), region: maybe() },
      });
      const base = random.pick(samples).document;
      const document: InvoiceDocument = {
        ...base,
        number: hostile(),
        orderId: hostile(),
        buyerReference: hostile(),
        paymentReference: hostile(),
        precedingInvoice: base.precedingInvoice && { ...base.precedingInvoice, number: hostile() },
        notes: Array.from({ length: random.int(0, 3) }, hostile),
        seller: hostileParty(base.seller),
        buyer: hostileParty(base.buyer),
        paymentInstructions: { ...base.paymentInstructions, accountName: hostile(), iban: hostile(), bic: maybe() },
        lines: base.lines.map((line) => ({ ...line, sku: hostile(), description: hostile() })),
      };
      const xml = renderInvoiceUbl(document);

      const wellFormed = XMLValidator.validate(xml);
      if (wellFormed !== true) problems.push(`seed ${seed}: ${wellFormed.err.msg}`);
      for (const match of xml.match(NOT_XML_CHAR) ?? []) problems.push(`seed ${seed}: not an XML 1.0 character: U+${match.charCodeAt(0).toString(16)}`);
      // We write the five predefined entities only, so no `&#0;` or `&foo;` (which a strict parser refuses) and no `]]>`.
      for (const match of xml.match(/&(?!(?:amp|lt|gt|quot);)[^;]{0,8};?|]]>/g) ?? []) problems.push(`seed ${seed}: ${JSON.stringify(match)} in the markup`);
      const refused = xmlParseError(xml);
      if (refused) problems.push(`seed ${seed}: the validator's XML parser refuses it: ${refused}`);

      const parsed = verbatim.parse(xml) as Node;
      const root = (parsed.Invoice ?? parsed.CreditNote) as Node;
      const expect_ = (path: string, value: string | undefined, from = root) => {
        const got = text(at(from, path));
        if (got !== readBack(value)) problems.push(`seed ${seed}: ${path} is ${JSON.stringify(got)}, wrote ${JSON.stringify(value)}`);
      };
      expect_('cbc:ID', document.number);
      expect_('cbc:BuyerReference', document.buyerReference);
      expect_('cac:OrderReference/cbc:ID', document.buyerReference);
      expect_('cac:OrderReference/cbc:SalesOrderID', document.orderId);
      expect_('cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID', document.precedingInvoice?.number);
      const notes = ((root['cbc:Note'] ?? []) as unknown[]).map(text);
      const wroteNotes = document.notes.map(readBack).filter((note) => note !== undefined);
      if (JSON.stringify(notes) !== JSON.stringify(wroteNotes)) problems.push(`seed ${seed}: notes ${JSON.stringify(notes)}, wrote ${JSON.stringify(document.notes)}`);
      for (const [path, party] of [['cac:AccountingSupplierParty/cac:Party', document.seller], ['cac:AccountingCustomerParty/cac:Party', document.buyer]] as const) {
        const node = at(root, path) as Node;
        expect_('cac:PartyLegalEntity/cbc:RegistrationName', party.name, node);
        expect_('cac:PartyLegalEntity/cbc:CompanyID', party.registrationId, node);
        expect_('cac:PartyIdentification/cbc:ID', party.identifier, node);
        expect_('cac:PartyTaxScheme/cbc:CompanyID', party.vatId && compactIdentifier(party.vatId), node);
        expect_('cac:Contact/cbc:ElectronicMail', party.email, node);
        const attention = party.address.name?.trim();
        expect_('cac:Contact/cbc:Name', attention !== party.name && attention !== party.address.company ? attention : undefined, node);
        expect_('cac:PostalAddress/cbc:StreetName', party.address.line1, node);
        expect_('cac:PostalAddress/cbc:AdditionalStreetName', party.address.line2, node);
        expect_('cac:PostalAddress/cbc:CityName', party.address.city, node);
        expect_('cac:PostalAddress/cbc:PostalZone', party.address.postalCode, node);
        expect_('cac:PostalAddress/cbc:CountrySubentity', party.address.region, node);
      }
      expect_('cac:PaymentMeans/cbc:PaymentID', compactIdentifier(document.paymentReference));
      expect_('cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID', compactIdentifier(document.paymentInstructions.iban));
      expect_('cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:Name', document.paymentInstructions.accountName);
      const bic = document.paymentInstructions.bic;
      expect_('cac:PaymentMeans/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID', bic && compactIdentifier(bic));
      const lines = root[document.kind === 'credit-note' ? 'cac:CreditNoteLine' : 'cac:InvoiceLine'] as Node[];
      document.lines.forEach((line, index) => {
        expect_('cac:Item/cbc:Name', line.description.trim() === '' ? line.sku : line.description, lines[index]);
        expect_('cac:Item/cac:SellersItemIdentification/cbc:ID', line.sku, lines[index]);
      });
    }
    expect(problems).toEqual([]);
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
