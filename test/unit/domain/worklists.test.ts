import { describe, expect, it } from 'vitest';
import { summarize } from '#domain/use-cases/worklists';
import { invoiceWork, workChanges, type WorkEntry } from '#domain/worklists';
import { storedInvoice } from '../../support/cash-fixtures.ts';

const entry = (entityId: string, since: string, amountMinor: number, currency = 'EUR'): WorkEntry => ({
  kind: 'disputes',
  entityId,
  entity: 'invoice',
  since,
  currency,
  amountMinor,
  summary: 's',
  resolve: { method: 'POST', path: '/x' },
  details: '/x',
});

describe('invoiceWork', () => {
  it('given an invoice disputed, with a bounced email and a broken promise, when listed, then it is on three worklists at once', () => {
    const invoice = storedInvoice('INV-2026-000001', 5_000, {
      status: 'DISPUTED',
      dispute: { id: 'D1', statusBefore: 'OPEN', openedAt: '2026-11-02T10:00:00Z' },
      email: { status: 'BOUNCED', attempts: 1, failedAt: '2026-11-01T09:00:00Z' },
      dunning: { level: 2, brokenPromise: { date: '2026-11-20', amountMinor: 5_000, detectedOn: '2026-11-21' } },
    });

    expect(invoiceWork(invoice).map((work) => [work.kind, work.since])).toEqual([
      ['disputes', '2026-11-02T10:00:00Z'],
      ['email-failures', '2026-11-01T09:00:00Z'],
      ['broken-promises', '2026-11-21'],
    ]);
  });

  it('given an invoice whose email failed, when listed, then its entry is resolved by sending the email again (POST /invoices/{id}/email); while a retry is in flight it stays, and it leaves once SENT', () => {
    const failed = storedInvoice('INV-2026-000003', 5_000, { email: { status: 'FAILED', attempts: 4, failedAt: '2026-11-01T09:00:00Z', lastError: 'throttled' } });

    expect(invoiceWork(failed)).toMatchObject([{ kind: 'email-failures', since: '2026-11-01T09:00:00Z', summary: 'invoice INV-2026-000003: email failed', resolve: { method: 'POST', path: '/invoices/id-INV-2026-000003/email' }, details: '/invoices/id-INV-2026-000003' }]);
    expect(invoiceWork({ ...failed, email: { ...failed.email, status: 'SENDING' } })).toMatchObject([{ kind: 'email-failures', since: '2026-11-01T09:00:00Z', summary: 'invoice INV-2026-000003: email being sent again' }]);
    expect(invoiceWork({ ...failed, email: { ...failed.email, status: 'SENT' } })).toEqual([]);
    expect(invoiceWork({ ...failed, email: { status: 'SENDING', attempts: 1 } })).toEqual([]);
  });

  it('given a paid invoice with an old broken promise, when listed, then it is on no worklist', () => {
    expect(invoiceWork(storedInvoice('INV-2026-000002', 0, { status: 'PAID', dunning: { level: 1, brokenPromise: { date: '2026-11-20', amountMinor: 1, detectedOn: '2026-11-21' } } }))).toEqual([]);
  });
});

describe('workChanges', () => {
  it('given entries before and after, when compared, then new and changed ones are written and gone ones removed, unchanged ones left alone', () => {
    const changes = workChanges([entry('A', '1', 10), entry('B', '1', 10), entry('C', '1', 10)], [entry('A', '1', 10), entry('B', '1', 7), entry('D', '2', 5)]);

    expect(changes.put.map((work) => work.entityId)).toEqual(['B', 'D']);
    expect(changes.remove.map((work) => work.entityId)).toEqual(['C']);
  });
});

describe('summarize', () => {
  it('given entries in two currencies, when summarised, then the count, the oldest and an amount per currency (never added across)', () => {
    expect(summarize('disputes', [entry('A', '2026-11-03', 100), entry('B', '2026-11-01', 250, 'JPY'), entry('C', '2026-11-02', 5)])).toEqual({
      kind: 'disputes',
      count: 3,
      oldestAt: '2026-11-01',
      amounts: [
        { currency: 'EUR', amountMinor: 105 },
        { currency: 'JPY', amountMinor: 250 },
      ],
    });
  });
});
