import { describe, expect, it } from 'vitest';
import { createBusiness, type SimCustomer, type SimOrder } from '../../../../local/simulate/business.ts';
import {
  appliedReferences,
  bookOpenMinor,
  booksExposure,
  booksStatement,
  businessOrderLookup,
  compareByKey,
  compareStatement,
  duplicateInvoiceLines,
  duplicateOrderLines,
  judgeNumbering,
  orderExposureMinor,
  orderTotalMinor,
  type ListedDocument,
} from '../../../../local/simulate/books-figures.ts';
import type { BookInvoice, BookOrder, SentPayment } from '../../../../local/simulate/driver.ts';

const customer: SimCustomer = { externalId: 'S1-C001', name: 'Alpen Berg GmbH', email: 'ap1@s1.simulated.example', country: 'DE', habit: { kind: 'partial', restAfterDays: 7 }, termsDays: 21, account: 'DE00', channel: 'shopify' };

const simOrder = (externalId: string, overrides: Partial<SimOrder> = {}): SimOrder => ({
  externalId,
  day: 0,
  customer,
  lines: [{ sku: 'A', quantity: 3, unitPriceMinor: 1999, taxRatePercent: 19 }],
  shippingMinor: 495,
  prepaid: false,
  cancelled: false,
  splitShipment: false,
  ...overrides,
});

const bookOrder = (externalId: string, overrides: Partial<BookOrder> = {}): BookOrder => ({
  externalId,
  placed: simOrder(externalId),
  shipments: [],
  source: 'shopify',
  o2cExternalId: externalId,
  customer,
  customerId: 'CUST-1',
  day: 0,
  answer: 202,
  orderId: `ORD-${externalId}`,
  status: 'INVOICED',
  ...overrides,
});

const bookInvoice = (id: string, overrides: Partial<BookInvoice> = {}): BookInvoice => ({
  id,
  key: `${id}#1`,
  number: `INV-2026-${id.padStart(6, '0')}`,
  orderId: `ORD-${id}`,
  totalMinor: 10_000,
  issueDate: '2026-12-06',
  discountMinor: 0,
  customer,
  currency: 'EUR',
  payableMinor: 10_000,
  dueDate: '2026-12-20',
  reference: `RF00${id}`,
  paid: [],
  planned: [],
  creditedMinor: 0,
  externalId: id,
  bookedOn: '2026-12-01',
  ...overrides,
});

const payment = (bankReference: string, outcome: SentPayment['outcome']): SentPayment => ({ bankReference, date: '2026-12-10', amountMinor: 0, invoices: [], outcome });

describe('an order total by the books', () => {
  it('given 19.99 × 3 at 19 % and untaxed shipping, when priced, then tax is rounded half up on the net and shipping is added as is', () => {
    expect(orderTotalMinor(simOrder('O1'))).toBe(5_997 + 1_139 + 495);
  });

  it('given two 0.07 lines at 19 %, when priced, then tax is rounded once over the rate (0.03), not per line (0.02)', () => {
    const lines = [
      { sku: 'A', quantity: 1, unitPriceMinor: 7, taxRatePercent: 19 },
      { sku: 'B', quantity: 1, unitPriceMinor: 7, taxRatePercent: 19 },
    ];

    expect(orderTotalMinor({ lines, shippingMinor: 0 })).toBe(17);
  });

  it('given a prepaid store order, then it adds nothing to exposure; given the same order sent generic (prepayment dropped), then its whole total', () => {
    const prepaid = simOrder('O1', { prepaid: true });

    expect(orderExposureMinor(prepaid, 'shopify')).toBe(0);
    expect(orderExposureMinor(prepaid, 'generic')).toBe(orderTotalMinor(prepaid));
  });
});

describe('the business order behind a book order', () => {
  it('given a seeded business, when a book order of day 2 is looked up, then it is the order the business placed that day', () => {
    const business = createBusiness({ seed: 5, customers: 4, ordersPerDay: 3 });
    const placed = business.ordersOn(2)[1]!;
    const lookup = businessOrderLookup(business);

    expect(lookup({ externalId: placed.externalId, day: 2 })).toEqual(placed);
    expect(lookup({ externalId: placed.externalId, day: 3 })).toBeUndefined();
  });
});

describe('open amounts by the books', () => {
  it('given a partial payment applied and another still unmatched, then only the applied part reduces the open amount', () => {
    const applied = appliedReferences([payment('P1', 'auto'), payment('P2', 'open'), payment('P3', 'clerk')]);
    const invoice = bookInvoice('1', { paid: [{ bankReference: 'P1', amountMinor: 2_500 }, { bankReference: 'P2', amountMinor: 1_000 }, { bankReference: 'P3', amountMinor: 500 }] });

    expect(bookOpenMinor(invoice, applied)).toBe(10_000 - 2_500 - 500);
  });
});

describe("a customer's exposure by the books", () => {
  const orders = [
    simOrder('O-credited'),
    simOrder('O-partial'),
    simOrder('O-waiting'),
    simOrder('O-prepaid', { prepaid: true }),
    simOrder('O-review'),
    simOrder('O-rejected'),
    simOrder('O-other'),
  ];
  const businessOrder = (order: BookOrder) => orders.find((placed) => placed.externalId === order.externalId);

  it('given a credited invoice, a partly paid one, approved orders not yet invoiced (one prepaid) and undecided or rejected ones, then exposure is the open invoices plus the unprepaid approved orders', () => {
    const { byCustomer, unknown } = booksExposure({
      orders: [
        bookOrder('O-credited', { shipments: [{ trackingNumber: 'T1', invoiceId: '1' }], orderId: 'ORD-1' }),
        bookOrder('O-partial', { shipments: [{ trackingNumber: 'T2', invoiceId: '2' }], orderId: 'ORD-2' }),
        bookOrder('O-waiting', { status: 'SHIPPED', shipments: [{ trackingNumber: 'T-waiting' }] }),
        bookOrder('O-prepaid', { status: 'AWAITING_SHIPMENT' }),
        bookOrder('O-review', { status: 'CREDIT_REVIEW' }),
        bookOrder('O-rejected', { status: 'REJECTED' }),
        // The same simulated customer through the generic webhook: another O2C customer.
        bookOrder('O-other', { source: 'generic', customerId: 'CUST-2', status: 'AWAITING_SHIPMENT' }),
      ],
      invoices: [
        bookInvoice('1', { creditedMinor: 10_000 }),
        bookInvoice('2', { paid: [{ bankReference: 'P1', amountMinor: 4_000 }] }),
      ],
      applied: new Set(['P1']),
      businessOrder,
    });

    expect(unknown).toEqual([]);
    expect(byCustomer.get('CUST-1')).toEqual({ uninvoicedMinor: 7_631, openMinor: 6_000, totalMinor: 13_631 });
    expect(byCustomer.get('CUST-2')).toEqual({ uninvoicedMinor: 7_631, openMinor: 0, totalMinor: 7_631 });
  });

  it('given an invoice the books overpaid, then it counts as nothing open (O2C settles at most what is open), not as negative exposure', () => {
    const { byCustomer } = booksExposure({ orders: [bookOrder('O-partial', { orderId: 'ORD-2', shipments: [{ trackingNumber: 'T2', invoiceId: '2' }] })], invoices: [bookInvoice('2', { paid: [{ bankReference: 'P1', amountMinor: 12_000 }] })], applied: new Set(['P1']), businessOrder });

    expect(byCustomer.get('CUST-1')?.totalMinor).toBe(0);
  });

  it('given an order shipped in two parts with only the first invoiced, then its rest is still exposure beside the open first invoice', () => {
    const { byCustomer } = booksExposure({
      orders: [bookOrder('O-partial', { orderId: 'ORD-2', status: 'PARTIALLY_SHIPPED', shipments: [{ trackingNumber: 'T2', invoiceId: '2' }] })],
      invoices: [bookInvoice('2', { payableMinor: 3_000 })],
      applied: new Set(),
      businessOrder,
    });

    expect(byCustomer.get('CUST-1')).toEqual({ uninvoicedMinor: 7_631 - 3_000, openMinor: 3_000, totalMinor: 7_631 });
  });

  it('given an approved order the business never placed, then it is reported, not guessed', () => {
    const { unknown } = booksExposure({ orders: [bookOrder('O-ghost', { status: 'AWAITING_SHIPMENT' })], invoices: [], applied: new Set(), businessOrder });

    expect(unknown).toEqual(['O-ghost: not among the business\'s orders of day 0']);
  });

  it("given O2C's and the books' figures per customer, when compared, then the difference is the sum of absolute differences and each line names both", () => {
    const compared = compareByKey(new Map([['CUST-1', 13_631], ['CUST-2', 7_000]]), new Map([['CUST-1', 13_631], ['CUST-2', 7_631], ['CUST-3', 10]]), (id) => id);

    expect(compared.differenceMinor).toBe(631 + 10);
    expect(compared.details).toEqual(['CUST-2: O2C 7000, the books 7631', 'CUST-3: O2C none, the books 10']);
  });
});

describe("a customer's statement against the books", () => {
  const applied = new Set(['P1']);
  const invoices = [bookInvoice('1', { creditedMinor: 10_000 }), bookInvoice('2', { paid: [{ bankReference: 'P1', amountMinor: 4_000 }] }), bookInvoice('3', { payableMinor: 0 })];

  it('given a credited invoice, a partly paid one and a prepaid one, then only the partly paid one is an open item and the balance is its open amount', () => {
    const books = booksStatement(invoices, applied);

    expect([...books.openItems]).toEqual([['2', { number: 'INV-2026-000002', openMinor: 6_000 }]]);
    expect(books.balances.get('EUR')).toBe(6_000);
  });

  it("given O2C's statement listing the credit note beside its invoice, when it agrees, then there is no difference", () => {
    const statement = {
      items: [
        { kind: 'invoice', invoiceId: '2', number: 'INV-2026-000002', currency: 'EUR', openMinor: 6_000 },
        { kind: 'credit-note', invoiceId: 'CN1', number: 'CN-2026-000001', currency: 'EUR', openMinor: 0 },
      ],
      totals: [{ currency: 'EUR', balanceMinor: 6_000 }],
    };

    expect(compareStatement(statement, booksStatement(invoices, applied))).toEqual({ differenceMinor: 0, details: [] });
  });

  it('given O2C still listing the credited invoice, then its open amount differs twice: in the balance and as an item the books do not have', () => {
    const statement = {
      items: [
        { kind: 'invoice', invoiceId: '1', number: 'INV-2026-000001', currency: 'EUR', openMinor: 10_000 },
        { kind: 'invoice', invoiceId: '2', number: 'INV-2026-000002', currency: 'EUR', openMinor: 6_000 },
      ],
      totals: [{ currency: 'EUR', balanceMinor: 16_000 }],
    };

    expect(compareStatement(statement, booksStatement(invoices, applied))).toEqual({
      differenceMinor: 20_000,
      details: ['closing balance EUR: O2C 16000, the books 6000', 'open item INV-2026-000001: O2C 10000, the books none'],
    });
  });

  it('given an overpayment the books expect on account, then the balance is negative by it and O2C listing the cash on account agrees', () => {
    const overpaid = [bookInvoice('4', { paid: [{ bankReference: 'P1', amountMinor: 10_500 }] })];
    const statement = { items: [{ kind: 'cash-on-account', number: 'P1', currency: 'EUR', openMinor: -500 }], totals: [{ currency: 'EUR', balanceMinor: -500 }] };

    expect(compareStatement(statement, booksStatement(overpaid, applied))).toEqual({ differenceMinor: 0, details: [] });
  });
});

describe('duplicates in what O2C lists', () => {
  it('given two orders for one store reference, then one line names both', () => {
    const lines = duplicateOrderLines([
      { id: 'A', source: 'shopify', externalId: '1001' },
      { id: 'B', source: 'shopify', externalId: '1001' },
      { id: 'C', source: 'generic', externalId: '1001' },
    ]);

    expect(lines).toEqual(['shopify 1001: 2 orders (A, B)']);
  });

  it('given an order shipped once with two live invoices, a voided one and a credit note, then only the second live invoice is one too many', () => {
    const documents: ListedDocument[] = [
      { id: '1', kind: 'invoice', number: 'INV-2026-000001', orderId: 'ORD-1', status: 'VOID' },
      { id: '2', kind: 'invoice', number: 'INV-2026-000002', orderId: 'ORD-1', status: 'PAID' },
      { id: '3', kind: 'credit-note', number: 'CN-2026-000001', orderId: 'ORD-1', status: 'OPEN' },
      { id: '4', kind: 'invoice', number: 'INV-2026-000003', orderId: 'ORD-2', status: 'CREDITED' },
      { id: '5', kind: 'invoice', number: 'INV-2026-000004', orderId: 'ORD-2', status: 'OPEN' },
      { id: '6', kind: 'invoice', number: 'INV-2026-000005', orderId: 'ORD-3', status: 'OPEN' },
    ];
    const shipped = new Set(['ORD-1', 'ORD-2']);

    expect(duplicateInvoiceLines(documents, (orderId) => (shipped.has(orderId) ? 1 : 0), (orderId) => orderId)).toEqual([
      'ORD-2: INV-2026-000003, INV-2026-000004 for 1 shipment(s)',
      'ORD-3: INV-2026-000005 for 0 shipment(s)',
    ]);
  });
});

describe('number series', () => {
  const documents = (series: string, counters: number[]) => counters.map((counter) => ({ id: `${series}${counter}`, number: `${series}-2026-${String(counter).padStart(6, '0')}` }));

  it('given complete invoice and credit-note series, and a document listed twice (by the books and by O2C), then nothing is missing or doubled', () => {
    const judged = judgeNumbering([...documents('INV', [1, 2, 3]), ...documents('CN', [1]), ...documents('INV', [2])], { freshLedger: true });

    expect(judged).toEqual({ gaps: 0, duplicates: 0, gapLines: [], duplicateLines: [], unparsed: [] });
  });

  it('given a fresh ledger whose invoices skip the one before the last and whose credit notes start at 2, then both gaps are counted', () => {
    const judged = judgeNumbering([...documents('INV', [1, 2, 3, 5]), ...documents('CN', [2, 3])], { freshLedger: true });

    expect(judged.gaps).toBe(2);
    expect(judged.gapLines).toEqual(['CN-2026-: 1 missing of 1..3 (1)', 'INV-2026-: 1 missing of 1..5 (4)']);
  });

  it('given a ledger others write to, then gaps are not judged but a number on two documents still is', () => {
    const judged = judgeNumbering([...documents('INV', [4, 9]), { id: 'other', number: 'INV-2026-000009' }], { freshLedger: false });

    expect(judged).toMatchObject({ gaps: 0, duplicates: 1, duplicateLines: ['INV-2026-000009: 2 documents'] });
  });

  it('given a long run of missing numbers, then the line shows them as ranges', () => {
    const judged = judgeNumbering(documents('INV', [3, 4, 8, 12]), { freshLedger: true });

    expect(judged.gapLines).toEqual(['INV-2026-: 8 missing of 1..12 (1-2, 5-7, 9-11)']);
  });

  it('given a number without a counter, then it is reported as unparsed', () => {
    expect(judgeNumbering([{ id: 'x', number: 'DRAFT' }], { freshLedger: true }).unparsed).toEqual(['x: number "DRAFT" has no counter']);
  });
});
