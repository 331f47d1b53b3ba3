import { describe, expect, it } from 'vitest';
import { addDays, isoWeekStart } from '#domain/dates';
import { cashForecast, cashReceiptsOf, ledgerInvoiceOf, type CashReceipt, type LedgerInvoice } from '#domain/forecast';
import { paymentBehaviourLedger, storedInvoice } from '../../support/receivables-ledger.ts';

const invoice = (id: string, customerId: string, dueDate: string, amountMinor: number, openMinor = amountMinor, extra: Partial<LedgerInvoice> = {}): LedgerInvoice => ({
  id,
  customerId,
  currency: 'EUR',
  issueDate: addDays(dueDate, -30),
  dueDate,
  amountMinor,
  openMinor,
  ...extra,
});

describe('cash forecast: worked example (docs/kpis.md, "Cash forecast")', () => {
  // Customer A paid 100.00 and 300.00 ten days late and 100.00 two days late: weighted mean 8.4 → 8 days,
  // 10th percentile 2, 90th percentile 10. Customer B has no history and borrows the ledger's (A's).
  const history = [invoice('H1', 'A', '2026-04-01', 100_00, 0), invoice('H2', 'A', '2026-05-01', 300_00, 0), invoice('H3', 'A', '2026-05-15', 100_00, 0)];
  const receipts: CashReceipt[] = [
    { invoiceId: 'H1', date: '2026-04-11', amountMinor: 100_00 },
    { invoiceId: 'H2', date: '2026-05-11', amountMinor: 300_00 },
    { invoiceId: 'H3', date: '2026-05-17', amountMinor: 100_00 },
  ];
  const open = [
    invoice('A1', 'A', '2026-06-15', 1_000_00),
    invoice('A2', 'A', '2026-06-01', 200_00),
    invoice('A3', 'A', '2026-05-01', 50_00),
    invoice('A4', 'A', '2026-06-20', 400_00, 400_00, { promise: { date: '2026-06-12', amountMinor: 150_00 } }),
    invoice('B1', 'B', '2026-06-24', 300_00),
    invoice('A5', 'A', '2026-06-20', 500_00, 500_00, { disputed: true }),
    invoice('A6', 'A', '2026-06-29', 100_00, 100_00, { deductedMinor: 40_00 }),
    invoice('J1', 'A', '2026-06-29', 9_999, 9_999, { currency: 'JPY' }),
  ];
  const forecast = cashForecast({ invoices: [...history, ...open], receipts, currency: 'EUR', asOf: '2026-06-10', weeks: 4, backtest: false });

  it('given customer A\'s history, when its open invoices are forecast, then each is expected on its due date plus its customer\'s lateness, never before today', () => {
    expect(forecast.expectations.map((piece) => [piece.invoiceId, piece.amountMinor, piece.earliestDate, piece.expectedDate, piece.latestDate, piece.basis])).toEqual([
      ['A1', 1_000_00, '2026-06-17', '2026-06-23', '2026-06-25', 'customer-history'],
      // 9 days overdue: only receipts at least 9 days late count (10, 10).
      ['A2', 200_00, '2026-06-11', '2026-06-11', '2026-06-11', 'customer-history'],
      // 40 days overdue, later than A ever paid: today, within A's usual spread (10 − 2 days).
      ['A3', 50_00, '2026-06-10', '2026-06-10', '2026-06-18', 'beyond-history'],
      ['A4', 150_00, '2026-06-12', '2026-06-12', '2026-06-12', 'promise'],
      ['A4', 250_00, '2026-06-22', '2026-06-28', '2026-06-30', 'customer-history'],
      ['B1', 300_00, '2026-06-26', '2026-07-02', '2026-07-04', 'ledger-history'],
      ['A6', 60_00, '2026-07-01', '2026-07-07', '2026-07-09', 'customer-history'],
    ]);
  });

  it('given those expectations, when summed per ISO week, then expected, low and high per week, the rest after the horizon and the held amounts apart', () => {
    expect(forecast.weeks).toEqual([
      { weekStart: '2026-06-08', expectedMinor: 400_00, lowMinor: 350_00, highMinor: 400_00 },
      { weekStart: '2026-06-15', expectedMinor: 0, lowMinor: 0, highMinor: 1_050_00 },
      { weekStart: '2026-06-22', expectedMinor: 1_250_00, lowMinor: 0, highMinor: 1_550_00 },
      { weekStart: '2026-06-29', expectedMinor: 300_00, lowMinor: 0, highMinor: 610_00 },
    ]);
    expect(forecast).toMatchObject({ method: 'customer-history', afterMinor: 60_00, heldMinor: 540_00, accuracy: null });
    const expected = forecast.weeks.reduce((sum, week) => sum + week.expectedMinor, 0);
    expect(expected + forecast.afterMinor + forecast.heldMinor).toBe(2_550_00);
  });
});

describe('cash forecast: from stored invoices and payments', () => {
  it('given a stored disputed invoice with a promise and a returned payment, when read for the forecast, then held, promised, and the returned cash is no receipt', () => {
    const stored = { ...storedInvoice({ id: '1', customerId: 'C', currency: 'EUR', issueDate: '2026-05-01', dueDate: '2026-05-31', totalMinor: 100_00, openMinor: 100_00, status: 'DISPUTED' }), dunning: { level: 1, promise: { date: '2026-06-20', amountMinor: 50_00, openAtPromiseMinor: 100_00, recordedAt: '2026-06-01T10:00:00Z', recordedBy: 'alice' } } };
    expect(ledgerInvoiceOf(stored)).toMatchObject({ id: '1', amountMinor: 100_00, openMinor: 100_00, disputed: true, promise: { date: '2026-06-20', amountMinor: 50_00 } });
    expect(ledgerInvoiceOf({ ...stored, status: 'VOID' })).toBeUndefined();
    const allocation = { invoiceId: '1', invoiceNumber: 'INV-1', amountMinor: 30_00, rule: 'rf-reference' as const, reason: 'test', by: 'cash-application', at: '2026-06-02T10:00:00Z' };
    expect(cashReceiptsOf([{ status: 'APPLIED', bookingDate: '2026-06-02', allocations: [allocation] }, { status: 'REVERSED', bookingDate: '2026-06-03', allocations: [allocation] }])).toEqual([{ invoiceId: '1', date: '2026-06-02', amountMinor: 30_00 }]);
  });
});

describe('cash forecast: backtest', () => {
  it('given customers who always pay exactly their own number of days late, when backtested, then the method is 100 % accurate and the baseline is not', () => {
    const invoices: LedgerInvoice[] = [];
    const receipts: CashReceipt[] = [];
    for (const [customerId, late] of [['EARLY', -3], ['LATE', 25]] as const) {
      for (let week = 0; week < 40; week++) {
        const id = `${customerId}-${week}`;
        const dueDate = addDays('2025-09-01', 7 * week + 30);
        const date = addDays(dueDate, late);
        const paid = date < '2026-06-10';
        invoices.push(invoice(id, customerId, dueDate, 100_00, paid ? 0 : 100_00));
        if (paid) receipts.push({ invoiceId: id, date, amountMinor: 100_00 });
      }
    }
    const { accuracy } = cashForecast({ invoices, receipts, currency: 'EUR', asOf: '2026-06-10', weeks: 6, backtest: { origins: 6, horizonWeeks: 6 } });
    expect(accuracy?.method).toEqual({ absoluteErrorMinor: 0, accuracy: { percent: '100.00', exact: { numerator: '100', denominator: '1' } } });
    expect(Number(accuracy?.baseline.accuracy.percent)).toBeLessThan(100);
    // Six Mondays, the last six weeks before the week of 2026-06-10 (Monday 2026-06-08), so every week compared is over.
    expect(accuracy?.origins).toEqual(['2026-03-23', '2026-03-30', '2026-04-06', '2026-04-13', '2026-04-20', '2026-04-27']);
  });

  const ledger = paymentBehaviourLedger({ seed: 7, asOf: '2026-06-30', customers: 24 });
  const forecast = cashForecast({ invoices: ledger.invoices, receipts: ledger.receipts, currency: 'EUR', asOf: ledger.asOf });
  const method = forecast.accuracy?.method.accuracy.percent;
  const baseline = forecast.accuracy?.baseline.accuracy.percent;

  it(`given a generated year of customers on time, late by N days, erratic and partial, when backtested 8 times over 13 weeks, then the method (${method} %) beats the average-days-to-pay baseline (${baseline} %)`, () => {
    expect(forecast.accuracy).not.toBeNull();
    const accuracy = forecast.accuracy!;
    const value = (exact: { numerator: string; denominator: string } | null) => Number(BigInt(exact!.numerator) * 10_000n / BigInt(exact!.denominator));
    expect(value(accuracy.method.accuracy.exact)).toBeGreaterThan(value(accuracy.baseline.accuracy.exact));
    expect(accuracy.method.absoluteErrorMinor).toBeLessThan(accuracy.baseline.absoluteErrorMinor);
    expect(accuracy.byWeeksAhead).toHaveLength(13);
    expect(accuracy.byWeeksAhead.reduce((sum, lead) => sum + lead.actualMinor, 0)).toBe(accuracy.actualMinor);
  });

  it.each([1, 2, 3])('given a generated ledger (seed %i), when forecast, then nothing is expected before today, low ≤ expected ≤ high each week, and Σ weeks + after + held = Σ open', (seed) => {
    const generated = paymentBehaviourLedger({ seed, asOf: '2026-06-30', customers: 12 });
    const result = cashForecast({ invoices: generated.invoices, receipts: generated.receipts, currency: 'EUR', asOf: generated.asOf, backtest: false });
    for (const piece of result.expectations) {
      expect(piece.expectedDate >= generated.asOf).toBe(true);
      expect(piece.earliestDate <= piece.expectedDate && piece.expectedDate <= piece.latestDate).toBe(true);
    }
    for (const week of result.weeks) {
      expect(week.lowMinor).toBeLessThanOrEqual(week.expectedMinor);
      expect(week.expectedMinor).toBeLessThanOrEqual(week.highMinor);
    }
    expect(result.weeks[0]?.weekStart).toBe(isoWeekStart(generated.asOf));
    const open = generated.invoices.reduce((sum, item) => sum + item.openMinor, 0);
    expect(result.weeks.reduce((sum, week) => sum + week.expectedMinor, 0) + result.afterMinor + result.heldMinor).toBe(open);
  });
});
