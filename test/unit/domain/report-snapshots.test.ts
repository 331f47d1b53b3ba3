import { describe, expect, it } from 'vitest';
import type { MatchRule } from '#domain/cash-matching';
import { cashApplicationKpis, type KpiPayment } from '#domain/cash-application-kpis';
import { creditSalesByMonth } from '#domain/kpis';
import { arSnapshots, countedDays, forecastReport, kpiRows, kpiReport, MAX_SAMPLES, monthFigures, monthRange, samplesOf, type ForecastSnapshot, type MonthInputs } from '#domain/report-snapshots';
import { Random } from '../../support/cash-ledger.ts';

const AUTO = 'cash-application';
const RULES: MatchRule[] = ['rf-reference', 'invoice-number', 'amount-exact', 'remittance-advice'];
const FORMATS = ['camt053', 'bai2', 'mt940', 'csv'];
const MONTHS = ['2026-04', '2026-05', '2026-06'];

type LedgerPayment = MonthInputs['payments'][number];

/** Random bank entries over three months: auto-applied, touched by a person, left unmatched, returned. */
function randomPayments(random: Random, count: number): LedgerPayment[] {
  return Array.from({ length: count }, (_, index) => {
    const bookingDate = `${random.pick(MONTHS)}-${String(random.int(1, 28)).padStart(2, '0')}`;
    const createdAt = `${bookingDate}T08:00:00.000Z`;
    const amountMinor = random.int(1, 500_000);
    const kind = random.int(0, 3);
    const allocations = kind === 3 ? [] : [{ invoiceId: `I${index}`, invoiceNumber: `N${index}`, amountMinor: kind === 2 ? amountMinor - 1 : amountMinor, rule: random.pick(RULES), reason: 'test', by: kind === 1 ? 'alice' : AUTO, at: createdAt }];
    return {
      id: `P${index}`,
      status: random.chance(0.05) ? 'REVERSED' : allocations.length > 0 ? 'APPLIED' : 'UNMATCHED',
      currency: random.chance(0.9) ? 'EUR' : 'JPY',
      amountMinor,
      createdAt,
      bookingDate,
      allocations,
      adjustments: [],
      deductions: [],
      unappliedMinor: kind === 2 ? 1 : kind === 3 ? amountMinor : 0,
      source: { bankFile: `sha-${index % FORMATS.length}`, fileKey: 'x', entryId: `${index}` },
    } as unknown as LedgerPayment;
  });
}

const formatByFile = Object.fromEntries(FORMATS.map((format, index) => [`sha-${index}`, format]));

function figuresOf(input: Partial<MonthInputs> & { month: string }) {
  return monthFigures({ currency: 'EUR', today: '2026-06-28', at: '2026-06-28T12:00:00.000Z', documents: [], payments: [], formatByFile, disputes: [], promises: [], reminders: [], orderEvents: [], ...input });
}

describe('report snapshots: month figures add up across months', () => {
  it('given random entries over three months (seeds 1–20), when each month is kept as counts and merged, then the rates equal those computed over all entries at once', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const payments = randomPayments(new Random(seed), 60);
      const months = MONTHS.map((month) => figuresOf({ month, payments }));

      const merged = kpiReport({ currency: 'EUR', from: '2026-04', to: '2026-06', months, closing: undefined, opening: undefined }).cashApplication;
      const direct = cashApplicationKpis({ payments: payments as KpiPayment[], currency: 'EUR', at: '2026-06-28T12:00:00.000Z', formatByFile });

      expect(merged.envelope).toEqual(direct.envelope);
      expect(merged.line).toEqual(direct.line);
      expect(merged.straightThrough).toEqual(direct.straightThrough);
      expect(merged.byRule).toEqual(direct.byRule);
      expect(merged.byFormat.map((row) => [row.format, row.entries.count, row.envelope])).toEqual(direct.byFormat.map((row) => [row.format, row.entries, row.envelope]));
      expect(merged.exceptions.raised).toBe(direct.exceptions.raised);
    }
  });

  it('given random invoices and credit notes (one void, one in JPY), when kept per month, then credit sales equal creditSalesByMonth', () => {
    const random = new Random(7);
    const documents = Array.from({ length: 80 }, (_, index) => ({
      id: `D${index}`,
      status: index === 3 ? ('VOID' as const) : ('OPEN' as const),
      document: { kind: random.chance(0.2) ? ('credit-note' as const) : ('invoice' as const), currency: index === 5 ? 'JPY' : 'EUR', issueDate: `${random.pick(MONTHS)}-${String(random.int(1, 28)).padStart(2, '0')}`, payableMinor: random.int(1, 999_999) },
    }));

    const kept = MONTHS.map((month) => figuresOf({ month, documents }).creditSalesMinor);

    expect(kept).toEqual(creditSalesByMonth({ documents, currency: 'EUR', months: MONTHS }).map((month) => month.creditSalesMinor));
  });

  it('given the month still running, when counted, then DSO counts its days through today only', () => {
    expect(countedDays({ month: '2026-06', through: '2026-06-20' })).toBe(20);
    expect(countedDays({ month: '2026-02', through: '2026-02-28' })).toBe(28);
    expect(figuresOf({ month: '2026-06', today: '2026-06-20' }).through).toBe('2026-06-20');
    expect(figuresOf({ month: '2026-05' }).through).toBe('2026-05-31');
  });

  it('given months the job never ran for, when reported, then they count as empty and are named', () => {
    const report = kpiReport({ currency: 'EUR', from: '2026-04', to: '2026-06', months: [figuresOf({ month: '2026-05' })], closing: undefined, opening: undefined });

    expect(report.missingMonths).toEqual(['2026-06', '2026-04']);
    expect(report.dso.standard.days).toBeNull();
  });

  it('given from after to or more than 24 months, then a RangeError that says so', () => {
    expect(() => monthRange('2026-05', '2026-04')).toThrow(/after/);
    expect(() => monthRange('2020-01', '2026-04')).toThrow(/at most 24/);
    expect(monthRange('2025-11', '2026-02')).toEqual(['2026-02', '2026-01', '2025-12', '2025-11']);
  });
});

describe('report snapshots: AR and forecast', () => {
  it('given open invoices in two currencies, when snapshotted, then per currency the open AR, and current AR is what is not past due', () => {
    const invoice = (id: string, currency: string, dueDate: string, openMinor: number) => ({ id, customerId: 'C', status: 'OPEN' as const, openMinor, dunning: undefined, document: { kind: 'invoice' as const, number: id, currency, dueDate } });
    const snapshots = arSnapshots({ invoices: [invoice('A', 'EUR', '2026-06-01', 100), invoice('B', 'EUR', '2026-06-20', 250), invoice('C', 'EUR', '2026-06-20', 50), invoice('D', 'KWD', '2026-07-01', 1_234)], date: '2026-06-20', takenAt: '2026-06-20T23:00:00.000Z' });

    expect(snapshots.map((snapshot) => [snapshot.currency, snapshot.openArMinor, snapshot.currentArMinor])).toEqual([
      ['EUR', 400, 300],
      ['KWD', 1_234, 1_234],
    ]);
  });

  it('given a 6-week forecast, when 2 weeks are asked for, then the other 4 weeks move into afterMinor and the total stays', () => {
    const weeks = [10, 20, 30, 40, 50, 60].map((expectedMinor, index) => ({ weekStart: `2026-06-${String(1 + 7 * index).padStart(2, '0')}`, expectedMinor, lowMinor: 0, highMinor: expectedMinor }));
    const snapshot = { asOf: '2026-06-01', currency: 'EUR', method: 'customer-history', weeks, afterMinor: 5, heldMinor: 7, accuracy: null, takenAt: 'x', byBasis: {}, invoices: 0 } as ForecastSnapshot;

    const report = forecastReport(snapshot, 2);

    expect(report.weeks.map((week) => week.expectedMinor)).toEqual([10, 20]);
    expect(report.afterMinor).toBe(5 + 30 + 40 + 50 + 60);
    expect(() => forecastReport(snapshot, 7)).toThrow(/weeks must be 1..6/);
  });

  it('given a report, when written as CSV rows, then DSO carries its inputs and every rate its part and whole', () => {
    const report = kpiReport({ currency: 'EUR', from: '2026-06', to: '2026-06', months: [figuresOf({ month: '2026-06', payments: randomPayments(new Random(3), 10) })], closing: { currency: 'EUR', date: '2026-06-28', takenAt: 'x', openArMinor: 15_000, currentArMinor: 4_000, invoices: 3 }, opening: undefined });

    const rows = kpiRows(report);

    expect(rows[0]).toMatchObject({ figure: 'DSO (standard)', endingArMinor: 15_000, days: 28 });
    const envelope = rows.find((row) => row.figure === 'envelope match rate by count')!;
    expect(envelope).toMatchObject({ part: report.cashApplication.envelope.byCount.part, whole: report.cashApplication.envelope.byCount.whole, value: report.cashApplication.envelope.byCount.percent });
  });
});

describe('report snapshots: cohorts, gaps and limits (adversarial review)', () => {
  const orderEvent = (type: string, at: string, after: string) => ({ id: `${type}-${at}`, entity: 'order' as const, entityId: 'O1', type, actor: 'workflow:order', at, after });

  it('given an order placed on 01-20, invoiced 02-02 and paid 02-20, when January is judged on 02-25, then it counts as invoiced touchless with its whole cycle', () => {
    const events = [orderEvent('OrderStored', '2026-01-20T08:00:00.000Z', 'RECEIVED'), orderEvent('CreditApproved', '2026-01-20T08:01:00.000Z', 'APPROVED'), orderEvent('InvoiceIssued', '2026-02-02T08:00:00.000Z', 'INVOICED'), orderEvent('OrderPaid', '2026-02-20T08:00:00.000Z', 'PAID')];

    const january = figuresOf({ month: '2026-01', today: '2026-02-25', at: '2026-02-25T12:00:00.000Z', orderEvents: events });

    expect(january.orders).toMatchObject({ orders: 1, invoiced: 1, touchless: 1 });
    expect(january.orders.cycle.orderedToPaid.count).toBe(1);
    expect(january.through).toBe('2026-01-31');
  });

  it('given a promise recorded on 01-25 for 02-05 and paid on 02-03, when January is judged on 02-10, then the promise is kept, not pending', () => {
    const promise = { date: '2026-02-05', amountMinor: 500, openAtPromiseMinor: 500, recordedAt: '2026-01-25T09:00:00.000Z', recordedBy: 'alice' };
    const payment = { ...randomPayments(new Random(1), 1)[0]!, currency: 'EUR', status: 'APPLIED', bookingDate: '2026-02-03', allocations: [{ invoiceId: 'I1', invoiceNumber: 'N1', amountMinor: 500, rule: 'rf-reference', reason: 'x', by: AUTO, at: '2026-02-03T08:00:00.000Z' }] } as LedgerPayment;

    const january = figuresOf({ month: '2026-01', today: '2026-02-10', at: '2026-02-10T12:00:00.000Z', promises: [{ invoiceId: 'I1', currency: 'EUR', promise }], payments: [payment] });

    expect(january.collections.promises).toMatchObject({ kept: 1, broken: 0, pending: 0 });
  });

  it('given no AR snapshot in the last month, or months the job never ran, then DSO, BPDSO, ADD and CEI are null with the reason, never 0.00', () => {
    const months = ['2026-04', '2026-05', '2026-06'].map((month) => figuresOf({ month }));
    const stale = { currency: 'EUR', date: '2026-05-31', takenAt: 'x', openArMinor: 100, currentArMinor: 0, invoices: 1 };

    const noClosing = kpiReport({ currency: 'EUR', from: '2026-04', to: '2026-06', months, closing: stale, opening: undefined });
    const gap = kpiReport({ currency: 'EUR', from: '2026-04', to: '2026-06', months: months.slice(0, 2), closing: { ...stale, date: '2026-06-28' }, opening: undefined });

    for (const report of [noClosing, gap]) expect([report.dso.standard.days, report.dso.countBack.days, report.bpdso.days, report.add.days, report.cei.percent]).toEqual([null, null, null, null, null]);
    expect(noClosing.notes.join(' ')).toContain('no AR snapshot was taken in 2026-06');
    expect(gap.notes.join(' ')).toContain('no figures for 2026-06');
  });

  it('given 5,000 durations in a month, then the item keeps 100 evenly spaced by rank and the exact count, and the report says it is sampled', () => {
    const values = Array.from({ length: 5_000 }, (_, index) => (index * 7_919) % 5_000);
    const kept = samplesOf(values);

    expect(kept.count).toBe(5_000);
    expect(kept.seconds).toHaveLength(MAX_SAMPLES);
    expect([kept.seconds[0], kept.seconds.at(-1)]).toEqual([0, 4_999]);
    const month = figuresOf({ month: '2026-06' });
    month.orders.cycle.orderedToPaid = kept;
    const report = kpiReport({ currency: 'EUR', from: '2026-06', to: '2026-06', months: [month], closing: undefined, opening: undefined });
    expect(report.orders.cycle.orderedToPaid).toMatchObject({ count: 5_000, sampled: true });
    expect(report.orders.cycle.orderedToPaid).not.toHaveProperty('seconds');
    expect(Number(report.orders.cycle.orderedToPaid.median?.seconds)).toBeGreaterThanOrEqual(2_450);
    expect(Number(report.orders.cycle.orderedToPaid.median?.seconds)).toBeLessThanOrEqual(2_550);
  });
});
