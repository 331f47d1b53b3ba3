import { beforeAll, describe, expect, it } from 'vitest';
import { planCredit } from '#domain/crediting';
import { newCustomer, type Customer } from '#domain/customer';
import { invoiceTotals, type Invoice, type InvoiceDocument } from '#domain/invoice';
import { buildInvoiceDocument, linesForShipment } from '#domain/invoicing';
import { newOrder, type CanonicalOrder, type Order } from '#domain/order';
import { correctedLines } from '#domain/use-cases/reissue-invoice';
import { demoSeller } from '#schemas/seller';
import { isEn16931Currency, renderInvoiceUbl } from '../../../shared/documents/invoice-ubl.ts';
import { Random } from '../../support/cash-ledger.ts';
import { en16931Validator, EN16931_COMPILE_TIMEOUT_MS, fatal, type FailedAssert } from '../../support/en16931.ts';
import { germanB2bInvoice } from '../../fixtures/invoices/german-b2b.ts';
import { eurCreditNote, eurInvoice, jpyInvoice, kwdInvoice } from '../../fixtures/invoices/samples.ts';

const at = '2026-11-23T10:00:00Z';
const issueDate = '2026-11-24';

function orderOf(input: Partial<CanonicalOrder>): { order: Order; customer: Customer } {
  const canonical: CanonicalOrder = {
    source: 'generic',
    externalId: 'ORD-1001',
    orderedAt: at,
    currency: 'EUR',
    customer: { externalId: 'C-42', name: 'Acme GmbH', email: 'ap@acme.example', country: 'DE' },
    lines: [],
    shippingMinor: 0,
    ...input,
  };
  const order = newOrder(canonical, { orderId: '01KORDER0000000000000000001', customerId: '01KCUST00000000000000000001' }, at);
  const customer = newCustomer({ id: order.customerId, source: 'generic', externalId: canonical.customer.externalId, name: canonical.customer.name, email: canonical.customer.email, country: canonical.customer.country, currency: canonical.currency }, 1_000_000, at);
  return { order, customer };
}

/** The invoice of one shipment, built the way issue-invoice does it; `order` comes back with its invoiced state. */
function invoiceFor(order: Order, customer: Customer, shipped: Record<string, number>, number: string): { invoice: Invoice; order: Order } {
  const id = `01KINV${number.replace(/\D/g, '').padStart(20, '0')}`;
  const { lines, taxBreakdown, prepaidMinor, invoiced } = linesForShipment(order, shipped, id);
  const document = buildInvoiceDocument({ id, number, issueDate, order, customer, seller: demoSeller, lines, taxBreakdown, prepaidMinor, paymentReference: 'RF18539007547034' });
  const invoice: Invoice = { id, customerId: customer.id, orderId: order.id, shipmentKey: `DHL#${number}`, document, status: 'OPEN', openMinor: document.payableMinor, email: { status: 'PENDING', attempts: 0 }, createdAt: at, updatedAt: at, version: 1 };
  return { invoice, order: { ...order, invoiced } };
}

/** A credit note built the way issue-credit-note does it. */
function creditNoteFor(invoice: Invoice, request: Parameters<typeof planCredit>[1], number: string): InvoiceDocument {
  const { lines, totals } = planCredit(invoice, request);
  return { ...invoice.document, kind: 'credit-note', id: `01KCN${number}`, number, issueDate, dueDate: issueDate, precedingInvoice: { number: invoice.document.number, issueDate: invoice.document.issueDate }, lines, ...totals, paymentReference: 'RF18539007547034', notes: ['Returned goods'] };
}

/** A validation takes 0.1–0.4 s (more on a busy CI machine); a random order renders up to twelve documents. */
const VALIDATION_TIMEOUT_MS = 60_000;

const all = (order: Order) => Object.fromEntries(order.lines.map((line) => [line.sku, line.quantity]));

const multiRate = orderOf({
  lines: [
    { sku: 'WIDGET-1', description: 'Widget', quantity: 3, unitPriceMinor: 1999, taxRatePpm: 190_000 },
    { sku: 'BOOK-7', description: 'Handbook', quantity: 2, unitPriceMinor: 1245, taxRatePpm: 70_000, discountMinor: 100 },
    { sku: 'GADGET-2', description: 'Gadget', quantity: 1, unitPriceMinor: 4999, taxRatePpm: 190_000 },
  ],
  shippingMinor: 495,
  shippingTaxRatePpm: 190_000,
});
const multiRateInvoice = invoiceFor(multiRate.order, multiRate.customer, all(multiRate.order), 'INV-2026-000101').invoice;

const partial = orderOf({ lines: [{ sku: 'WIDGET-1', description: 'Widget', quantity: 3, unitPriceMinor: 1999, taxRatePpm: 190_000 }], shippingMinor: 495, shippingTaxRatePpm: 190_000 });
const firstShipment = invoiceFor(partial.order, partial.customer, { 'WIDGET-1': 1 }, 'INV-2026-000102');
const secondShipment = invoiceFor(firstShipment.order, partial.customer, { 'WIDGET-1': 2 }, 'INV-2026-000103');

const inclusive = orderOf({ taxesIncluded: true, lines: [{ sku: 'TEE', description: 'T-shirt', quantity: 3, unitPriceMinor: 1999, taxRatePpm: 190_000 }, { sku: 'MUG', description: 'Mug', quantity: 1, unitPriceMinor: 899, taxRatePpm: 70_000 }], shippingMinor: 495, shippingTaxRatePpm: 190_000 });
const jpy = orderOf({ currency: 'JPY', lines: [{ sku: 'TEA-JP', description: 'Sencha', quantity: 3, unitPriceMinor: 333, taxRatePpm: 80_000 }], shippingMinor: 800, shippingTaxRatePpm: 100_000 });

const reissueLines = correctedLines(multiRateInvoice.document.lines, [{ lineNumber: 1, unitPriceMinor: 1799 }]);
const reissue: InvoiceDocument = { ...multiRateInvoice.document, id: '01KREISSUE', number: 'INV-2026-000104', lines: reissueLines, ...invoiceTotals(reissueLines), notes: [`Replaces invoice ${multiRateInvoice.document.number}: price agreed`] };
const prepaid: InvoiceDocument = { ...multiRateInvoice.document, ...invoiceTotals(multiRateInvoice.document.lines, 5000, multiRateInvoice.document.taxBreakdown) };

const documents: { name: string; document: InvoiceDocument }[] = [
  { name: 'an invoice with two tax rates, a discount and shipping', document: multiRateInvoice.document },
  { name: 'the first invoice of a partial shipment', document: firstShipment.invoice.document },
  { name: 'the second invoice of a partial shipment', document: secondShipment.invoice.document },
  { name: 'an invoice of a tax-inclusive order', document: invoiceFor(inclusive.order, inclusive.customer, all(inclusive.order), 'INV-2026-000105').invoice.document },
  { name: 'a JPY invoice', document: invoiceFor(jpy.order, jpy.customer, all(jpy.order), 'INV-2026-000106').invoice.document },
  { name: 'a credit note by lines', document: creditNoteFor(multiRateInvoice, { kind: 'lines', lines: [{ lineNumber: 1, quantity: 1 }, { lineNumber: 2, quantity: 2 }] }, 'CN-2026-000001') },
  { name: 'a credit note by amount', document: creditNoteFor(multiRateInvoice, { kind: 'amount', amountMinor: 1000 }, 'CN-2026-000002') },
  { name: 'a corrected reissue', document: reissue },
  { name: 'a prepaid invoice', document: prepaid },
  { name: 'a domestic German B2B invoice from a generic order', document: germanB2bInvoice() },
  { name: 'the EUR sample', document: eurInvoice },
  { name: 'the EUR credit note sample', document: eurCreditNote },
  { name: 'the JPY sample', document: jpyInvoice },
];

describe('EN 16931 validation (the official CEN schematron as XSLT)', () => {
  let validate: (xml: string) => FailedAssert[];
  beforeAll(async () => {
    validate = await en16931Validator();
  }, EN16931_COMPILE_TIMEOUT_MS);

  it.each(documents)('given $name, when rendered as UBL, then the validator finds no fatal rule broken', ({ document }) => {
    const failures = fatal(validate(renderInvoiceUbl(document)));
    expect(failures, failures.join('\n')).toEqual([]);
  }, VALIDATION_TIMEOUT_MS);

  it('given a KWD invoice (three decimals), when rendered, then it claims no EN 16931 conformance and breaks only the two-decimal rules', () => {
    const xml = renderInvoiceUbl(kwdInvoice);
    expect(xml).not.toContain('<cbc:CustomizationID>');
    expect(xml).toContain('<cbc:PayableAmount currencyID="KWD">10.470</cbc:PayableAmount>'); // exact, never rounded to fit
    // What the validator finds: the missing claim (BR-01) and the decimals (BR-DEC, UBL-DT-01; its BR-CO sums round
    // to two decimals too). The same minor units read as a two-decimal currency pass: nothing else is wrong with it.
    const broken = new Set(fatal(validate(xml)).map((failure) => failure.split(' ')[0]));
    expect(broken).toContain('BR-01');
    expect(broken).toContain('BR-DEC-18'); // BT-115, the amount due
    const asTwoDecimals = fatal(validate(renderInvoiceUbl({ ...kwdInvoice, currency: 'EUR' })));
    expect(asTwoDecimals, asTwoDecimals.join('\n')).toEqual([]);
  }, VALIDATION_TIMEOUT_MS);

  it('given an invoice whose total disagrees with its net and tax, when validated, then BR-CO-15 is reported fatal (the validator can fail)', () => {
    const broken = { ...multiRateInvoice.document, totalMinor: multiRateInvoice.document.totalMinor + 1, payableMinor: multiRateInvoice.document.payableMinor + 1 };
    const failures = fatal(validate(renderInvoiceUbl(broken)));
    expect(failures).toEqual([expect.stringMatching(/^BR-CO-15 at \/Invoice\[1\]: \[BR-CO-15\]-Invoice total amount with VAT/)]);
  }, VALIDATION_TIMEOUT_MS);

  /**
   * Random orders (seeded, replayable) in EUR, JPY, USD and KWD: up to six lines at EU, Japanese and US rates, discounts, free lines, tax-
   * inclusive prices, shipping, each line shipped in up to three parts, then a credit by lines, a credit by amount
   * and a prepayment. Every document the domain builds from them must pass.
   */
  it.each(Array.from({ length: 8 }, (_, index) => 5000 + index))('given random order %i, when every invoice, credit note and prepaid variant is rendered, then none breaks a fatal rule', (seed) => {
    const random = new Random(seed);
    const currency = random.weighted([['EUR', 4], ['JPY', 2], ['USD', 1], ['KWD', 2]] as const);
    const rates = [190_000, 70_000, 0, 100_000, 80_000, 88_750, 55_000];
    const lines = Array.from({ length: random.int(1, 6) }, (_, index) => {
      const quantity = random.int(1, 12);
      const unitPriceMinor = random.chance(0.1) ? 0 : random.int(1, 250_000);
      return { sku: `SKU-${index}`, description: `Item ${index}`, quantity, unitPriceMinor, taxRatePpm: random.pick(rates), discountMinor: random.chance(0.3) ? random.int(0, quantity * unitPriceMinor) : 0 };
    });
    let { order } = orderOf({ currency, lines, taxesIncluded: random.chance(0.25), shippingMinor: random.chance(0.6) ? random.int(1, 5_000) : 0, shippingTaxRatePpm: random.pick(rates) });
    const { customer } = orderOf({ currency, lines });
    // Each line's units leave in up to three shipments.
    const shipments: Record<string, number>[] = [{}, {}, {}];
    for (const line of order.lines) {
      let left = line.quantity;
      for (const shipment of shipments) {
        const take = shipment === shipments[2] ? left : random.int(0, left);
        if (take > 0) shipment[line.sku] = (shipment[line.sku] ?? 0) + take;
        left -= take;
      }
    }
    const produced: { label: string; document: InvoiceDocument }[] = [];
    for (const [index, shipped] of shipments.entries()) {
      if (Object.keys(shipped).length === 0) continue;
      const issued = invoiceFor(order, customer, shipped, `INV-2026-${String(seed * 10 + index).padStart(6, '0')}`);
      order = issued.order;
      const { invoice } = issued;
      produced.push({ label: `invoice ${index + 1}`, document: invoice.document });
      const first = invoice.document.lines[0]!;
      produced.push({ label: `credit by lines on ${index + 1}`, document: creditNoteFor(invoice, { kind: 'lines', lines: [{ lineNumber: first.lineNumber, quantity: random.int(1, first.quantity) }] }, `CN-2026-${seed}${index}1`) });
      if (invoice.document.totalMinor > 0) {
        produced.push({ label: `credit by amount on ${index + 1}`, document: creditNoteFor(invoice, { kind: 'amount', amountMinor: random.int(1, invoice.document.totalMinor) }, `CN-2026-${seed}${index}2`) });
        produced.push({ label: `prepaid ${index + 1}`, document: { ...invoice.document, ...invoiceTotals(invoice.document.lines, random.int(1, invoice.document.totalMinor), invoice.document.taxBreakdown) } });
      }
    }
    // A three-decimal currency is plain UBL 2.1 (see the KWD test above); its structure and arithmetic are checked
    // on the same minor units read as a two-decimal currency, since the validator sums at two decimals.
    const asValidated = (document: InvoiceDocument) => (isEn16931Currency(document.currency) ? document : { ...document, currency: 'EUR' });
    const failures = produced.flatMap(({ label, document }) => fatal(validate(renderInvoiceUbl(asValidated(document)))).map((failure) => `${label}: ${failure}`));
    expect(failures, failures.join('\n')).toEqual([]);
  }, VALIDATION_TIMEOUT_MS);
});
