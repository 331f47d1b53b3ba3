import { describe, expect, it } from 'vitest';
import { assertBalanced, isBalanced, type BankEntry } from '#domain/bank-statement';
import { Random } from '../../support/cash-ledger.ts';

const entry = (currency: string, amountMinor: number, n: number): BankEntry => ({
  id: `S:${n}`,
  account: 'CH1904835028789771000',
  currency,
  amountMinor,
  bookingDate: '2026-01-02',
  valueDate: '2026-01-02',
  reversal: false,
  bankReference: `R${n}`,
  references: [],
  remittance: '',
  counterparty: {},
});

describe('isBalanced', () => {
  it('given random statements with entries in their own and in other currencies, when checked, then only entries in the statement currency count (seeded)', () => {
    const random = new Random(10);
    for (let run = 0; run < 200; run++) {
      const currency = random.pick(['EUR', 'JPY', 'KWD']);
      const entries = Array.from({ length: random.int(0, 8) }, (_, n) => entry(random.chance(0.3) ? random.pick(['USD', 'CHF', 'SEK']) : currency, random.int(-5_000_000, 5_000_000), n));
      const openingMinor = random.int(-1_000_000, 1_000_000);
      const own = entries.filter((e) => e.currency === currency).reduce((sum, e) => sum + e.amountMinor, 0);
      const off = random.chance(0.5) ? 0 : random.pick([1, -1, 1500]);
      const statement = { id: 'S', account: 'A', currency, openingMinor, closingMinor: openingMinor + own + off, entries };
      expect(isBalanced(statement)).toBe(off === 0);
    }
  });

  it('given a CHF statement that is short by a USD entry counted as CHF, when asserted, then the message names the CHF sum only', () => {
    const statement = { id: 'S', account: 'A', currency: 'CHF', openingMinor: 0, closingMinor: 13_400, entries: [entry('CHF', 13_400, 1), entry('USD', 1999, 2)] };
    expect(isBalanced(statement)).toBe(true);
    expect(() => assertBalanced({ format: 'camt053', statements: [{ ...statement, closingMinor: 15_399, balanced: false }] })).toThrow(/entries 13400 ≠ closing 15399 \(1999 CHF unexplained\)/);
  });
});
