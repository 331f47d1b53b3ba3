/**
 * The EN 16931 e-invoice beside every PDF: a UBL 2.1 `Invoice` (type 380) or `CreditNote` (type 381) that a buyer's
 * accounts-payable system can book without retyping. UBL is order-sensitive (the schemas are `xsd:sequence`s), so
 * the builders below emit elements in schema order, checked against the CEN/TC 434 and Peppol BIS 3 examples
 * (see test/fixtures/invoices/SOURCES.md). The tests run every kind of document we issue through the official
 * EN 16931 validation artefact (test/fixtures/en16931/) and require zero fatal findings.
 *
 * Amounts carry the currency's ISO 4217 exponent (JPY `1500`, EUR `19.99`, KWD `12.345`), built from the minor
 * units by string arithmetic. EN 16931's BR-DEC rules (and UBL-DT-01) allow two decimals at most; a three-decimal
 * currency (KWD, BHD, OMR, JOD, TND, LYD, IQD) cannot meet them without changing what the buyer owes. For those we
 * still write the UBL with the exact amounts, but as plain UBL 2.1: without the EN 16931 customization id (BT-24),
 * so it claims no conformance it does not have. Its structure and arithmetic are otherwise EN 16931's: the same
 * minor units in a two-decimal currency pass the official validator (a test checks).
 */
import { XMLBuilder } from 'fast-xml-parser';
import { minorUnitDigits } from '#domain/money';
import type { Address } from '#domain/order';
import { termsText, type InvoiceDocument, type InvoiceLine, type Party, type TaxCategory } from '#domain/invoice';
import { compactIdentifier, formatQuantity, minorToDecimalString, ppmToPercentString, taxExemption } from './format.ts';

/**
 * The children of an element in fast-xml-parser's ordered form: each entry one element, `{ 'cbc:ID': children }`
 * (its attributes under `':@'`, `{ '@_currencyID': 'EUR' }`), or one text node, `{ '#text': '100.00' }`. An array,
 * not an object keyed by name, so repeated and interleaved elements keep the order the builders below emit.
 */
type Children = XmlNode[];
type XmlNode = { [name: string]: Children | Record<string, string> | string };

export const UBL_NAMESPACES = {
  invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  creditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
} as const;

/** BT-24: the core EN 16931 specification, without a CIUS on top. */
export const EN16931_CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017';

/** EN 16931 amounts have at most two decimals (BR-DEC-01 … BR-DEC-27). */
const EN16931_MAX_DECIMALS = 2;

/** True when an invoice in `currency` can be an EN 16931 invoice: its amounts fit the two-decimal rules exactly. */
export function isEn16931Currency(currency: string): boolean {
  return minorUnitDigits(currency) <= EN16931_MAX_DECIMALS;
}

/** UNCL 4461 code 58: SEPA credit transfer (BT-81). */
const SEPA_CREDIT_TRANSFER = '58';
/** UNCL 5189 code 95: discount (BT-140), the reason of a line allowance. */
const DISCOUNT_REASON_CODE = '95';
/** UN/ECE Rec 20 `C62`: "one", a unit for counted items (BT-130). */
const UNIT_CODE_PIECE = 'C62';

/** A document field that cannot be left out of an EN 16931 invoice is missing. */
export class UblDocumentError extends Error {
  override name = 'UblDocumentError';
}

/** XML 1.0 cannot carry C0 controls other than tab, LF and CR, nor U+FFFE / U+FFFF; the builder would write them raw. */
// eslint-disable-next-line no-control-regex
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
/** A surrogate without its pair is no character: UTF-8 has no encoding for it, the stored file would get U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const clean = (text: string): string => text.replace(XML_FORBIDDEN, '').replace(LONE_SURROGATE, '\uFFFD');

/**
 * Every `&`, `<` and `>` of a text as a reference: all of them, so a store's `AT&amp;T` or `&#0;` stays text (and
 * the document well-formed), and `>` too, so `]]>` cannot appear. Quotes need none in text.
 */
const escapeText = (text: string): string => clean(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** An attribute value is also delimited by `"`. */
const escapeAttribute = (text: string): string => escapeText(text).replace(/"/g, '&quot;');

/**
 * Writes the ordered tree indented by two spaces, an element without children as `<name/>`. The escaping is ours
 * (`processEntities` off): the builder's own would also write every quote in a text as `&quot;` / `&apos;`.
 */
const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  processEntities: false,
  tagValueProcessor: (_name, value) => escapeText(String(value)),
  attributeValueProcessor: (_name, value) => escapeAttribute(String(value)),
});

function element(parent: Children, name: string, children: Children, attributes?: Record<string, string>): Children {
  const node: XmlNode = { [name]: children };
  if (attributes) node[':@'] = Object.fromEntries(Object.entries(attributes).map(([key, value]) => [`@_${key}`, value]));
  parent.push(node);
  return children;
}

/** Adds `cbc:name` with text (skipped when the value is absent or blank, so optional terms stay out). */
function cbc(parent: Children, name: string, value: string | undefined, attributes?: Record<string, string>): void {
  if (value === undefined || value.trim() === '') return;
  element(parent, `cbc:${name}`, [{ '#text': value }], attributes);
}

function cac(parent: Children, name: string): Children {
  return element(parent, `cac:${name}`, []);
}

/**
 * Renders the document as a UBL 2.1 Invoice or CreditNote carrying the EN 16931 mandatory business terms
 * (BT-1 number, BT-2 issue date, BT-3 type, BT-5 currency, BT-9 due date, BT-10 buyer reference, the parties with
 * postal addresses and country codes, the seller's VAT id, payment instructions with the RF reference, the VAT
 * breakdown and the document totals), plus a line per invoice line.
 *
 * @throws UblDocumentError when seller or buyer has no country (BT-40 / BT-55 are mandatory): an e-invoice a
 *   receiver must reject is worse than none, and the caller can still send the PDF.
 */
export function renderInvoiceUbl(document: InvoiceDocument): string {
  const isCredit = document.kind === 'credit-note';
  const currency = document.currency;
  const amount = (parent: Children, name: string, minor: number) => cbc(parent, name, minorToDecimalString(minor, currency), { currencyID: currency });

  const tree: Children = [];
  element(tree, '?xml', [], { version: '1.0', encoding: 'UTF-8' });
  const root = element(tree, isCredit ? 'CreditNote' : 'Invoice', [], {
    xmlns: isCredit ? UBL_NAMESPACES.creditNote : UBL_NAMESPACES.invoice,
    'xmlns:cac': UBL_NAMESPACES.cac,
    'xmlns:cbc': UBL_NAMESPACES.cbc,
  });

  if (isEn16931Currency(currency)) cbc(root, 'CustomizationID', EN16931_CUSTOMIZATION_ID);
  cbc(root, 'ID', document.number);
  cbc(root, 'IssueDate', document.issueDate);
  // BT-9: a UBL CreditNote has no root DueDate; EN 16931 binds it to PaymentMeans/PaymentDueDate there.
  if (!isCredit) cbc(root, 'DueDate', document.dueDate);
  cbc(root, isCredit ? 'CreditNoteTypeCode' : 'InvoiceTypeCode', isCredit ? '381' : '380');
  for (const note of document.notes) cbc(root, 'Note', note);
  cbc(root, 'DocumentCurrencyCode', currency);
  // BT-10 (required by Peppol and XRechnung): the buyer's reference, else our order id so the buyer can route it.
  cbc(root, 'BuyerReference', document.buyerReference ?? document.orderId);

  // BT-13 purchase order reference (mandatory ID in UBL, "NA" when the buyer gave none) and BT-14 our sales order.
  const order = cac(root, 'OrderReference');
  cbc(order, 'ID', document.buyerReference ?? 'NA');
  cbc(order, 'SalesOrderID', document.orderId);

  if (document.precedingInvoice) {
    // BG-3: the invoice this credit note corrects (BT-25 number, BT-26 date).
    const reference = cac(cac(root, 'BillingReference'), 'InvoiceDocumentReference');
    cbc(reference, 'ID', document.precedingInvoice.number);
    cbc(reference, 'IssueDate', document.precedingInvoice.issueDate);
  } else if (isCredit) {
    throw new UblDocumentError(`credit note ${document.number} has no preceding invoice (BG-3)`);
  }

  party(cac(root, 'AccountingSupplierParty'), document.seller, 'seller', 'BT-40');
  party(cac(root, 'AccountingCustomerParty'), document.buyer, 'buyer', 'BT-55');
  // BT-72: the date the goods were delivered (the shipment's), which §14 UStG requires on every German invoice.
  if (document.deliveryDate) cbc(cac(root, 'Delivery'), 'ActualDeliveryDate', document.deliveryDate);

  paymentMeans(root, document, isCredit);
  cbc(cac(root, 'PaymentTerms'), 'Note', termsText(document.terms));

  const taxTotal = cac(root, 'TaxTotal');
  amount(taxTotal, 'TaxAmount', document.taxTotalMinor);
  for (const group of document.taxBreakdown) {
    const subtotal = cac(taxTotal, 'TaxSubtotal');
    amount(subtotal, 'TaxableAmount', group.taxableMinor);
    amount(subtotal, 'TaxAmount', group.taxMinor);
    taxCategory(cac(subtotal, 'TaxCategory'), group.taxCategory, group.taxRatePpm, true);
  }

  // No document-level allowances or charges: shipping is a line, so tax exclusive = sum of line nets.
  const totals = cac(root, 'LegalMonetaryTotal');
  amount(totals, 'LineExtensionAmount', document.lineNetTotalMinor);
  amount(totals, 'TaxExclusiveAmount', document.lineNetTotalMinor);
  amount(totals, 'TaxInclusiveAmount', document.totalMinor);
  amount(totals, 'PrepaidAmount', document.prepaidMinor);
  amount(totals, 'PayableAmount', document.payableMinor);

  for (const line of document.lines) invoiceLine(root, line, currency, isCredit);

  return builder.build(tree);
}

function party(parent: Children, subject: Party, role: 'seller' | 'buyer', countryTerm: string): void {
  const node = cac(parent, 'Party');
  // BT-29 / BT-46: the party's identifier (for the buyer, our customer number), without a scheme: our own numbering.
  if (subject.identifier) cbc(cac(node, 'PartyIdentification'), 'ID', subject.identifier);
  postalAddress(cac(node, 'PostalAddress'), subject.address, role, countryTerm);
  if (subject.vatId) {
    const scheme = cac(node, 'PartyTaxScheme');
    cbc(scheme, 'CompanyID', compactIdentifier(subject.vatId));
    cbc(cac(scheme, 'TaxScheme'), 'ID', 'VAT');
  }
  // BT-27 / BT-44: the legal name goes in PartyLegalEntity/RegistrationName.
  const legal = cac(node, 'PartyLegalEntity');
  cbc(legal, 'RegistrationName', subject.name);
  cbc(legal, 'CompanyID', subject.registrationId);
  // BT-56 / BT-58: the contact point, e.g. the billing address's attention line ("Kreditorenbuchhaltung").
  const attention = contactName(subject);
  if (attention || subject.email) {
    const contact = cac(node, 'Contact');
    cbc(contact, 'Name', attention);
    cbc(contact, 'ElectronicMail', subject.email);
  }
}

/** The address's person or department, when it is not just the party's own name again. */
function contactName(subject: Party): string | undefined {
  const name = subject.address.name?.trim();
  return name && name !== subject.name && name !== subject.address.company ? name : undefined;
}

function postalAddress(node: Children, address: Address, role: string, countryTerm: string): void {
  const country = address.country?.trim().toUpperCase();
  if (!country || !/^[A-Z]{2}$/.test(country)) {
    throw new UblDocumentError(`the ${role}'s address has no ISO 3166 country code (${countryTerm} is mandatory)`);
  }
  cbc(node, 'StreetName', address.line1);
  cbc(node, 'AdditionalStreetName', address.line2);
  cbc(node, 'CityName', address.city);
  cbc(node, 'PostalZone', address.postalCode);
  cbc(node, 'CountrySubentity', address.region);
  cbc(cac(node, 'Country'), 'IdentificationCode', country);
}

function paymentMeans(root: Children, document: InvoiceDocument, isCredit: boolean): void {
  const means = cac(root, 'PaymentMeans');
  cbc(means, 'PaymentMeansCode', SEPA_CREDIT_TRANSFER);
  if (isCredit) cbc(means, 'PaymentDueDate', document.dueDate);
  // BT-83 remittance information: the ISO 11649 reference cash application matches on.
  cbc(means, 'PaymentID', compactIdentifier(document.paymentReference));
  const instructions = document.paymentInstructions;
  const account = cac(means, 'PayeeFinancialAccount');
  cbc(account, 'ID', compactIdentifier(instructions.iban));
  cbc(account, 'Name', instructions.accountName);
  if (instructions.bic) cbc(cac(account, 'FinancialInstitutionBranch'), 'ID', compactIdentifier(instructions.bic));
}

/**
 * A UBL TaxCategory / ClassifiedTaxCategory. Category O carries no rate (BR-O-05); E, AE and O carry an exemption
 * reason in the VAT breakdown (BR-E-10, BR-AE-10, BR-O-10), which lines must not repeat.
 */
function taxCategory(node: Children, category: TaxCategory, ratePpm: number, withExemption: boolean): void {
  cbc(node, 'ID', category);
  if (category !== 'O') cbc(node, 'Percent', ppmToPercentString(ratePpm));
  const exemption = withExemption ? taxExemption(category) : undefined;
  if (exemption) {
    cbc(node, 'TaxExemptionReasonCode', exemption.code);
    cbc(node, 'TaxExemptionReason', exemption.reason);
  }
  cbc(cac(node, 'TaxScheme'), 'ID', 'VAT');
}

function invoiceLine(root: Children, line: InvoiceLine, currency: string, isCredit: boolean): void {
  const amount = (parent: Children, name: string, minor: number) => cbc(parent, name, minorToDecimalString(minor, currency), { currencyID: currency });
  const node = cac(root, isCredit ? 'CreditNoteLine' : 'InvoiceLine');
  cbc(node, 'ID', String(line.lineNumber));
  cbc(node, isCredit ? 'CreditedQuantity' : 'InvoicedQuantity', formatQuantity(line.quantity), { unitCode: UNIT_CODE_PIECE });
  amount(node, 'LineExtensionAmount', line.netMinor);
  if (line.discountMinor !== 0) {
    // BG-27: net = quantity × price − this allowance (BR-LIN-04 holds because the domain computed net that way).
    const allowance = cac(node, 'AllowanceCharge');
    cbc(allowance, 'ChargeIndicator', 'false');
    cbc(allowance, 'AllowanceChargeReasonCode', DISCOUNT_REASON_CODE);
    cbc(allowance, 'AllowanceChargeReason', 'Discount');
    amount(allowance, 'Amount', line.discountMinor);
  }
  const item = cac(node, 'Item');
  // BT-153 is mandatory: a line without a description is named by its SKU.
  cbc(item, 'Name', line.description.trim() === '' ? line.sku : line.description);
  if (line.sku.trim() !== '') cbc(cac(item, 'SellersItemIdentification'), 'ID', line.sku);
  taxCategory(cac(item, 'ClassifiedTaxCategory'), line.taxCategory, line.taxRatePpm, false);
  amount(cac(node, 'Price'), 'PriceAmount', line.unitPriceMinor);
}
