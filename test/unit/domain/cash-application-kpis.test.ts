import { describe, expect, it } from 'vitest';
import { cashApplicationKpis, type KpiPayment } from '#domain/cash-application-kpis';
import type { PaymentAllocation, PaymentAdjustment } from '#domain/payment';
import type { MatchRule } from '#domain/cash-matching';
import { Random } from '../../support/receivables-ledger.ts';

const AUTO = 'cash-application';
const FILES = { 'sha-camt': 'camt053', 'sha-bai2': 'bai2', 'sha-mt940': 'mt940', 'sha-csv': 'csv' };

function payment(id: string, input: { amountMinor: number; file: string; status?: KpiPayment['status']; currency?: string; createdAt?: string; allocations?: [MatchRule, number, string?, string?][]; adjustments?: [number, string][]; deductions?: number; unappliedMinor?: number }): KpiPayment {
  const createdAt = input.createdAt ?? '2026-06-01T08:00:00.000Z';
  const allocations: PaymentAllocation[] = (input.allocations ?? []).map(([rule, amountMinor, by = AUTO, at = createdAt], index) => ({ invoiceId: `I-${id}-${index}`, invoiceNumber: `INV-${id}-${index}`, amountMinor, rule, reason: 'test', by, at }));
  const adjustments: PaymentAdjustment[] = (input.adjustments ?? []).map(([amountMinor, by], index) => ({ invoiceId: `I-${id}-${index}`, kind: 'write-off', amountMinor, reason: 'bank charges', by, at: createdAt }));
  return {
    id,
    status: input.status ?? (allocations.length > 0 ? 'APPLIED' : 'UNMATCHED'),
    currency: input.currency ?? 'EUR',
    amountMinor: input.amountMinor,
    createdAt,
    allocations,
    adjustments,
    deductions: input.deductions ? [{ invoiceId: `I-${id}-0`, amountMinor: input.deductions, reason: 'damaged' }] : [],
    unappliedMinor: input.unappliedMinor ?? (allocations.length > 0 ? 0 : input.amountMinor),
    source: { bankFile: input.file, fileKey: `bank/${input.file}`, entryId: `${id}:1` },
  };
}

// The worked example of docs/kpis.md ("Cash application").
const payments: KpiPayment[] = [
  payment('P1', { amountMinor: 100_00, file: 'sha-camt', allocations: [['rf-reference', 100_00]] }),
  payment('P2', { amountMinor: 50_00, file: 'sha-camt', allocations: [['invoice-number', 40_00]], adjustments: [[10_00, AUTO]] }),
  payment('P3', { amountMinor: 80_00, file: 'sha-bai2', allocations: [['amount-exact', 60_00]], unappliedMinor: 20_00 }),
  payment('P4', { amountMinor: 70_00, file: 'sha-mt940', createdAt: '2026-06-02T09:00:00.000Z' }),
  payment('P5', { amountMinor: 30_00, file: 'sha-csv', allocations: [['manual', 30_00, 'alice', '2026-06-03T08:00:00.000Z']] }),
  payment('P6', { amountMinor: -20_00, file: 'sha-camt', status: 'IGNORED' }),
  payment('P7', { amountMinor: -100_00, file: 'sha-camt', status: 'RETURN' }),
  payment('P8', { amountMinor: 5_000, file: 'sha-camt', currency: 'JPY', allocations: [['rf-reference', 5_000]] }),
  payment('P9', { amountMinor: 40_00, file: 'sha-camt', allocations: [['remittance-advice', 30_00]], deductions: 10_00 }),
];
const AT = '2026-06-05T21:00:00.000Z';

describe('cash application rates: worked example (docs/kpis.md, "Cash application")', () => {
  const kpis = cashApplicationKpis({ payments, currency: 'EUR', at: AT, formatByFile: FILES });

  it('given six EUR entries of which four auto-applied, when rated, then the envelope match rate is 4/6 by count and 270/370 by amount', () => {
    expect(kpis.envelope).toEqual({ byCount: { part: 4, whole: 6, percent: '66.67' }, byAmount: { part: 270_00, whole: 370_00, percent: '72.97' } });
    expect(kpis.entries.map((entry) => entry.paymentId)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5', 'P9']);
  });

  it('given five allocation lines of which four by cash application, when rated, then the line match rate is 4/5 by count and 230/260 by amount', () => {
    expect(kpis.line).toEqual({ byCount: { part: 4, whole: 5, percent: '80.00' }, byAmount: { part: 230_00, whole: 260_00, percent: '88.46' } });
  });

  it('given an overpayment left on account and a deduction, when rated, then only the untouched entries go straight through', () => {
    expect(kpis.straightThrough).toEqual({ byCount: { part: 2, whole: 6, percent: '33.33' }, byAmount: { part: 150_00, whole: 370_00, percent: '40.54' } });
  });

  it('given entries from four bank formats, when rated, then each format has its own rates', () => {
    expect(kpis.byFormat.map(({ format, entries, envelope }) => [format, entries, envelope.byCount.percent])).toEqual([
      ['bai2', 1, '100.00'],
      ['camt053', 3, '100.00'],
      ['csv', 1, '0.00'],
      ['mt940', 1, '0.00'],
    ]);
  });

  it('given the lines\' rules, when rated, then each rule has its share of the lines', () => {
    expect(kpis.byRule.map(({ rule, lines, amount }) => [rule, lines.part, amount.part])).toEqual([
      ['amount-exact', 1, 60_00],
      ['invoice-number', 1, 40_00],
      ['manual', 1, 30_00],
      ['remittance-advice', 1, 30_00],
      ['rf-reference', 1, 100_00],
    ]);
  });

  it('given one exception resolved after two days and one still open, when rated, then they are counted, dated and aged', () => {
    expect(kpis.exceptions).toMatchObject({
      raised: 2,
      open: 1,
      resolved: 1,
      resolvedPerDay: [{ date: '2026-06-03', count: 1, amountMinor: 30_00 }],
      ageAtResolution: { count: 1, median: { seconds: 172_800, days: '2.00' }, samples: [{ id: 'P5', seconds: 172_800 }] },
      openAge: { count: 1, median: { seconds: 302_400, days: '3.50' } },
    });
  });

  it('given no entries, when rated, then the rates have no value rather than 0 %', () => {
    expect(cashApplicationKpis({ payments: [], currency: 'EUR', at: AT }).envelope.byCount).toEqual({ part: 0, whole: 0, percent: null });
  });
});

describe('cash application rates: properties (seeded)', () => {
  it.each([1, 2, 3, 4, 5])('given random payments (seed %i), when rated, then straight-through ≤ envelope, envelope + exceptions = entries, and formats add up', (seed) => {
    const random = new Random(seed);
    const rules: MatchRule[] = ['rf-reference', 'invoice-number', 'amount-exact', 'amount-sum', 'remittance-advice'];
    const list = Array.from({ length: 200 }, (_, index) => {
      const amountMinor = random.int(1, 1_000_000);
      const kind = random.int(0, 4);
      const file = random.pick(Object.keys(FILES).concat('sha-unknown'));
      if (kind === 0) return payment(`P${index}`, { amountMinor, file });
      if (kind === 1) return payment(`P${index}`, { amountMinor, file, allocations: [['manual', amountMinor, 'bob', '2026-06-04T10:00:00.000Z']] });
      const paid = kind === 2 ? amountMinor : random.int(1, amountMinor);
      return payment(`P${index}`, { amountMinor, file, allocations: [[random.pick(rules), paid]], unappliedMinor: amountMinor - paid, deductions: random.chance(0.1) ? 1 : 0 });
    });
    const kpis = cashApplicationKpis({ payments: list, currency: 'EUR', at: AT, formatByFile: FILES });
    expect(kpis.straightThrough.byCount.part).toBeLessThanOrEqual(kpis.envelope.byCount.part);
    expect(kpis.straightThrough.byAmount.part).toBeLessThanOrEqual(kpis.envelope.byAmount.part);
    expect(kpis.envelope.byCount.part + kpis.exceptions.raised).toBe(kpis.envelope.byCount.whole);
    expect(kpis.exceptions.open + kpis.exceptions.resolved).toBe(kpis.exceptions.raised);
    expect(kpis.byFormat.reduce((sum, format) => sum + format.entries, 0)).toBe(list.length);
    expect(kpis.byRule.reduce((sum, rule) => sum + rule.lines.part, 0)).toBe(kpis.line.byCount.whole);
  });
});
