import { afterEach, describe, expect, it } from 'vitest';
import type { Invoice, InvoiceDocument, InvoiceStatus } from '#domain/invoice';
import type { Seller } from '#domain/invoicing';
import { ageingBucket, buildStatement, daysOverdue, type StatementCustomer } from '#domain/statement';
import { eurCreditNote, eurInvoice, jpyInvoice, seller as sellerParty } from '../../fixtures/invoices/samples.ts';

const seller: Seller = {
  party: sellerParty,
  paymentInstructions: eurInvoice.paymentInstructions,
  invoiceSeries: 'INV',
  creditNoteSeries: 'CN',
  email: { fromAddress: 'billing@nordlicht.example' },
};

const customer: StatementCustomer = {
  id: 'C-42',
  name: 'Acme GmbH',
  email: 'ap@acme.example',
  currency: 'EUR',
  creditLimitMinor: 500_000,
  exposureMinor: 120_000,
  terms: { basis: 'invoice-date', days: 30 },
};

const ASOF = '2026-06-30';

/** An issued invoice of C-42 built from a sample document, with the receivable state the test needs. */
function invoice(
  sequence: number,
  overrides: { dueDate: string; status?: InvoiceStatus; openMinor?: number; base?: InvoiceDocument; customerId?: string },
): Invoice {
  const base = overrides.base ?? eurInvoice;
  const number = `${base.kind === 'credit-note' ? 'CN' : 'INV'}-2026-${String(sequence).padStart(6, '0')}`;
  return {
    id: `INV-ID-${sequence}`,
    customerId: overrides.customerId ?? 'C-42',
    orderId: base.orderId,
    shipmentKey: `DHL#${sequence}`,
    document: { ...base, id: `INV-ID-${sequence}`, number, issueDate: '2026-01-05', dueDate: overrides.dueDate, paymentReference: `RF00TEST${sequence}` },
    status: overrides.status ?? 'OPEN',
    openMinor: overrides.openMinor ?? base.payableMinor,
    email: { status: 'SENT', attempts: 1 },
    createdAt: '2026-01-05T10:00:00.000Z',
    updatedAt: '2026-01-05T10:00:00.000Z',
    version: 1,
  };
}

const build = (invoices: Invoice[], asOf = ASOF) => buildStatement({ customer, invoices, asOf, seller });

describe('statement of account: ageing', () => {
  // Hand-counted from 2026-06-30: May has 31 days, April 30, March 31.
  it.each([
    ['2026-07-15', 0, 'current'], // not yet due
    ['2026-06-30', 0, 'current'], // due today is not overdue
    ['2026-06-29', 1, '1-30'],
    ['2026-05-31', 30, '1-30'],
    ['2026-05-30', 31, '31-60'],
    ['2026-05-01', 60, '31-60'],
    ['2026-04-30', 61, '61-90'],
    ['2026-04-01', 90, '61-90'],
    ['2026-03-31', 91, '90+'],
    ['2025-06-30', 365, '90+'],
  ] as const)('given an invoice due %s, when the statement is drawn up on 2026-06-30, then it is %i days overdue in bucket %s', (dueDate, days, bucket) => {
    const [item] = build([invoice(1, { dueDate })]).items;
    expect(item).toMatchObject({ daysOverdue: days, bucket });
  });

  it('given due dates across a leap day and a year end, when counting days overdue, then UTC calendar days are counted', () => {
    expect(daysOverdue('2028-02-28', '2028-03-01')).toBe(2); // 2028-02-29 exists
    expect(daysOverdue('2027-02-28', '2027-03-01')).toBe(1);
    expect(daysOverdue('2025-12-31', '2026-01-01')).toBe(1);
    expect(daysOverdue('2026-03-28', '2026-03-30')).toBe(2); // across the EU DST switch on 2026-03-29
  });

  describe('in a time zone far from UTC', () => {
    const original = process.env.TZ;
    afterEach(() => {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    });

    it.each(['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/Sao_Paulo'])('given TZ=%s, when ageing, then the days are the same as in UTC', (zone) => {
      process.env.TZ = zone;
      expect(daysOverdue('2026-03-31', ASOF)).toBe(91);
      expect(daysOverdue('2026-06-30', ASOF)).toBe(0);
    });
  });

  it('given a negative or fractional day count, when bucketing, then it is refused', () => {
    expect(() => ageingBucket(-1)).toThrow(RangeError);
    expect(() => ageingBucket(1.5)).toThrow(RangeError);
  });

  it.each(['2026-02-30', '2026-6-30', '30.06.2026', ''])('given the statement date %j, when building, then it is refused', (asOf) => {
    expect(() => build([], asOf)).toThrow(RangeError);
  });
});

describe('statement of account: items and totals', () => {
  // EUR: 359.65 current (459.65 less 100.00 prepaid), 100.00 of 459.65 left 20 days overdue, 24.99 disputed 121 days overdue (Mar 1 → Jun 30).
  // JPY: ¥17,080 46 days overdue (May 15 → Jun 30), ¥1,500 due today.
  const invoices = [
    invoice(201, { dueDate: '2026-07-15' }),
    invoice(202, { dueDate: '2026-06-10', status: 'PARTIALLY_PAID', openMinor: 10_000 }),
    invoice(203, { dueDate: '2026-03-01', status: 'DISPUTED', openMinor: 2_499 }),
    invoice(204, { dueDate: '2026-05-15', base: jpyInvoice }),
    invoice(205, { dueDate: '2026-06-30', base: jpyInvoice, openMinor: 1_500, status: 'PARTIALLY_PAID' }),
    invoice(206, { dueDate: '2026-04-01', status: 'PAID', openMinor: 0 }),
    invoice(207, { dueDate: '2026-04-01', status: 'CREDITED', openMinor: 0 }),
    invoice(208, { dueDate: '2026-04-01', status: 'VOID', openMinor: 45_965 }), // voided: owes nothing whatever openMinor says
    invoice(209, { dueDate: '2026-04-01', status: 'OPEN', openMinor: 0 }),
  ];

  it('given EUR and JPY invoices, when building, then totals are kept per currency and never added together', () => {
    const statement = build(invoices);

    expect(statement.totals).toEqual([
      {
        currency: 'EUR',
        buckets: { current: 35_965, '1-30': 10_000, '31-60': 0, '61-90': 0, '90+': 2_499 },
        balanceMinor: 48_464, // 359.65 + 100.00 + 24.99
        overdueMinor: 12_499, // 100.00 + 24.99
        disputedMinor: 2_499,
        itemCount: 3,
      },
      {
        currency: 'JPY',
        buckets: { current: 1_500, '1-30': 0, '31-60': 17_080, '61-90': 0, '90+': 0 },
        balanceMinor: 18_580,
        overdueMinor: 17_080,
        disputedMinor: 0,
        itemCount: 2,
      },
    ]);
  });

  it('given paid, credited, void and fully settled invoices, when building, then only the ones still owed are listed', () => {
    const numbers = build(invoices).items.map((item) => item.number);
    expect(numbers).not.toContain('INV-2026-000206');
    expect(numbers).not.toContain('INV-2026-000207');
    expect(numbers).not.toContain('INV-2026-000208');
    expect(numbers).not.toContain('INV-2026-000209');
    expect(numbers).toHaveLength(5);
  });

  it('given a disputed invoice, when building, then it is listed, flagged and still counted in the balance', () => {
    const items = build(invoices).items;
    expect(items.find((item) => item.number === 'INV-2026-000203')).toEqual({
      kind: 'invoice',
      invoiceId: 'INV-ID-203',
      number: 'INV-2026-000203',
      issueDate: '2026-01-05',
      dueDate: '2026-03-01',
      currency: 'EUR',
      totalMinor: 45_965,
      openMinor: 2_499,
      daysOverdue: 121,
      bucket: '90+',
      disputed: true,
      reference: 'RF00TEST203',
    });
    expect(items.filter((item) => item.disputed).map((item) => item.number)).toEqual(['INV-2026-000203']);
  });

  it('given invoices in any order, when building, then items are sorted by due date and then by number', () => {
    const shuffled = [invoice(11, { dueDate: '2026-05-01' }), ...invoices.slice().reverse(), invoice(10, { dueDate: '2026-05-01' })];
    expect(build(shuffled).items.map((item) => `${item.dueDate} ${item.number}`)).toEqual([
      '2026-03-01 INV-2026-000203',
      '2026-05-01 INV-2026-000010',
      '2026-05-01 INV-2026-000011',
      '2026-05-15 INV-2026-000204',
      '2026-06-10 INV-2026-000202',
      '2026-06-30 INV-2026-000205',
      '2026-07-15 INV-2026-000201',
    ]);
  });

  it('given a credit-note record, when building, then it is not listed as a debt', () => {
    const statement = build([invoice(1, { dueDate: '2026-07-01' }), invoice(7, { dueDate: '2026-07-01', base: eurCreditNote })]);
    expect(statement.items.map((item) => item.number)).toEqual(['INV-2026-000001']);
    expect(statement.totals[0]?.balanceMinor).toBe(35_965);
  });

  it("given another customer's invoice, when building, then it is refused rather than shown", () => {
    expect(() => build([invoice(1, { dueDate: '2026-07-01', customerId: 'C-77' })])).toThrow(/belongs to customer C-77/);
  });

  it('given no open invoices, when building, then the statement has no items and no currency totals', () => {
    const statement = build([invoice(206, { dueDate: '2026-04-01', status: 'PAID', openMinor: 0 })]);
    expect(statement.items).toEqual([]);
    expect(statement.totals).toEqual([]);
  });

  it('given exposure above the limit, when building, then available credit is zero and the limit is flagged as exceeded', () => {
    expect(build([]).credit).toEqual({ currency: 'EUR', limitMinor: 500_000, exposureMinor: 120_000, availableMinor: 380_000, overLimit: false });
    const over = buildStatement({ customer: { ...customer, exposureMinor: 520_000 }, invoices: [], asOf: ASOF, seller });
    expect(over.credit).toMatchObject({ availableMinor: 0, overLimit: true });
  });
});
