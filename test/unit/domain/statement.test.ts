import { afterEach, describe, expect, it } from 'vitest';
import type { Invoice, InvoiceDocument, InvoiceStatus } from '#domain/invoice';
import type { CashOnAccount } from '#domain/cash-on-account';
import { addDays } from '#domain/dates';
import { settleInvoice } from '#domain/payment';
import { ageingBucket, buildStatement, daysOverdue, statementBuckets, type StatementCustomer } from '#domain/statement';
import { eurCreditNote, eurInvoice, jpyInvoice, sampleSeller } from '../../fixtures/invoices/samples.ts';
import { Random } from '../../support/cash-ledger.ts';

const seller = sampleSeller;

const customer: StatementCustomer = {
  id: 'C-42',
  name: 'Acme GmbH',
  email: 'ap@acme.example',
  country: 'DE',
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
    ['2026-07-15', 0, 'not-due'],
    ['2026-07-01', 0, 'not-due'],
    ['2026-06-30', 0, 'due-today'], // due today is not overdue, and not "not yet due" either
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

  it('given a fractional day count, when bucketing, then it is refused; a negative one is not yet due', () => {
    expect(ageingBucket(-1)).toBe('not-due');
    expect(ageingBucket(0)).toBe('due-today');
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
        buckets: { credits: 0, 'not-due': 35_965, 'due-today': 0, '1-30': 10_000, '31-60': 0, '61-90': 0, '90+': 2_499 },
        openInvoicesMinor: 48_464,
        unappliedMinor: 0,
        balanceMinor: 48_464, // 359.65 + 100.00 + 24.99
        overdueMinor: 12_499, // 100.00 + 24.99
        disputedMinor: 2_499,
        deductedMinor: 0,
        itemCount: 3,
      },
      {
        currency: 'JPY',
        buckets: { credits: 0, 'not-due': 0, 'due-today': 1_500, '1-30': 0, '31-60': 17_080, '61-90': 0, '90+': 0 },
        openInvoicesMinor: 18_580,
        unappliedMinor: 0,
        balanceMinor: 18_580,
        overdueMinor: 17_080,
        disputedMinor: 0,
        deductedMinor: 0,
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
      deductedMinor: 0,
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

  it('given a credit note set off against an invoice still open, when building, then it is listed as a credit beside it and not counted twice', () => {
    const credited = invoice(1, { dueDate: '2026-07-01', openMinor: 35_965 - 3_569 });
    const creditNote = { ...invoice(7, { dueDate: '2026-06-20', base: eurCreditNote, status: 'PAID', openMinor: 0 }), creditsInvoiceId: credited.id };
    const statement = build([credited, creditNote]);
    expect(statement.items.map((item) => [item.kind, item.number, item.totalMinor, item.openMinor, item.bucket, item.appliedTo])).toEqual([
      ['credit-note', 'CN-2026-000007', -3_569, 0, 'credits', 'INV-2026-000001'],
      ['invoice', 'INV-2026-000001', 45_965, 32_396, 'not-due', undefined],
    ]);
    expect(statement.totals[0]?.balanceMinor).toBe(32_396);
  });

  it('given a credit note whose invoice is settled, when building, then neither is listed', () => {
    const creditNote = { ...invoice(7, { dueDate: '2026-06-20', base: eurCreditNote, status: 'PAID', openMinor: 0 }), creditsInvoiceId: 'INV-ID-206' };
    expect(build([invoice(206, { dueDate: '2026-04-01', status: 'CREDITED', openMinor: 0 }), creditNote]).items).toEqual([]);
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

/** A document of `currency` with a total of `totalMinor`, built from the sample of that currency. */
function document(base: InvoiceDocument, totalMinor: number): InvoiceDocument {
  return { ...base, totalMinor, payableMinor: totalMinor, prepaidMinor: 0 };
}

/** What issuing a credit note does to the ledger (as `issueCreditNote` writes it): the invoice's open amount falls at once. */
function creditInvoice(target: Invoice, sequence: number, amountMinor: number, issueDate: string): { invoice: Invoice; creditNote: Invoice } {
  const openMinor = target.openMinor - amountMinor;
  const creditNote: Invoice = {
    ...invoice(sequence, { dueDate: issueDate, base: document({ ...eurCreditNote, currency: target.document.currency }, amountMinor), status: 'PAID', openMinor: 0 }),
    creditsInvoiceId: target.id,
  };
  creditNote.document = { ...creditNote.document, issueDate, dueDate: issueDate };
  return { invoice: { ...target, openMinor, status: openMinor === 0 ? 'CREDITED' : target.status, creditNoteIds: [...(target.creditNoteIds ?? []), creditNote.id] }, creditNote };
}

const cash = (paymentId: string, currency: string, amountMinor: number, unappliedMinor: number, bookingDate = '2026-06-20'): CashOnAccount => ({
  paymentId,
  customerId: 'C-42',
  currency,
  bookingDate,
  bankReference: `BANK-${paymentId}`,
  amountMinor,
  unappliedMinor,
});

function expectBucketsAddUp(statement: ReturnType<typeof build>): void {
  for (const totals of statement.totals) {
    const sum = statementBuckets.reduce((total, bucket) => total + totals.buckets[bucket], 0);
    expect(sum, `Σ buckets ${totals.currency}`).toBe(totals.balanceMinor);
    expect(totals.balanceMinor, `open − unapplied ${totals.currency}`).toBe(totals.openInvoicesMinor - totals.unappliedMinor);
  }
}

describe('statement of account: agrees with the ledger', () => {
  it('given 3 × 19.99 at 19 % part paid, a credit note, and an overpayment leaving cash on account, when building, then balance = open − unapplied to the cent', () => {
    // 3 × 19.99 = 59.97 net, 11.39 VAT (19 % of 59.97 = 11.3943) → 71.36.
    const first = invoice(1, { dueDate: '2026-06-10', base: document(eurInvoice, 7_136) });
    const paidInPart = { ...first, openMinor: 7_136 - 5_000, paidMinor: 5_000, status: 'PARTIALLY_PAID' as const }; // 50.00 paid, 21.36 left
    const { invoice: credited, creditNote } = creditInvoice(paidInPart, 50, 1_999, '2026-06-15'); // one unit credited: 19.99 → 1.37 left
    const second = invoice(2, { dueDate: '2026-06-30', base: document(eurInvoice, 7_136) }); // due today
    // 71.37 paid for the second invoice of 71.36 plus a fee-less rounding slip: 0.01 stays on account; and 200.00 paid twice.
    const kwd = invoice(3, { dueDate: '2026-08-01', base: document(eurInvoice, 12_345) });
    const kwdInvoice = { ...kwd, document: { ...kwd.document, currency: 'KWD' } }; // KWD 12.345, not yet due

    const statement = buildStatement({
      customer,
      invoices: [credited, creditNote, second, kwdInvoice],
      cashOnAccount: [cash('P-1', 'EUR', 7_137, 1), cash('P-2', 'EUR', 20_000, 20_000, '2026-06-29'), cash('P-3', 'KWD', 20_000, 7_655)],
      asOf: ASOF,
      seller,
    });

    const eur = statement.totals.find((totals) => totals.currency === 'EUR');
    expect(eur).toEqual({
      currency: 'EUR',
      buckets: { credits: -20_001, 'not-due': 0, 'due-today': 7_136, '1-30': 137, '31-60': 0, '61-90': 0, '90+': 0 },
      openInvoicesMinor: 7_273, // 1.37 + 71.36
      unappliedMinor: 20_001, // 0.01 + 200.00
      balanceMinor: -12_728, // in the customer's favour
      overdueMinor: 137,
      disputedMinor: 0,
      deductedMinor: 0,
      itemCount: 5,
    });
    expect(statement.totals.find((totals) => totals.currency === 'KWD')).toMatchObject({ openInvoicesMinor: 12_345, unappliedMinor: 7_655, balanceMinor: 4_690 });
    expect(statement.items.filter((item) => item.kind === 'cash-on-account').map((item) => [item.number, item.totalMinor, item.openMinor])).toEqual([
      ['BANK-P-1', -7_137, -1],
      ['BANK-P-3', -20_000, -7_655],
      ['BANK-P-2', -20_000, -20_000],
    ]);
    expect(statement.items.find((item) => item.kind === 'credit-note')).toMatchObject({ number: 'CN-2026-000050', totalMinor: -1_999, openMinor: 0, appliedTo: 'INV-2026-000001' });
    expectBucketsAddUp(statement);
  });

  it("given cash on another customer's account, when building, then it is refused rather than shown", () => {
    expect(() => buildStatement({ customer, invoices: [], cashOnAccount: [{ ...cash('P-9', 'EUR', 100, 100), customerId: 'C-77' }], asOf: ASOF, seller })).toThrow(/C-77/);
  });

  it('given 300 random ledgers (EUR, JPY, KWD; part payments, credit notes, overpayments), when building, then per currency balance = Σ open − Σ unapplied and the buckets add up to it', () => {
    const random = new Random(20_260_630);
    const bases: Record<string, InvoiceDocument> = { EUR: eurInvoice, JPY: jpyInvoice, KWD: { ...eurInvoice, currency: 'KWD' } };
    for (let run = 0; run < 300; run += 1) {
      const invoices: Invoice[] = [];
      const credits: CashOnAccount[] = [];
      const expectedOpen = new Map<string, number>();
      const expectedUnapplied = new Map<string, number>();
      const add = (map: Map<string, number>, currency: string, amount: number) => map.set(currency, (map.get(currency) ?? 0) + amount);
      let sequence = 1;
      for (let index = random.int(0, 8); index > 0; index -= 1) {
        const currency = random.pick(['EUR', 'JPY', 'KWD']);
        const total = random.int(1, 5_000_000);
        const dueDate = addDays(ASOF, random.int(-150, 45));
        let current = invoice(sequence++, { dueDate, base: document(bases[currency] as InvoiceDocument, total) });
        if (random.chance(0.4)) {
          const paid = random.int(1, total);
          current = settleInvoice(current, paid, 0, '2026-06-01T00:00:00.000Z');
        }
        if (current.openMinor > 0 && random.chance(0.3)) {
          const { invoice: after, creditNote } = creditInvoice(current, 500 + sequence++, random.int(1, current.openMinor), addDays(ASOF, -random.int(0, 60)));
          current = after;
          invoices.push(creditNote);
        }
        if (random.chance(0.1)) current = { ...current, status: 'DISPUTED' };
        if (current.openMinor > 0) add(expectedOpen, currency, current.openMinor);
        invoices.push(current);
      }
      for (let index = random.int(0, 3); index > 0; index -= 1) {
        const currency = random.pick(['EUR', 'JPY', 'KWD']);
        const amount = random.int(1, 900_000);
        const unapplied = random.int(1, amount);
        credits.push(cash(`P-${run}-${index}`, currency, amount, unapplied, addDays(ASOF, -random.int(0, 90))));
        add(expectedUnapplied, currency, unapplied);
      }

      const statement = buildStatement({ customer, invoices: random.chance(0.5) ? invoices.reverse() : invoices, cashOnAccount: credits, asOf: ASOF, seller });

      const currencies = [...new Set([...expectedOpen.keys(), ...expectedUnapplied.keys()])].sort();
      expect(statement.totals.map((totals) => totals.currency), `run ${run}`).toEqual(currencies);
      for (const totals of statement.totals) {
        const open = expectedOpen.get(totals.currency) ?? 0;
        const unapplied = expectedUnapplied.get(totals.currency) ?? 0;
        expect([totals.openInvoicesMinor, totals.unappliedMinor, totals.balanceMinor], `run ${run} ${totals.currency}`).toEqual([open, unapplied, open - unapplied]);
      }
      expectBucketsAddUp(statement);
      const overdue = statement.items.filter((item) => item.kind === 'invoice' && item.daysOverdue > 0);
      for (const totals of statement.totals) expect(totals.overdueMinor).toBe(overdue.filter((item) => item.currency === totals.currency).reduce((sum, item) => sum + item.openMinor, 0));
    }
  });
});
