import { describe, expect, it } from 'vitest';
import type { BankEntry } from '#domain/bank-statement';
import { defaultMatchingPolicy, matchEntries, reconciliationReport, type OpenItem, type PriorPayment } from '#domain/cash-matching';
import { creditorReferenceFor } from '#domain/creditor-reference';
import { bankEntry } from '../../support/cash-fixtures.ts';

const invoice = (number: string, customerId: string, openMinor: number, extra: Partial<OpenItem> = {}): OpenItem => ({
  id: `id-${number}`,
  number,
  customerId,
  customerName: customerId === 'acme' ? 'Acme GmbH' : customerId === 'bolt' ? 'Bolt Ltd' : `Customer ${customerId}`,
  currency: 'EUR',
  openMinor,
  issueDate: '2026-11-01',
  dueDate: '2026-12-01',
  reference: creditorReferenceFor(number),
  ...extra,
});

const entry = bankEntry;

const acmeAccount = 'DE89 3704 0044 0532 0130 00';
const ledger: OpenItem[] = [
  invoice('INV-2026-000101', 'acme', 11_900, { payerAccounts: [acmeAccount] }),
  invoice('INV-2026-000102', 'acme', 5_000, { payerAccounts: [acmeAccount], dueDate: '2026-12-05' }),
  invoice('INV-2026-000103', 'acme', 2_500, { payerAccounts: [acmeAccount], dueDate: '2026-12-06' }),
  invoice('INV-2026-000201', 'bolt', 5_000),
  invoice('INV-2026-000202', 'bolt', 5_000),
  invoice('INV-2026-000301', 'cora', 1_000_000, { earlyPaymentDiscount: { rateBasisPoints: 200, days: 10 } }),
];

const only = (entries: BankEntry[], openItems: OpenItem[] = ledger, priorPayments: PriorPayment[] = []) => matchEntries(entries, { openItems, priorPayments })[0]!;

describe('matchEntries: the invoice named by the payer', () => {
  it('given a valid RF reference, when matching, then the invoice it belongs to is paid by rule rf-reference', () => {
    const match = only([entry(11_900, { remittance: `Zahlung ${creditorReferenceFor('INV-2026-000101')}` })]);
    expect(match).toMatchObject({ outcome: 'applied', customerId: 'acme', allocations: [{ invoiceId: 'id-INV-2026-000101', amountMinor: 11_900, rule: 'rf-reference' }] });
    expect(match.allocations[0]?.reason).toContain('INV-2026-000101');
  });

  it('given an invoice number without separators, when matching, then it is found by rule invoice-number', () => {
    const match = only([entry(5_000, { remittance: 'Rechnung INV2026000201 danke' })]);
    expect(match.allocations).toMatchObject([{ invoiceId: 'id-INV-2026-000201', rule: 'invoice-number' }]);
  });

  it('given the number split into words or with another prefix, when matching, then it is still found', () => {
    expect(only([entry(5_000, { remittance: 'INV 2026 000202' })]).allocations[0]?.invoiceId).toBe('id-INV-2026-000202');
    expect(only([entry(5_000, { remittance: 'RE-2026-000202' })]).allocations[0]?.invoiceId).toBe('id-INV-2026-000202');
  });

  it('given a one-character typo and the payer known by account, when matching, then the payer’s invoice is paid by rule invoice-number-typo', () => {
    const match = only([entry(11_900, { remittance: 'INV-2026-000110', counterparty: { account: acmeAccount } })]);
    expect(match.allocations).toMatchObject([{ invoiceId: 'id-INV-2026-000101', rule: 'invoice-number-typo' }]);
  });

  it('given a typo that is one character from another customer’s invoice, when the payer is known, then nothing crosses to that customer', () => {
    // INV-2026-000201 (bolt) is one character from 000101 too; the payer is acme, so only acme's invoices count.
    const match = only([entry(3_000, { remittance: 'INV-2026-000301X', counterparty: { account: acmeAccount } })]);
    expect(match.allocations.every((allocation) => allocation.invoiceId.startsWith('id-INV-2026-0001'))).toBe(true);
  });

  it('given a typo and an unknown payer, when two open invoices of that amount are one edit away, then it is unmatched', () => {
    const match = only([entry(5_000, { remittance: 'INV-2026-000200' })]);
    expect(match.outcome).toBe('unmatched');
  });

  it('given an invoice number of one customer paid from another customer’s account, when matching, then it goes to a person', () => {
    const match = only([entry(5_000, { remittance: 'INV-2026-000201', counterparty: { account: acmeAccount } })]);
    expect(match).toMatchObject({ outcome: 'unmatched', allocations: [] });
    expect(match.reason).toContain('another customer');
    expect(match.candidates.map((candidate) => candidate.invoiceId)).toEqual(['id-INV-2026-000201']);
  });

  it('given an RF reference paid by a third party, when matching, then the check digits decide', () => {
    const match = only([entry(5_000, { remittance: creditorReferenceFor('INV-2026-000201'), counterparty: { account: acmeAccount } })]);
    expect(match.allocations[0]).toMatchObject({ invoiceId: 'id-INV-2026-000201', rule: 'rf-reference' });
  });

  it('given a reference that two open invoices carry (a data error), when matching, then neither is paid', () => {
    const twins = [invoice('INV-2026-000901', 'acme', 100), { ...invoice('INV-2026-000902', 'acme', 100), reference: creditorReferenceFor('INV-2026-000901') }];
    const match = only([entry(100, { remittance: creditorReferenceFor('INV-2026-000901') })], twins);
    expect(match).toMatchObject({ outcome: 'unmatched', allocations: [] });
    expect(match.reason).toContain('several open invoices');
  });

  it('given the invoice number only in the end-to-end id, when matching, then rule end-to-end-id', () => {
    expect(only([entry(2_500, { endToEndId: 'INV-2026-000103' })]).allocations[0]).toMatchObject({ invoiceId: 'id-INV-2026-000103', rule: 'end-to-end-id' });
  });

  it('given two invoices named and their exact sum, when matching, then both are paid in full', () => {
    const match = only([entry(16_900, { remittance: 'INV-2026-000101, INV-2026-000102' })]);
    expect(match.allocations.map((allocation) => [allocation.invoiceId, allocation.amountMinor])).toEqual([
      ['id-INV-2026-000101', 11_900],
      ['id-INV-2026-000102', 5_000],
    ]);
  });

  it('given less than the named invoice, when matching, then a part payment leaves the rest open', () => {
    const [first, second] = matchEntries([entry(4_000, { remittance: 'INV-2026-000101' }), entry(7_900, { remittance: 'INV-2026-000101' })], { openItems: ledger });
    expect(first).toMatchObject({ outcome: 'applied', allocations: [{ amountMinor: 4_000 }] });
    expect(first?.reason).toContain('7900 stays open');
    expect(second?.allocations).toMatchObject([{ invoiceId: 'id-INV-2026-000101', amountMinor: 7_900 }]);
  });

  it('given more than the named invoice, when matching, then the invoice is paid and the rest is unapplied on account', () => {
    const match = only([entry(12_000, { remittance: 'INV-2026-000101' })]);
    expect(match).toMatchObject({ allocations: [{ amountMinor: 11_900 }], unappliedMinor: 100, customerId: 'acme' });
  });

  it('given a payment of an invoice already paid earlier in the file, when matching, then it is kept on account, not applied twice', () => {
    const [, second] = matchEntries([entry(5_000, { remittance: 'INV-2026-000201' }), entry(5_000, { remittance: 'INV-2026-000201' })], { openItems: ledger });
    expect(second).toMatchObject({ allocations: [], unappliedMinor: 5_000, customerId: 'bolt' });
  });

  it('given the early-payment discount taken in time, when matching, then a discount adjustment closes the invoice', () => {
    const match = only([entry(980_000, { remittance: 'INV-2026-000301', valueDate: '2026-11-11' })]);
    expect(match.allocations).toMatchObject([{ amountMinor: 980_000 }]);
    expect(match.adjustments).toMatchObject([{ invoiceId: 'id-INV-2026-000301', kind: 'discount', amountMinor: 20_000 }]);
  });

  it('given the discount taken too late, when matching, then it is a part payment', () => {
    const match = only([entry(980_000, { remittance: 'INV-2026-000301', valueDate: '2026-11-30' })]);
    expect(match.adjustments).toEqual([]);
    expect(match.reason).toContain('20000 stays open');
  });

  it('given a short payment within the bank-charge tolerance, when matching, then a write-off closes the invoice', () => {
    const match = only([entry(11_900 - 500, { remittance: 'INV-2026-000101' })]);
    expect(match.adjustments).toMatchObject([{ kind: 'write-off', amountMinor: 500 }]);
    expect(match.allocations[0]?.amountMinor).toBe(11_400);
  });

  it('given a shortfall within the tolerance but above 5 % of the invoice, when matching, then it is a part payment, not a write-off', () => {
    const match = only([entry(11_900 - 1_200, { remittance: 'INV-2026-000101' })]);
    expect(match.adjustments).toEqual([]);
    expect(match.reason).toContain('1200 stays open');
  });

  it('given invoices of another currency named, when matching, then it goes to a person', () => {
    expect(only([entry(5_000, { remittance: 'INV-2026-000201', currency: 'USD' })]).outcome).toBe('unmatched');
  });
});

describe('matchEntries: the payer known, the invoice found by amount', () => {
  const fromAcme = (amountMinor: number) => entry(amountMinor, { counterparty: { account: acmeAccount, name: 'ACME' } });

  it('given one open invoice of exactly the amount, when matching, then rule amount-exact', () => {
    expect(only([fromAcme(5_000)]).allocations).toMatchObject([{ invoiceId: 'id-INV-2026-000102', rule: 'amount-exact' }]);
  });

  it('given the only combination of open invoices adding up to the amount, when matching, then rule amount-sum pays them all', () => {
    const match = only([fromAcme(5_000 + 2_500)]);
    expect(match.allocations.map((allocation) => allocation.invoiceId).sort()).toEqual(['id-INV-2026-000102', 'id-INV-2026-000103']);
    expect(match.allocations.every((allocation) => allocation.rule === 'amount-sum')).toBe(true);
  });

  it('given twin invoices of the same amount, when matching, then it is unmatched with both as candidates', () => {
    const match = only([entry(5_000, { counterparty: { name: 'Bolt Limited' } })]);
    expect(match.outcome).toBe('unmatched');
    expect(match.candidates.map((candidate) => candidate.invoiceId).sort()).toEqual(['id-INV-2026-000201', 'id-INV-2026-000202']);
  });

  it('given two combinations that add up, when matching, then it is ambiguous', () => {
    const items = [100, 200, 300, 400].map((amount, index) => invoice(`A-00000${index}`, 'acme', amount, { payerAccounts: [acmeAccount] }));
    const match = only([fromAcme(500)], items);
    expect(match.outcome).toBe('unmatched');
    expect(match.reason).toContain('more than one combination');
  });

  it('given a payer known only by a differently written name, when matching, then the legal form and case do not matter, other words do', () => {
    expect(only([entry(11_900, { counterparty: { name: 'ACME G.m.b.H.' } })]).allocations[0]?.invoiceId).toBe('id-INV-2026-000101');
    expect(only([entry(11_900, { counterparty: { name: 'Acme Trading GmbH' } })]).outcome).toBe('unmatched');
  });

  it('given more than any open invoice of the payer and no combination, when matching, then it goes to a person (a negative shortfall is no write-off)', () => {
    const match = only([fromAcme(11_900 + 5_000 + 2_500 + 1)]);
    expect(match).toMatchObject({ outcome: 'unmatched', allocations: [], adjustments: [] });
  });

  it('given a remittance naming a paid invoice of another customer than the paying account, when matching, then nothing lands on either account', () => {
    const [, second] = matchEntries([entry(5_000, { remittance: 'INV-2026-000201' }), entry(5_000, { remittance: 'INV-2026-000201', counterparty: { account: acmeAccount } })], { openItems: ledger });
    expect(second).toMatchObject({ outcome: 'unmatched', unappliedMinor: 0, allocations: [] });
  });

  it('given a remittance naming an open invoice of one customer and a paid one of another, when matching, then it is a conflict', () => {
    const [, second] = matchEntries([entry(5_000, { remittance: 'INV-2026-000201' }), entry(20_000, { remittance: 'INV-2026-000101 INV-2026-000201' })], { openItems: ledger });
    expect(second).toMatchObject({ outcome: 'unmatched', allocations: [], unappliedMinor: 0 });
    expect(second?.reason).toContain('2 different customers');
  });

  it('given an unknown payer and no reference, when matching, then it is unmatched with same-amount candidates', () => {
    const match = only([entry(2_500, { counterparty: { name: 'Someone Else' } })]);
    expect(match).toMatchObject({ outcome: 'unmatched', candidates: [{ invoiceId: 'id-INV-2026-000103' }] });
  });

  it('given a learned payer account, when matching, then it identifies the customer', () => {
    const [match] = matchEntries([entry(2_500, { counterparty: { account: 'GB29NWBK60161331926819' } })], { openItems: ledger, payerAccounts: { GB29NWBK60161331926819: 'acme' } });
    expect(match?.allocations[0]?.invoiceId).toBe('id-INV-2026-000103');
  });
});

describe('matchEntries: money out and returns', () => {
  it('given a debit, when matching, then it is ignored', () => {
    expect(only([entry(-5_000)]).outcome).toBe('ignored');
  });

  it('given a payment and its return in one file, when matching, then the return reopens what the payment paid', () => {
    const payer = { account: acmeAccount };
    const results = matchEntries([entry(11_900, { remittance: 'INV-2026-000101', counterparty: payer }), entry(-11_900, { reversal: true, counterparty: payer, returnReason: 'AC04' }), entry(11_900, { counterparty: payer })], { openItems: ledger });
    expect(results.map((result) => result.outcome)).toEqual(['applied', 'reversal', 'applied']);
    expect(results[1]?.reverses?.allocations).toMatchObject([{ invoiceId: 'id-INV-2026-000101', amountMinor: 11_900 }]);
    // Reopened, so the third payment (payer known, exact amount) can pay it again.
    expect(results[2]?.allocations[0]?.invoiceId).toBe('id-INV-2026-000101');
  });

  it('given a return of a payment booked in an earlier file, when matching, then the prior payment is found by end-to-end id', () => {
    const prior: PriorPayment = { paymentId: 'p1', account: 'DE02120300000000202051', bankReference: 'OLD', endToEndId: 'E2E-1', amountMinor: 5_000, bookingDate: '2026-11-10', allocations: [{ invoiceId: 'id-INV-2026-000201', amountMinor: 5_000 }], adjustments: [], unappliedMinor: 0 };
    const match = only([entry(-5_000, { reversal: true, endToEndId: 'E2E-1' })], ledger, [prior]);
    expect(match).toMatchObject({ outcome: 'reversal', reverses: { paymentId: 'p1' } });
  });

  it('given a return no earlier payment explains, when matching, then it goes to a person', () => {
    expect(only([entry(-777, { reversal: true })]).outcome).toBe('unmatched');
  });
});

describe('reconciliationReport', () => {
  it('given matches, when reporting, then the DESIGN §4 shape with allocations carrying only cash', () => {
    const report = reconciliationReport(matchEntries([entry(980_000, { bankReference: 'R1', remittance: 'INV-2026-000301', valueDate: '2026-11-05' }), entry(1, { bankReference: 'R2' })], { openItems: ledger }, defaultMatchingPolicy));
    expect(report.allocations).toEqual([expect.objectContaining({ bankReference: 'R1', invoiceId: 'id-INV-2026-000301', amountMinor: 980_000, rule: 'invoice-number' })]);
    expect(report.adjustments).toEqual([expect.objectContaining({ invoiceId: 'id-INV-2026-000301', kind: 'discount', amountMinor: 20_000 })]);
    expect(report.unmatched).toEqual([expect.objectContaining({ bankReference: 'R2' })]);
    expect(report.unapplied).toEqual([]);
  });
});
