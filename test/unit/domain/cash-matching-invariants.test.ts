import { describe, expect, it } from 'vitest';
import type { BankEntry } from '#domain/bank-statement';
import { defaultMatchingPolicy, matchEntries, settlementViolation, type EntryMatch, type OpenItem } from '#domain/cash-matching';
import { Random } from '../../support/cash-ledger.ts';
import { bankEntry } from '../../support/cash-fixtures.ts';

/**
 * Cash application never creates money: whatever a remittance says, an entry allocates at most what arrived, every
 * amount is positive, and no invoice is settled (cash + discount + write-off) past what is open on it.
 */

const invoice = (number: string, customerId: string, currency: string, openMinor: number, extra: Partial<OpenItem> = {}): OpenItem => ({
  id: `id-${number}`,
  number,
  customerId,
  customerName: `Customer ${customerId}`,
  currency,
  openMinor,
  issueDate: '2026-11-01',
  dueDate: '2026-12-01',
  ...extra,
});

const entry = bankEntry;

/** Checks every invariant of one entry's plan against the open amounts before it; returns what broke. */
function broken(match: EntryMatch, open: Map<string, number>): string[] {
  const problems: string[] = [];
  const allocated = match.allocations.reduce((sum, allocation) => sum + allocation.amountMinor, 0);
  if (match.outcome !== 'applied') {
    if (match.allocations.length + match.adjustments.length > 0) problems.push(`${match.outcome} with allocations`);
    return problems;
  }
  if (allocated > match.amountMinor) problems.push(`allocates ${allocated} of ${match.amountMinor}`);
  if (allocated + match.unappliedMinor !== match.amountMinor) problems.push(`allocated ${allocated} + unapplied ${match.unappliedMinor} ≠ ${match.amountMinor}`);
  if (match.unappliedMinor < 0) problems.push(`unapplied ${match.unappliedMinor}`);
  for (const line of [...match.allocations, ...match.adjustments]) {
    if (!Number.isSafeInteger(line.amountMinor) || line.amountMinor <= 0) problems.push(`${line.invoiceId}: amount ${line.amountMinor}`);
  }
  const cashOn = new Map<string, number>();
  for (const allocation of match.allocations) cashOn.set(allocation.invoiceId, (cashOn.get(allocation.invoiceId) ?? 0) + allocation.amountMinor);
  const adjustedOn = new Map<string, number>();
  for (const adjustment of match.adjustments) adjustedOn.set(adjustment.invoiceId, (adjustedOn.get(adjustment.invoiceId) ?? 0) + adjustment.amountMinor);
  for (const [invoiceId, cash] of cashOn) if (cash > (open.get(invoiceId) ?? 0)) problems.push(`${invoiceId}: cash ${cash} > open ${open.get(invoiceId) ?? 0}`);
  for (const [invoiceId, adjusted] of adjustedOn) {
    const left = (open.get(invoiceId) ?? 0) - (cashOn.get(invoiceId) ?? 0);
    if (adjusted > left) problems.push(`${invoiceId}: adjustments ${adjusted} > ${left} open after allocations`);
  }
  return problems;
}

describe('matchEntries: cash application never creates money', () => {
  it('given invoices of 1 000.00 and 5.00 named and 995.00 paid, when matching, then 995.00 is allocated and the 10.00 fee is written off within each invoice', () => {
    const items = [invoice('INV-2026-000501', 'acme', 'EUR', 100_000), invoice('INV-2026-000502', 'acme', 'EUR', 500, { dueDate: '2026-12-05' })];
    const [match] = matchEntries([entry(99_500, { remittance: 'INV-2026-000501 INV-2026-000502' })], { openItems: items });

    expect(broken(match!, new Map(items.map((item) => [item.id, item.openMinor])))).toEqual([]);
    expect(match!.allocations.reduce((sum, allocation) => sum + allocation.amountMinor, 0)).toBe(99_500);
    expect(match!.adjustments.reduce((sum, adjustment) => sum + adjustment.amountMinor, 0)).toBe(1_000);
    expect(match!.adjustments.every((adjustment) => adjustment.kind === 'write-off')).toBe(true);
  });

  it('given 19.99 × 3 at 19 % named with a 2 % discount and a fee taken, when matching, then the discount and write-off stay within the invoice', () => {
    // 5 997 net + 1 139 tax = 7 136; 2 % = 143 (half-up); paid 7 136 − 143 − 9 (bank charges).
    const items = [invoice('INV-2026-000601', 'acme', 'EUR', 7_136, { earlyPaymentDiscount: { rateBasisPoints: 200, days: 10 } })];
    const [match] = matchEntries([entry(6_984, { remittance: 'INV-2026-000601' })], { openItems: items });

    expect(match).toMatchObject({ outcome: 'applied', allocations: [{ amountMinor: 6_984 }] });
    expect(broken(match!, new Map([[items[0]!.id, 7_136]]))).toEqual([]);
  });

  it('given random remittances naming random subsets with shortfalls, fees, discounts and overpayments, when matching, then every entry keeps every invariant', () => {
    const currencies = [
      { code: 'EUR', scale: 100 },
      { code: 'JPY', scale: 1 },
      { code: 'KWD', scale: 1_000 },
      { code: 'USD', scale: 100 },
    ];
    const policy = { ...defaultMatchingPolicy, bankFeeToleranceMinor: { ...defaultMatchingPolicy.bankFeeToleranceMinor, JPY: 2_000, KWD: 5_000 } };
    let applied = 0;
    let withAdjustments = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const random = new Random(seed);
      const items: OpenItem[] = [];
      const customers = random.int(1, 3);
      for (let customer = 0; customer < customers; customer++) {
        const currency = random.pick(currencies);
        const count = random.int(1, 6);
        for (let index = 0; index < count; index++) {
          const number = `INV-2026-${String(seed * 100 + customer * 10 + index).padStart(6, '0')}`;
          // Awkward amounts: tiny invoices beside large ones, so a fee can exceed one of them.
          const openMinor = random.chance(0.3) ? random.int(1, 9 * currency.scale) : random.int(1, 2_000 * currency.scale);
          items.push(
            invoice(number, `C${seed}-${customer}`, currency.code, openMinor, {
              customerName: `Customer ${seed}-${customer}`,
              dueDate: `2026-12-${String(random.int(1, 28)).padStart(2, '0')}`,
              payerAccounts: [`DE${seed}${customer}000000`],
              earlyPaymentDiscount: random.chance(0.3) ? { rateBasisPoints: random.pick([100, 200, 300]), days: 30 } : undefined,
            }),
          );
        }
      }
      const open = new Map(items.map((item) => [item.id, item.openMinor]));
      const entries: BankEntry[] = [];
      for (let index = random.int(1, 6); index > 0; index--) {
        const customer = random.pick(items).customerId;
        const own = items.filter((item) => item.customerId === customer);
        const named = own.filter(() => random.chance(0.6));
        const chosen = named.length > 0 ? named : [random.pick(own)];
        const currency = chosen[0]!.currency;
        const total = chosen.reduce((sum, item) => sum + item.openMinor, 0);
        const shape = random.pick(['exact', 'fee', 'short', 'discount', 'over', 'tiny', 'unnamed']);
        const amount =
          shape === 'exact' ? total
          : shape === 'fee' ? total - random.int(1, 1_500)
          : shape === 'short' ? total - random.int(1, Math.max(1, Math.floor(total / 2)))
          : shape === 'discount' ? total - Math.floor((total * random.pick([100, 200, 300])) / 10_000) - random.int(0, 20)
          : shape === 'over' ? total + random.int(1, 10_000)
          : shape === 'tiny' ? random.int(1, 10)
          : random.pick(own).openMinor - random.int(0, 15);
        if (amount <= 0) continue;
        const remittance = shape === 'unnamed' ? '' : chosen.map((item) => item.number).join(random.pick([' ', ', ', ' / ']));
        entries.push(entry(amount, { currency, remittance, counterparty: random.chance(0.5) ? { account: own[0]!.payerAccounts![0] } : {} }));
      }
      const matches = matchEntries(entries, { openItems: items }, policy);
      matches.forEach((match, index) => {
        const problems = broken(match, open);
        const what = `seed ${seed}, entry ${index}: ${entries[index]!.amountMinor} "${entries[index]!.remittance}" → ${match.reason}`;
        expect(problems, what).toEqual([]);
        // The engine keeps the invariants itself; its last guard (a refused plan) never has to speak.
        expect(match.reason, what).not.toContain('that plan was refused');
        if (match.outcome === 'applied') {
          applied++;
          if (match.adjustments.length > 0) withAdjustments++;
          for (const line of [...match.allocations, ...match.adjustments]) open.set(line.invoiceId, (open.get(line.invoiceId) ?? 0) - line.amountMinor);
        }
      });
    }
    // The generator really reaches the interesting paths.
    expect(applied).toBeGreaterThan(300);
    expect(withAdjustments).toBeGreaterThan(30);
  });
});

describe('settlementViolation: one definition of what a plan may do', () => {
  const open = (amounts: Record<string, number>) => (invoiceId: string) => amounts[invoiceId];
  const plan = (overrides: Partial<Parameters<typeof settlementViolation>[0]> = {}) => ({ amountMinor: 1_000, allocations: [{ invoiceId: 'a', amountMinor: 600 }], adjustments: [], unappliedMinor: 400, ...overrides });

  it('given a plan within the money and the open amounts, when checked, then it passes', () => {
    expect(settlementViolation(plan({ adjustments: [{ invoiceId: 'a', amountMinor: 5 }] }), open({ a: 605 }))).toBeUndefined();
  });

  it('given allocations above the amount, when checked, then the reason says so', () => {
    expect(settlementViolation(plan({ allocations: [{ invoiceId: 'a', amountMinor: 1_001 }], unappliedMinor: -1 }), open({ a: 5_000 }))).toMatch(/1001.*more than the 1000/);
  });

  it('given a write-off above what the allocation leaves open, when checked, then the reason names the invoice', () => {
    expect(settlementViolation(plan({ adjustments: [{ invoiceId: 'a', amountMinor: 10 }] }), open({ a: 605 }))).toMatch(/a/);
  });

  it('given a zero or negative amount, a fraction, or an invoice that is not open, when checked, then each is refused', () => {
    expect(settlementViolation(plan({ allocations: [{ invoiceId: 'a', amountMinor: 0 }], unappliedMinor: 1_000 }), open({ a: 600 }))).toBeDefined();
    expect(settlementViolation(plan({ adjustments: [{ invoiceId: 'a', amountMinor: -5 }] }), open({ a: 600 }))).toBeDefined();
    expect(settlementViolation(plan({ allocations: [{ invoiceId: 'a', amountMinor: 600.5 }], unappliedMinor: 399.5 }), open({ a: 700 }))).toBeDefined();
    expect(settlementViolation(plan(), open({}))).toMatch(/not open/);
  });

  it('given allocations and unapplied cash that do not add up to the amount, when checked, then it is refused', () => {
    expect(settlementViolation(plan({ unappliedMinor: 300 }), open({ a: 600 }))).toMatch(/unapplied/);
  });
});

describe('matchEntries: an entry in another currency than its statement', () => {
  const items = [invoice('INV-2026-000701', 'acme', 'USD', 5_000, { payerAccounts: ['US12345678'] }), invoice('INV-2026-000702', 'acme', 'EUR', 5_000, { payerAccounts: ['US12345678'] })];

  it('given a USD entry on a EUR statement naming a USD invoice, when matching, then it goes to exceptions with the reason and pays nothing', () => {
    const [match] = matchEntries([{ ...entry(5_000, { currency: 'USD', remittance: 'INV-2026-000701' }), statementCurrency: 'EUR' }], { openItems: items });
    expect(match).toMatchObject({ outcome: 'unmatched', allocations: [], adjustments: [], reason: 'entry in USD on a EUR statement' });
  });

  it('given a USD entry on a EUR statement from a known payer, when matching, then no invoice of either currency is paid', () => {
    const [match] = matchEntries([{ ...entry(5_000, { currency: 'USD', counterparty: { account: 'US12345678' } }), statementCurrency: 'EUR' }], { openItems: items });
    expect(match).toMatchObject({ outcome: 'unmatched', allocations: [] });
  });

  it('given an entry in its statement’s currency, when matching, then it is matched as usual', () => {
    const [match] = matchEntries([{ ...entry(5_000, { currency: 'USD', remittance: 'INV-2026-000701' }), statementCurrency: 'USD' }], { openItems: items });
    expect(match).toMatchObject({ outcome: 'applied', allocations: [{ invoiceId: 'id-INV-2026-000701' }] });
  });
});
