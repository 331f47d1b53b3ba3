/**
 * The keys cash application reads open items by (issue 16): `openItemKeys` derives them from a file's entries with
 * the engine's own readings, and `openItemsReached` is what any `OpenItems` source returns for them. Matching against
 * only what they reach must decide every entry as matching against every open item does.
 */
import { describe, expect, it } from 'vitest';
import type { BankEntry } from '#domain/bank-statement';
import { matchEntries, openItemKeys, openItemsReached, type EntryMatch, type OpenItem } from '#domain/cash-matching';
import { creditorReferenceFor, formatCreditorReferenceForPrint } from '#domain/creditor-reference';
import { SeededRandom } from '../../../local/simulate/random.ts';
import { generateLedger } from '../../support/cash-ledger.ts';

const entry = (amountMinor: number, fields: Partial<BankEntry> = {}): BankEntry => ({
  id: `E-${amountMinor}`,
  account: 'DE02120300000000202051',
  currency: 'EUR',
  amountMinor,
  bookingDate: '2026-06-02',
  valueDate: '2026-06-02',
  reversal: false,
  bankReference: `BR-${amountMinor}`,
  references: [],
  remittance: '',
  counterparty: {},
  ...fields,
});

const item = (number: string, customerId: string, extra: Partial<OpenItem> = {}): OpenItem => ({
  id: `id-${number}`,
  number,
  customerId,
  customerName: `${customerId} GmbH`,
  currency: 'EUR',
  openMinor: 10_000,
  issueDate: '2026-05-01',
  dueDate: '2026-05-31',
  reference: creditorReferenceFor(number),
  ...extra,
});

/** What an entry's match decides (candidates aside: an unknown payer's same-amount candidates are among what was read). */
const decision = (match: EntryMatch) => ({ outcome: match.outcome, customerId: match.customerId, allocations: match.allocations, adjustments: match.adjustments, deductions: match.deductions ?? [], unappliedMinor: match.unappliedMinor, reason: match.reason });

describe('given the generated ledgers with ground truth (test/support/cash-ledger.ts)', () => {
  it.each([
    { seed: 20261102, customers: 300, invoices: 3_000, entries: 2_000, currency: 'EUR' },
    { seed: 7, customers: 300, invoices: 3_000, entries: 2_000, currency: 'EUR' },
    { seed: 20261102, customers: 150, invoices: 1_500, entries: 1_000, currency: 'JPY' },
  ])('when a file of seed $seed in $currency is matched against only the open items its keys reach, then every entry is decided as against every open item', (options) => {
    const ledger = generateLedger(options);
    const reached = openItemsReached(ledger.openItems, openItemKeys(ledger.entries));

    const narrow = matchEntries(ledger.entries, { openItems: reached });
    const whole = matchEntries(ledger.entries, { openItems: ledger.openItems });

    expect(narrow.map(decision)).toEqual(whole.map(decision));
    // A whole file names most of a small ledger; what matters is that nothing it could match is missing.
    expect(reached.length).toBeLessThanOrEqual(ledger.openItems.length);
  });
});

describe('given one entry of a file, whatever form it writes an invoice in', () => {
  const SERIES = ['INV', 'RE', 'AR', 'F'];
  const forms: ((number: string, digits: string) => Partial<BankEntry>)[] = [
    (number) => ({ remittance: `Invoice ${number} thank you` }),
    (number) => ({ remittance: `payment ${number.replace(/-/g, ' ')} / order 4711` }),
    (number) => ({ remittance: `Rechnung ${number.replace(/-/g, '')}` }),
    (_, digits) => ({ remittance: `RE${digits} Danke` }),
    (number) => ({ references: [number] }),
    (number) => ({ remittance: `Ref ${formatCreditorReferenceForPrint(creditorReferenceFor(number))}` }),
    (number) => ({ remittance: creditorReferenceFor(number).toLowerCase() }),
    (number) => ({ endToEndId: number }),
    (number) => ({ remittanceDocuments: [{ number, kind: 'CINV', paidMinor: 10_000 }] }),
    (number) => ({ remittanceDocuments: [{ number: creditorReferenceFor(number), kind: 'CINV' }] }),
  ];

  it('when its keys are derived, then they reach the invoice it names, and the engine names it from what they reach (400 random cases)', () => {
    const random = new SeededRandom(20260516);
    for (let run = 0; run < 400; run++) {
      const series = SERIES[random.int(0, SERIES.length - 1)]!;
      const year = String(random.int(2020, 2030));
      const ledger = Array.from({ length: 30 }, (_, index) => item(`${series}-${year}-${String(random.int(1, 999_999)).padStart(6, '0')}`, `C${index % 7}`, { id: `id-${run}-${index}`, openMinor: random.int(100, 1_000_000) }));
      const named = ledger[random.int(0, ledger.length - 1)]!;
      const written = forms[random.int(0, forms.length - 1)]!(named.number, named.number.replace(/[^0-9]/g, ''));
      const payment = entry(named.openMinor, { counterparty: { name: 'Nobody Known', account: 'GB33BUKB20201555555555' }, ...written });

      const reached = openItemsReached(ledger, openItemKeys([payment]));
      const [match] = matchEntries([payment], { openItems: reached });
      const [whole] = matchEntries([payment], { openItems: ledger });

      expect(reached.map((open) => open.id), JSON.stringify(written)).toContain(named.id);
      expect(decision(match!), JSON.stringify(written)).toEqual(decision(whole!));
    }
  });

  it('when it pays from an account learned for a customer, then the keys reach every open invoice of that customer and no name is read', () => {
    const ledger = [item('INV-2026-000001', 'acme'), item('INV-2026-000002', 'acme'), item('INV-2026-000003', 'bolt')];

    const keys = openItemKeys([entry(20_000, { counterparty: { name: 'Acme GmbH', account: 'DE89 3704 0044 0532 0130 00' } })], { DE89370400440532013000: 'acme' });

    expect(keys).toMatchObject({ customers: ['acme'], names: [], accounts: [] });
    expect(openItemsReached(ledger, keys).map((open) => open.id).sort()).toEqual(['id-INV-2026-000001', 'id-INV-2026-000002']);
  });

  it('when its payer is known only by name, then the keys reach every open invoice of every customer billed under that name', () => {
    const ledger = [item('INV-2026-000001', 'acme', { customerName: 'ACME GmbH & Co. KG' }), item('INV-2026-000002', 'acme', { customerName: 'Acme Holding' }), item('INV-2026-000003', 'acme2', { customerName: 'Acme AG' }), item('INV-2026-000004', 'bolt', { customerName: 'Bolt Ltd' })];

    const keys = openItemKeys([entry(20_000, { counterparty: { name: 'Acme' } })]);

    expect(keys.names).toEqual(['acme']);
    expect(openItemsReached(ledger, keys).map((open) => open.id).sort()).toEqual(['id-INV-2026-000001', 'id-INV-2026-000002', 'id-INV-2026-000003']);
  });

  it('when it is money out, a reversal, or in another currency than its statement, then it reads nothing', () => {
    const keys = openItemKeys([
      entry(-5_000, { remittance: 'INV-2026-000001', counterparty: { name: 'Acme' } }),
      entry(5_000, { reversal: true, remittance: 'INV-2026-000001' }),
      { ...entry(5_000, { currency: 'USD', remittance: 'INV-2026-000001' }), statementCurrency: 'EUR' },
    ]);

    expect(keys).toEqual({ currencies: [], numbers: [], digits: [], customers: [], names: [], accounts: [] });
  });

  it('when its text is long, then only words that could be a number we issue become keys (digits, at most 21 characters)', () => {
    const keys = openItemKeys([entry(5_000, { remittance: `Thank you for the goods INV-2026-000123 ${'X'.repeat(500)} 2026000123` })]);

    expect(keys.numbers).toContain('INV2026000123');
    expect(keys.numbers.every((number) => /[0-9]/.test(number) && number.length <= 21)).toBe(true);
    expect(keys.digits).toContain('2026000123');
    expect(keys.digits.every((digits) => /^[0-9]{6,21}$/.test(digits))).toBe(true);
  });
});
