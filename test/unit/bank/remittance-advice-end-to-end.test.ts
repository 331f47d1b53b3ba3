/**
 * Generated statements with realistic remittance advice, parsed by the real parsers (camt.053 `Strd`, BAI2 X12
 * `RMR`/`ADX`) and matched by the real engine (issue 12). Every case asserts the exact split per invoice: no test
 * allocates a different split than the one the payer gave.
 */
import { describe, expect, it } from 'vitest';
import { matchEntries, type EntryMatch, type OpenItem } from '#domain/cash-matching';
import { parseBankFile } from '#shared/bank/parse';
import { bai2 } from '../../support/bai2.ts';
import { camt053, type CamtDocument } from '../../support/camt053.ts';

const open = (number: string, openMinor: number, extra: Partial<OpenItem> = {}): OpenItem => ({
  id: `id-${number}`,
  number,
  customerId: 'acme',
  customerName: 'Acme Industrial GmbH',
  currency: 'EUR',
  openMinor,
  issueDate: '2026-11-01',
  dueDate: '2026-12-01',
  ...extra,
});

/** 119.00, 59.98 (2 × 25.20 at 19 %), 1,000.00 with 2 % within 10 days, 71.36 (3 × 19.99 at 19 %). */
const ledger = [
  open('INV-2026-000201', 11_900),
  open('INV-2026-000202', 5_998),
  open('INV-2026-000203', 100_000, { earlyPaymentDiscount: { rateBasisPoints: 200, days: 10 } }),
  open('INV-2026-000204', 7_136, { dueDate: '2026-11-15' }),
];

interface Case {
  name: string;
  amountMinor: number;
  documents: CamtDocument[];
  bookingDate?: string;
  text?: string;
  expect: { outcome: EntryMatch['outcome']; cash?: Record<string, number>; unappliedMinor?: number; deductions?: Record<string, number>; discounts?: Record<string, number>; reason?: string };
}

const cases: Case[] = [
  {
    name: 'two invoices, each paid in full, amounts given',
    amountMinor: 17_898,
    documents: [{ number: 'INV-2026-000201', dueMinor: 11_900, paidMinor: 11_900 }, { number: 'INV-2026-000202', dueMinor: 5_998, paidMinor: 5_998 }],
    expect: { outcome: 'applied', cash: { 'INV-2026-000201': 11_900, 'INV-2026-000202': 5_998 }, unappliedMinor: 0 },
  },
  {
    name: 'the later-due invoice paid in full, the earlier one short without a reason',
    amountMinor: 11_900 + 5_000,
    documents: [{ number: 'INV-2026-000201', paidMinor: 11_900 }, { number: 'INV-2026-000204', dueMinor: 7_136, paidMinor: 5_000 }],
    expect: { outcome: 'applied', cash: { 'INV-2026-000201': 11_900, 'INV-2026-000204': 5_000 }, unappliedMinor: 0, reason: '21.36 EUR stays open' },
  },
  {
    name: 'one invoice short by a deduction with a reason code',
    amountMinor: 11_900 + 6_136,
    documents: [{ number: 'INV-2026-000201', paidMinor: 11_900 }, { number: 'INV-2026-000204', dueMinor: 7_136, adjustments: [{ amountMinor: 1_000, code: 'DAMG', text: 'damaged goods' }], paidMinor: 6_136 }],
    expect: { outcome: 'applied', cash: { 'INV-2026-000201': 11_900, 'INV-2026-000204': 6_136 }, deductions: { 'INV-2026-000204': 1_000 }, unappliedMinor: 0 },
  },
  {
    name: 'one document paid more than it has open',
    amountMinor: 6_500,
    documents: [{ number: 'INV-2026-000202', dueMinor: 5_998, paidMinor: 6_500 }],
    expect: { outcome: 'applied', cash: { 'INV-2026-000202': 5_998 }, unappliedMinor: 502 },
  },
  {
    name: 'amounts that do not add up to the transfer',
    amountMinor: 17_000,
    documents: [{ number: 'INV-2026-000201', paidMinor: 11_900 }, { number: 'INV-2026-000202', paidMinor: 5_998 }],
    expect: { outcome: 'unmatched', reason: 'add up to 178.98 EUR, but the transfer is 170.00 EUR' },
  },
  {
    name: 'a document we do not have',
    amountMinor: 12_900,
    documents: [{ number: 'INV-2026-000201', paidMinor: 11_900 }, { number: 'INV-2026-999999', paidMinor: 1_000 }],
    expect: { outcome: 'unmatched', reason: 'INV-2026-999999' },
  },
  {
    name: 'a discount the terms grant, paid within the period',
    amountMinor: 98_000,
    bookingDate: '2026-11-09',
    documents: [{ number: 'INV-2026-000203', dueMinor: 100_000, discountMinor: 2_000, paidMinor: 98_000 }],
    expect: { outcome: 'applied', cash: { 'INV-2026-000203': 98_000 }, discounts: { 'INV-2026-000203': 2_000 }, unappliedMinor: 0 },
  },
  {
    name: 'a discount taken after the discount period',
    amountMinor: 98_000,
    bookingDate: '2026-11-30',
    documents: [{ number: 'INV-2026-000203', dueMinor: 100_000, discountMinor: 2_000, paidMinor: 98_000 }],
    expect: { outcome: 'applied', cash: { 'INV-2026-000203': 98_000 }, discounts: {}, unappliedMinor: 0, reason: 'after the discount period' },
  },
  {
    name: 'a deduction in words, one invoice named',
    amountMinor: 6_136,
    documents: [],
    text: 'INV-2026-000204 less damaged goods 10.00',
    expect: { outcome: 'applied', cash: { 'INV-2026-000204': 6_136 }, deductions: { 'INV-2026-000204': 1_000 }, unappliedMinor: 0 },
  },
];

/** The same advice as X12 segments in a BAI2 16/88 text (`RMR*IV*number**paid*due*discount~ADX*-amount*code*ZZ*text~`). */
function x12Text(documents: readonly CamtDocument[], words = ''): string {
  const money = (minor: number) => `${Math.trunc(minor / 100)}.${String(Math.abs(minor) % 100).padStart(2, '0')}`;
  const segments = documents.map(
    (document) =>
      `RMR*IV*${document.number}**${document.paidMinor === undefined ? '' : money(document.paidMinor)}*${document.dueMinor === undefined ? '' : money(document.dueMinor)}${document.discountMinor ? `*${money(document.discountMinor)}` : ''}~${(document.adjustments ?? []).map((adjustment) => `ADX*-${money(adjustment.amountMinor)}*${adjustment.code ?? ''}*ZZ*${adjustment.text ?? ''}~`).join('')}`,
  );
  return `ORIG CO NAME:ACME INDUSTRIAL ${words} ${segments.join('')}`.trim();
}

const formats = {
  camt053: (item: Case) =>
    camt053({
      statementId: 'S-REMIT',
      account: 'DE02120300000000202051',
      openingMinor: 0,
      entries: [{ amountMinor: item.amountMinor, bankReference: 'REF-1', bookingDate: item.bookingDate ?? '2026-11-20', remittance: item.text, documents: item.documents }],
    }),
  bai2: (item: Case) =>
    bai2({ account: '000123456789', currency: 'EUR', openingMinor: 0, date: item.bookingDate ?? '2026-11-20', entries: [{ amountMinor: item.amountMinor, bankReference: 'REF-1', text: x12Text(item.documents, item.text) }] }),
};

const byNumber = (lines: readonly { invoiceId: string; amountMinor: number }[]) => Object.fromEntries(lines.map((line) => [line.invoiceId.replace(/^id-/, ''), line.amountMinor]));

describe.each(Object.entries(formats))('given a generated %s statement with remittance advice', (format, write) => {
  it.each(cases.map((item) => [item.name, item] as const))('when it carries %s, then the engine does exactly what the payer said', (_name, item) => {
    const parsed = parseBankFile(write(item), format as 'camt053' | 'bai2');
    const entries = parsed.statements.flatMap((statement) => statement.entries);

    const [match] = matchEntries(entries, { openItems: ledger });

    expect(entries).toHaveLength(1);
    expect(match!.outcome).toBe(item.expect.outcome);
    if (item.expect.reason) expect(match!.reason).toContain(item.expect.reason);
    if (item.expect.outcome !== 'applied') {
      expect(match!.allocations).toEqual([]);
      return;
    }
    expect(byNumber(match!.allocations)).toEqual(item.expect.cash);
    expect(match!.unappliedMinor).toBe(item.expect.unappliedMinor);
    expect(byNumber(match!.deductions ?? [])).toEqual(item.expect.deductions ?? {});
    expect(byNumber(match!.adjustments.filter((adjustment) => adjustment.kind === 'discount'))).toEqual(item.expect.discounts ?? {});
  });
});
