import { describe, expect, it } from 'vitest';
import { disputeKpis, promiseKpis, reminderKpis, type CollectionsPayment, type PromiseRecord } from '#domain/collections-kpis';
import { defaultDunningPolicy } from '#domain/dunning';
import type { Dispute } from '#domain/ports';
import { storedInvoice } from '../../support/receivables-ledger.ts';

/** A payment booked on `bookingDate` settling `cash` (and `adjusted`) on `invoiceId`. */
const paid = (invoiceId: string, bookingDate: string, cash: number, extra: { adjusted?: number; status?: CollectionsPayment['status']; currency?: string } = {}): CollectionsPayment => ({
  status: extra.status ?? 'APPLIED',
  currency: extra.currency ?? 'EUR',
  bookingDate,
  allocations: cash > 0 ? [{ invoiceId, invoiceNumber: invoiceId, amountMinor: cash, rule: 'rf-reference', reason: 'test', by: 'cash-application', at: `${bookingDate}T10:00:00.000Z` }] : [],
  adjustments: extra.adjusted ? [{ invoiceId, kind: 'write-off', amountMinor: extra.adjusted, reason: 'test', by: 'cash-application', at: `${bookingDate}T10:00:00.000Z` }] : [],
});

const promise = (invoiceId: string, date: string, amountMinor: number, currency = 'EUR'): PromiseRecord => ({
  invoiceId,
  currency,
  promise: { date, amountMinor, openAtPromiseMinor: amountMinor * 2, recordedAt: '2026-06-01T10:00:00.000Z', recordedBy: 'alice' },
});

describe('promises to pay: worked example (docs/kpis.md, "Collections")', () => {
  const kpis = promiseKpis({
    promises: [promise('I1', '2026-06-10', 500_00), promise('I2', '2026-06-10', 300_00), promise('I3', '2026-06-20', 100_00), promise('I4', '2026-06-05', 200_00), promise('I5', '2026-06-10', 100_00), promise('I6', '2026-06-10', 80_00), promise('J1', '2026-06-10', 1, 'JPY')],
    payments: [
      paid('I1', '2026-06-08', 500_00), // in time, in full: kept
      paid('I2', '2026-06-12', 300_00), // after the date: broken
      paid('I4', '2026-06-04', 150_00), // short: broken
      paid('I5', '2026-06-09', 100_00, { status: 'REVERSED' }), // returned by the bank: paid nothing
      paid('I6', '2026-06-09', 50_00, { adjusted: 30_00 }), // 50 cash + 30 discount settle the 80 promised: kept
    ],
    currency: 'EUR',
    asOf: '2026-06-15',
  });

  it('given six EUR promises, when judged on 2026-06-15, then 2 kept, 3 broken, 1 pending, and the kept rate is 2/5', () => {
    expect(kpis).toMatchObject({ kept: 2, broken: 3, pending: 1, keptRate: { part: 2, whole: 5, percent: '40.00' }, keptAmount: { part: 580_00, whole: 1_180_00, percent: '49.15' } });
    expect(kpis.promises.map((item) => [item.invoiceId, item.settledByDateMinor, item.outcome])).toEqual([
      ['I1', 500_00, 'kept'],
      ['I2', 0, 'broken'],
      ['I3', 0, 'pending'],
      ['I4', 150_00, 'broken'],
      ['I5', 0, 'broken'],
      ['I6', 80_00, 'kept'],
    ]);
  });

  it('given the promise date itself, when judged that day, then it is still pending (dunning waits until the day after)', () => {
    expect(promiseKpis({ promises: [promise('I1', '2026-06-10', 1)], payments: [], currency: 'EUR', asOf: '2026-06-10' }).pending).toBe(1);
    expect(promiseKpis({ promises: [promise('I1', '2026-06-10', 1)], payments: [], currency: 'EUR', asOf: '2026-06-11' }).broken).toBe(1);
  });
});

describe('disputes: rate and days open (docs/kpis.md, "Collections")', () => {
  const issued = [
    storedInvoice({ id: '1', customerId: 'C', currency: 'EUR', issueDate: '2026-05-02', dueDate: '2026-06-01', totalMinor: 100_00, openMinor: 100_00, status: 'OPEN' }),
    storedInvoice({ id: '2', customerId: 'C', currency: 'EUR', issueDate: '2026-05-03', dueDate: '2026-06-02', totalMinor: 200_00, openMinor: 200_00, status: 'OPEN' }),
    storedInvoice({ id: '3', customerId: 'C', currency: 'EUR', issueDate: '2026-05-04', dueDate: '2026-06-03', totalMinor: 300_00, openMinor: 300_00, status: 'DISPUTED' }),
    storedInvoice({ id: '4', customerId: 'C', currency: 'EUR', issueDate: '2026-05-05', dueDate: '2026-06-04', totalMinor: 1_000_00, openMinor: 0, status: 'PAID' }),
    storedInvoice({ id: '5', customerId: 'C', currency: 'EUR', issueDate: '2026-05-06', dueDate: '2026-06-05', totalMinor: 50_00, openMinor: 0, status: 'VOID' }),
    storedInvoice({ id: '6', customerId: 'C', currency: 'JPY', issueDate: '2026-05-06', dueDate: '2026-06-05', totalMinor: 5_000, openMinor: 5_000, status: 'DISPUTED' }),
  ];
  const dispute = (id: string, invoiceId: string, openedAt: string, resolvedAt?: string): Pick<Dispute, 'id' | 'invoiceId' | 'status' | 'openedAt' | 'resolution'> => ({
    id,
    invoiceId,
    status: resolvedAt ? 'REJECTED' : 'OPEN',
    openedAt,
    resolution: resolvedAt ? { by: 'alice', at: resolvedAt, reason: 'delivered as ordered' } : undefined,
  });
  const kpis = disputeKpis({
    invoices: issued,
    disputes: [dispute('D1', '2', '2026-05-10T09:00:00.000Z', '2026-05-13T09:00:00.000Z'), dispute('D2', '3', '2026-05-20T09:00:00.000Z'), dispute('D3', 'older', '2026-05-25T09:00:00.000Z', '2026-05-26T21:00:00.000Z')],
    currency: 'EUR',
    at: '2026-05-30T09:00:00.000Z',
  });

  it('given four EUR invoices issued (a void one is none) and two of them disputed, when rated, then 2/4 by count and 500/1,600 by amount', () => {
    expect(kpis.rate).toEqual({ byCount: { part: 2, whole: 4, percent: '50.00' }, byAmount: { part: 500_00, whole: 1_600_00, percent: '31.25' } });
    expect(kpis.disputedInvoiceIds).toEqual(['2', '3']);
  });

  it('given disputes resolved after 3 and 1.5 days and one open for 10, when measured, then each is in its own distribution', () => {
    expect(kpis.resolvedIn).toMatchObject({ count: 2, median: { days: '1.50' }, p90: { days: '3.00' } });
    expect(kpis.openFor).toMatchObject({ count: 1, median: { seconds: 864_000, days: '10.00' } });
  });
});

describe('reminders per level and what was paid after each (docs/kpis.md, "Collections")', () => {
  const levels = defaultDunningPolicy.levels.map((level) => level.name);
  const reminder = (invoiceId: string, level: string, sentAt: string) => ({ invoiceId, currency: 'EUR', level, sentAt });
  const rows = reminderKpis({
    reminders: [
      reminder('X', 'friendly reminder', '2026-06-01T06:00:00.000Z'),
      reminder('X', 'first reminder', '2026-06-08T06:00:00.000Z'),
      reminder('X', 'second reminder', '2026-06-15T06:00:00.000Z'),
      reminder('Y', 'friendly reminder', '2026-06-01T06:00:00.000Z'),
      reminder('Z', 'first reminder', '2026-06-08T06:00:00.000Z'),
    ],
    payments: [paid('X', '2026-06-10', 100_00), paid('X', '2026-06-20', 50_00), paid('Y', '2026-06-01', 70_00), paid('Z', '2026-06-07', 999_00)],
    currency: 'EUR',
    levels,
  });

  it('given three invoices reminded at up to three levels, when counted, then each payment counts for the last level before it, in the policy\'s order', () => {
    expect(rows).toEqual([
      { level: 'friendly reminder', sent: 2, invoices: 2, paidInvoices: { part: 1, whole: 2, percent: '50.00' }, paidAfterMinor: 70_00 },
      { level: 'first reminder', sent: 2, invoices: 2, paidInvoices: { part: 1, whole: 2, percent: '50.00' }, paidAfterMinor: 100_00 },
      { level: 'second reminder', sent: 1, invoices: 1, paidInvoices: { part: 1, whole: 1, percent: '100.00' }, paidAfterMinor: 50_00 },
    ]);
  });
});
