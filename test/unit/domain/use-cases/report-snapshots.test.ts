import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '#domain/audit';
import type { Invoice } from '#domain/invoice';
import type { Order } from '#domain/order';
import type { Payment } from '#domain/payment';
import type { ArSnapshot, ForecastSnapshot, MonthFigures } from '#domain/report-snapshots';
import { reportForecast, reportKpis, snapshotReports, type ReportSource, type ReportStore } from '#domain/use-cases/report-snapshots';
import { InvalidRequest } from '#domain/errors';
import { storedInvoice } from '../../../support/receivables-ledger.ts';

const TODAY = '2026-06-20';
const clock = { now: () => new Date(`${TODAY}T12:00:00.000Z`) };

/** The store the reports read, in memory, as the DynamoDB one keys it. */
function memoryStore(): ReportStore & { items: Map<string, unknown> } {
  const items = new Map<string, unknown>();
  const latest = (prefix: string, upTo: string) => [...items.keys()].filter((key) => key.startsWith(prefix) && key <= `${prefix}${upTo}`).sort().at(-1);
  return {
    items,
    async save({ snapshots, months, forecasts }) {
      for (const snapshot of snapshots) items.set(`${snapshot.currency}|AR#${snapshot.date}`, snapshot);
      for (const figures of months) items.set(`${figures.currency}|MONTH#${figures.month}`, figures);
      for (const forecast of forecasts) items.set(`${forecast.currency}|FORECAST#${forecast.asOf}`, forecast);
    },
    months: async (currency, months) => months.flatMap((month) => (items.get(`${currency}|MONTH#${month}`) as MonthFigures | undefined) ?? []),
    snapshotOnOrBefore: async (currency, date) => items.get(latest(`${currency}|AR#`, date) ?? '') as ArSnapshot | undefined,
    latestForecast: async (currency) => items.get(latest(`${currency}|FORECAST#`, '~') ?? '') as ForecastSnapshot | undefined,
  };
}

const event = (entity: 'order' | 'invoice', entityId: string, type: string, at: string, after?: string): AuditEvent => ({ id: `${entityId}-${type}-${at}`, entity, entityId, type, actor: 'collections', at, after });

describe('snapshotReports → reportKpis / reportForecast', () => {
  // May: A (1,000.00) issued and paid on time; June: B (500.00) issued, open and promised twice; C (300.00) issued in
  // April, reminded in June, still open.
  const invoiceA = storedInvoice({ id: 'A', customerId: 'C1', currency: 'EUR', issueDate: '2026-05-04', dueDate: '2026-05-18', totalMinor: 1_000_00, openMinor: 0, status: 'PAID' });
  const firstPromise = { date: '2026-06-10', amountMinor: 500_00, openAtPromiseMinor: 500_00, recordedAt: '2026-06-05T09:00:00.000Z', recordedBy: 'alice' };
  const secondPromise = { date: '2026-06-30', amountMinor: 500_00, openAtPromiseMinor: 500_00, recordedAt: '2026-06-12T09:00:00.000Z', recordedBy: 'alice' };
  const invoiceB: Invoice = { ...storedInvoice({ id: 'B', customerId: 'C1', currency: 'EUR', issueDate: '2026-06-02', dueDate: '2026-06-16', totalMinor: 500_00, openMinor: 500_00, status: 'OPEN' }), dunning: { level: 0, promise: secondPromise, pastPromises: [firstPromise] } };
  const invoiceC = storedInvoice({ id: 'C', customerId: 'C2', currency: 'EUR', issueDate: '2026-04-10', dueDate: '2026-05-10', totalMinor: 300_00, openMinor: 300_00, status: 'OPEN' });
  const payment = {
    id: 'P1',
    status: 'APPLIED',
    currency: 'EUR',
    amountMinor: 1_000_00,
    bookingDate: '2026-05-18',
    createdAt: '2026-05-18T08:00:00.000Z',
    allocations: [{ invoiceId: 'A', invoiceNumber: 'INV-A', amountMinor: 1_000_00, rule: 'rf-reference', reason: 'RF', by: 'cash-application', at: '2026-05-18T08:00:00.000Z' }],
    adjustments: [],
    deductions: [],
    unappliedMinor: 0,
    source: { bankFile: 'sha-1', fileKey: 'k', entryId: 'e' },
  } as unknown as Payment;
  const order = { id: 'O1', currency: 'EUR', orderedAt: '2026-06-01T08:00:00.000Z' } as Order;
  const events = [
    event('order', 'O1', 'OrderStored', '2026-06-01T08:00:00.000Z', 'RECEIVED'),
    event('order', 'O1', 'CreditApproved', '2026-06-01T08:01:00.000Z', 'APPROVED'),
    event('order', 'O1', 'OrderShipped', '2026-06-01T12:00:00.000Z', 'SHIPPED'),
    event('order', 'O1', 'InvoiceIssued', '2026-06-02T08:00:00.000Z', 'INVOICED'),
    event('invoice', 'B', 'PromiseToPayRecorded', '2026-06-05T09:00:00.000Z'),
    event('invoice', 'B', 'PromiseToPayRecorded', '2026-06-12T09:00:00.000Z'),
    event('invoice', 'C', 'DunningReminderSent', '2026-06-03T06:00:00.000Z', 'Friendly reminder'),
  ];
  const source: ReportSource = {
    outstandingInvoices: async () => [invoiceB, invoiceC],
    events: async (entity, from, to) => events.filter((item) => item.entity === entity && item.at.slice(0, 10) >= from && item.at.slice(0, 10) <= to),
    documentsDue: async (dueFrom) => [invoiceA, invoiceB, invoiceC].filter((invoice) => invoice.document.dueDate >= dueFrom),
    paymentsBooked: async (from, to) => [payment].filter((item) => item.bookingDate >= from && item.bookingDate <= to),
    disputesOpened: async () => [],
    ordersPlaced: async () => [order],
    invoices: async (ids) => [invoiceA, invoiceB, invoiceC].filter((invoice) => ids.includes(invoice.id)),
    bankFileFormats: async () => ({ 'sha-1': 'camt053' }),
  };

  it('given a small ledger, when the job runs and the KPIs are read, then each figure is what the ledger says, with its inputs', async () => {
    const store = memoryStore();
    const summary = await snapshotReports({}, { source, store, clock, dunning: { policy: async () => undefined } });

    expect(summary).toMatchObject({ date: TODAY, currencies: ['EUR'], months: ['2026-06', '2026-05', '2026-04', '2026-03'] });
    const report = await reportKpis({ currency: 'eur', from: '2026-05', to: '2026-06' }, { store, clock });

    // Sales: May 1,000.00 (A), June 500.00 (B); C was issued in April. Ending AR 800.00, of which B's 500.00 is overdue
    // (due 06-16) and C's too: nothing current. 51 days (31 in May, 20 in June so far).
    expect(report.dso.standard.inputs).toEqual({ endingArMinor: 800_00, creditSalesMinor: 1_500_00, days: 51 });
    expect(report.dso.standard.days).toBe('27.20');
    expect(report.bpdso.inputs.currentArMinor).toBe(0);
    expect(report.cashApplication.envelope.byCount).toEqual({ part: 1, whole: 1, percent: '100.00' });
    expect(report.cashApplication.byFormat.map((row) => row.format)).toEqual(['camt053']);
    // The first promise (by 06-10) was broken; the second (by 06-30) is pending.
    expect(report.collections.promises).toMatchObject({ kept: 0, broken: 1, pending: 1 });
    expect(report.collections.reminders).toEqual([expect.objectContaining({ level: 'Friendly reminder', sent: 1, invoices: 1, paidInvoices: 0 })]);
    expect(report.orders.inputs).toEqual({ orders: 1, invoiced: 1, touchless: 1 });
    expect(report.orders.cycle.orderedToApproved.median?.seconds).toBe(60);
  });

  it('given the job ran, when the forecast is read, then the open 800.00 are all expected or after, none held', async () => {
    const store = memoryStore();
    await snapshotReports({}, { source, store, clock, dunning: { policy: async () => undefined } });

    const forecast = await reportForecast({ currency: 'EUR', weeks: '4' }, { store });

    expect(forecast.weeks).toHaveLength(4);
    expect(forecast.weeks.reduce((sum, week) => sum + week.expectedMinor, 0) + forecast.afterMinor + forecast.heldMinor).toBe(800_00);
  });

  it('given the job ran twice the same day, then the same items are written again, nothing added', async () => {
    const store = memoryStore();
    await snapshotReports({}, { source, store, clock, dunning: { policy: async () => undefined } });
    const first = new Map(store.items);
    await snapshotReports({}, { source, store, clock, dunning: { policy: async () => undefined } });

    expect([...store.items.keys()].sort()).toEqual([...first.keys()].sort());
    expect(store.items).toEqual(first);
  });

  it('given a forecast made earlier this ISO week, when the job runs again, then it keeps that backtest; one of last week is replayed', async () => {
    const store = memoryStore();
    const earlier = (asOf: string) => ({ asOf, currency: 'EUR', method: 'customer-history', weeks: [], afterMinor: 0, heldMinor: 0, accuracy: { sentinel: asOf }, takenAt: 'x', byBasis: {}, invoices: 0 }) as unknown as ForecastSnapshot;
    await store.save({ snapshots: [], months: [], forecasts: [earlier('2026-06-15')] });

    await snapshotReports({}, { source, store, clock, dunning: { policy: async () => undefined } });
    expect((await store.latestForecast('EUR'))?.accuracy).toEqual({ sentinel: '2026-06-15' });

    const lastWeek = memoryStore();
    await lastWeek.save({ snapshots: [], months: [], forecasts: [earlier('2026-06-14')] });
    await snapshotReports({}, { source, store: lastWeek, clock, dunning: { policy: async () => undefined } });
    expect((await lastWeek.latestForecast('EUR'))?.accuracy).not.toEqual({ sentinel: '2026-06-14' });
  });

  it('given a currency whose invoices are all paid, when the job runs, then it writes an AR of 0 for it, so no report takes an older one', async () => {
    const store = memoryStore();
    await snapshotReports({}, { source: { ...source, outstandingInvoices: async () => [] }, store, clock, dunning: { policy: async () => undefined } });

    expect(await store.snapshotOnOrBefore('EUR', TODAY)).toMatchObject({ date: TODAY, openArMinor: 0, currentArMinor: 0 });
  });

  it('given a date other than today or yesterday, then the job refuses it: what is open is read now', async () => {
    await expect(snapshotReports({ date: '2026-06-10' }, { source, store: memoryStore(), clock, dunning: { policy: async () => undefined } })).rejects.toThrow(/today \(2026-06-20\) or the day that just closed/);
  });

  it.each([
    ['a month 13 as to', { to: '2026-13' }],
    ['no month at all', { to: 'abc' }],
    ['a year before 2000', { from: '0050-01', to: '0050-03' }],
    ['a month after this one', { to: '2026-07' }],
  ])('given %s, then a 400-type error, not a crash', async (_case, query) => {
    await expect(reportKpis({ currency: 'EUR', ...query }, { store: memoryStore(), clock })).rejects.toBeInstanceOf(InvalidRequest);
  });

  it('given the job ran, then the dashboard headline DSO is the three-month count-back of the stored months, the same as the report', async () => {
    const store = memoryStore();
    const summary = await snapshotReports({}, { source, store, clock, dunning: { policy: async () => undefined } });
    const report = await reportKpis({ currency: 'EUR', from: '2026-04', to: '2026-06' }, { store, clock });

    expect(summary.headline).toEqual([{ currency: 'EUR', dsoDays: report.dso.countBack.days, matchRatePercent: null }]);
  });

  it('given no run yet, when the forecast is read, then it says so instead of showing zeros as a forecast', async () => {
    expect(await reportForecast({ currency: 'EUR' }, { store: memoryStore() })).toMatchObject({ asOf: null, weeks: [], note: expect.stringContaining('not run') });
  });
});
