import { describe, expect, it } from 'vitest';
import { ageingReport, ageingReports, currentArOf, parseAgeingEdges } from '#domain/ageing';
import { ageingBuckets, ageingRanges, buildStatement, type StatementCustomer } from '#domain/statement';
import { sampleSeller } from '../../fixtures/invoices/samples.ts';
import { Random, randomInvoices, storedInvoice } from '../../support/receivables-ledger.ts';

const ASOF = '2026-06-30';
const open = (id: string, customerId: string, dueDate: string, openMinor: number, extra: { status?: 'OPEN' | 'DISPUTED' | 'PARTIALLY_PAID' | 'PAID'; currency?: string; deductedMinor?: number } = {}) =>
  storedInvoice({ id, customerId, currency: extra.currency ?? 'EUR', issueDate: '2026-01-01', dueDate, totalMinor: openMinor + 1_000, openMinor, status: extra.status ?? 'OPEN', deductedMinor: extra.deductedMinor });

describe('ageing report: worked example (docs/kpis.md, "Ageing")', () => {
  // As of 2026-06-30: due 2026-07-15 is not due, 2026-06-30 is due today, 2026-06-20 is 10 days past due,
  // 2026-05-01 is 60, 2026-04-30 is 61 and 2026-03-01 is 121 days past due.
  const invoices = [
    open('1', 'C-1', '2026-07-15', 100_00),
    open('2', 'C-1', '2026-06-30', 50_00),
    open('3', 'C-2', '2026-06-20', 200_00, { status: 'DISPUTED' }),
    open('4', 'C-2', '2026-05-01', 75_00, { status: 'PARTIALLY_PAID', deductedMinor: 25_00 }),
    open('5', 'C-3', '2026-04-30', 40_00),
    open('6', 'C-3', '2026-03-01', 10_00),
    open('7', 'C-3', '2026-03-01', 0, { status: 'PAID' }),
    open('8', 'C-3', '2026-03-01', 999_00, { currency: 'JPY' }),
  ];

  it('given open invoices of three customers, when aged with 30,60,90, then each lands in one bucket and the buckets add up to the total', () => {
    const report = ageingReport({ invoices, currency: 'EUR', asOf: ASOF, edges: [30, 60, 90] });
    expect(report.buckets.map(({ label, fromDays, toDays, amountMinor, count }) => [label, fromDays, toDays, amountMinor, count])).toEqual([
      ['not-due', null, -1, 100_00, 1],
      ['due-today', 0, 0, 50_00, 1],
      ['1-30', 1, 30, 200_00, 1],
      ['31-60', 31, 60, 75_00, 1],
      ['61-90', 61, 90, 40_00, 1],
      ['90+', 91, null, 10_00, 1],
    ]);
    expect(report.totalOpenMinor).toBe(475_00);
    expect(report.count).toBe(6);
    expect(report.buckets.reduce((sum, bucket) => sum + bucket.amountMinor, 0)).toBe(report.totalOpenMinor);
  });

  it('given a disputed invoice and a deduction, when aged, then they stay in their buckets and are also shown apart', () => {
    const report = ageingReport({ invoices, currency: 'EUR', asOf: ASOF });
    expect(report).toMatchObject({ disputedMinor: 200_00, deductedMinor: 25_00 });
    expect(report.buckets.find((bucket) => bucket.label === '1-30')).toMatchObject({ amountMinor: 200_00, disputedMinor: 200_00 });
    expect(report.buckets.find((bucket) => bucket.label === '31-60')).toMatchObject({ amountMinor: 75_00, deductedMinor: 25_00 });
  });

  it('given three customers, when aged, then each has its own row, largest balance first, adding up to the total', () => {
    const report = ageingReport({ invoices, currency: 'EUR', asOf: ASOF });
    expect(report.customers.map(({ customerId, totalOpenMinor, count }) => [customerId, totalOpenMinor, count])).toEqual([
      ['C-2', 275_00, 2],
      ['C-1', 150_00, 2],
      ['C-3', 50_00, 2],
    ]);
    expect(report.items.map((item) => [item.number.slice(-1), item.daysPastDue, item.bucket])).toEqual([
      ['6', 121, '90+'],
      ['5', 61, '61-90'],
      ['4', 60, '31-60'],
      ['3', 10, '1-30'],
      ['2', 0, 'due-today'],
      ['1', -15, 'not-due'],
    ]);
  });

  it('given other edges (15,45), when aged, then the ranges follow them', () => {
    const report = ageingReport({ invoices, currency: 'EUR', asOf: ASOF, edges: [15, 45] });
    expect(report.buckets.map(({ label, amountMinor }) => [label, amountMinor])).toEqual([
      ['not-due', 100_00],
      ['due-today', 50_00],
      ['1-15', 200_00],
      ['16-45', 0],
      ['45+', 125_00],
    ]);
  });

  it('given the ageing report, when best possible DSO needs the current AR, then it is not-due plus due-today', () => {
    expect(currentArOf(ageingReport({ invoices, currency: 'EUR', asOf: ASOF }))).toBe(150_00);
  });

  it('given invoices in two currencies, when every currency is aged, then one report each and no sum across them', () => {
    expect(ageingReports({ invoices, asOf: ASOF }).map((report) => [report.currency, report.totalOpenMinor])).toEqual([
      ['EUR', 475_00],
      ['JPY', 999_00],
    ]);
  });
});

describe('ageing ranges: the statement\'s helpers, configurable', () => {
  it('given the default edges, when the ranges are listed, then they are the statement\'s buckets', () => {
    expect(ageingRanges().map((range) => range.label)).toEqual([...ageingBuckets]);
  });

  it.each([
    ['30,60,90', [30, 60, 90]],
    [' 7 , 14 ', [7, 14]],
  ])('given buckets=%s, when parsed, then the edges are %j', (text, edges) => {
    expect(parseAgeingEdges(text)).toEqual(edges);
  });

  it.each(['', '30,,60', '60,30', '0,30', '30,30', '-1', '1.5', 'abc', Array.from({ length: 13 }, (_, index) => index + 1).join(',')])('given buckets=%j, when parsed, then it is refused with a reason', (text) => {
    expect(() => parseAgeingEdges(text)).toThrow(RangeError);
  });
});

describe('ageing report: properties on random ledgers (seeded)', () => {
  const seller = sampleSeller;
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('given a random ledger in EUR, JPY and KWD (seed %i), when aged, then Σ buckets = total = Σ open invoices exactly, per currency and per customer', (seed) => {
    const random = new Random(seed);
    const invoices = randomInvoices(random, { count: 300, asOf: ASOF, currencies: ['EUR', 'JPY', 'KWD'], customers: 12 });
    const edges = random.pick([[30, 60, 90], [15, 45], [1], [7, 14, 21, 28, 60, 120]]);
    for (const report of ageingReports({ invoices, asOf: ASOF, edges })) {
      const openOfCurrency = invoices.filter((invoice) => invoice.document.kind === 'invoice' && invoice.document.currency === report.currency && invoice.openMinor > 0 && ['OPEN', 'PARTIALLY_PAID', 'DISPUTED'].includes(invoice.status));
      const sumOf = (values: number[]) => values.reduce((total, value) => total + value, 0);
      expect(sumOf(report.buckets.map((bucket) => bucket.amountMinor))).toBe(report.totalOpenMinor);
      expect(report.totalOpenMinor).toBe(sumOf(openOfCurrency.map((invoice) => invoice.openMinor)));
      expect(sumOf(report.buckets.map((bucket) => bucket.count))).toBe(openOfCurrency.length);
      expect(sumOf(report.customers.map((customer) => customer.totalOpenMinor))).toBe(report.totalOpenMinor);
      expect(report.disputedMinor).toBe(sumOf(openOfCurrency.filter((invoice) => invoice.status === 'DISPUTED').map((invoice) => invoice.openMinor)));
      for (const customer of report.customers) expect(sumOf(customer.buckets.map((bucket) => bucket.amountMinor))).toBe(customer.totalOpenMinor);
      for (const bucket of report.buckets) {
        expect(bucket.disputedMinor).toBeLessThanOrEqual(bucket.amountMinor);
        expect(bucket.deductedMinor).toBeLessThanOrEqual(bucket.amountMinor);
      }
    }
  });

  it.each([11, 12, 13])('given a random ledger (seed %i), when aged with the default edges, then every customer\'s row agrees with its statement of account bucket by bucket', (seed) => {
    const random = new Random(seed);
    const invoices = randomInvoices(random, { count: 200, asOf: ASOF, currencies: ['EUR', 'JPY', 'KWD'], customers: 6 });
    for (const report of ageingReports({ invoices, asOf: ASOF })) {
      for (const row of report.customers) {
        const customer: StatementCustomer = { id: row.customerId, name: row.customerId, email: 'ap@example.com', country: 'DE', currency: 'EUR', creditLimitMinor: 0, exposureMinor: 0, terms: { basis: 'invoice-date', days: 30 } };
        const statement = buildStatement({ customer, invoices: invoices.filter((invoice) => invoice.customerId === row.customerId), asOf: ASOF, seller });
        const totals = statement.totals.find((total) => total.currency === report.currency);
        expect(Object.fromEntries(row.buckets.map((bucket) => [bucket.label, bucket.amountMinor]))).toEqual({ ...totals?.buckets, credits: undefined });
        expect(row.disputedMinor).toBe(totals?.disputedMinor);
      }
    }
  });
});
