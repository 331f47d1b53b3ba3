import { describe, expect, it } from 'vitest';
import { decideCredit, defaultCreditPolicy, type CreditPolicy } from '#domain/credit';

const policy: CreditPolicy = { ...defaultCreditPolicy, reviewTolerancePercent: 20, firstOrderReviewAbove: 2_000, maxOverdueDays: 30 };
const customer = { currency: 'EUR', creditLimitMinor: 100_000, exposureMinor: 50_000, onCreditHold: false, creditHoldReason: undefined as string | undefined, approvedOrders: 3 };
const decide = (overrides: { customer?: Partial<typeof customer>; totalMinor?: number; currency?: string; oldestOverdueDays?: number }) =>
  decideCredit({
    customer: { ...customer, ...overrides.customer },
    order: { totalMinor: overrides.totalMinor ?? 10_000, currency: overrides.currency ?? 'EUR' },
    oldestOverdueDays: overrides.oldestOverdueDays ?? 0,
    policy,
  });

describe('credit decision', () => {
  it('given room under the limit, when deciding, then APPROVED with the exposure after the order', () => {
    expect(decide({})).toEqual({ outcome: 'APPROVED', reasons: ['within the credit limit'], exposureBeforeMinor: 50_000, exposureAfterMinor: 60_000, limitMinor: 100_000 });
  });

  it('given an order landing exactly on the limit, when deciding, then APPROVED', () => {
    expect(decide({ totalMinor: 50_000 }).outcome).toBe('APPROVED');
  });

  it.each([
    [50_001, 'CREDIT_REVIEW'], // one cent over
    [70_000, 'CREDIT_REVIEW'], // exactly the 20 % tolerance
    [70_001, 'REJECTED'], // beyond it
  ])('given an order of %i against 50 000 of room, when deciding, then %s', (totalMinor, outcome) => {
    expect(decide({ totalMinor }).outcome).toBe(outcome);
  });

  it('given a credit hold, when deciding, then REJECTED whatever the room, with the hold reason', () => {
    expect(decide({ customer: { onCreditHold: true, creditHoldReason: 'in collections' }, totalMinor: 1 })).toMatchObject({
      outcome: 'REJECTED',
      reasons: ['customer is on credit hold: in collections'],
    });
  });

  it('given a first order above the threshold, when deciding, then review although the limit allows it', () => {
    expect(decide({ customer: { approvedOrders: 0, exposureMinor: 0 }, totalMinor: 200_001 - 100_000 })).toMatchObject({ outcome: 'CREDIT_REVIEW' });
    expect(decide({ customer: { approvedOrders: 0, exposureMinor: 0 }, totalMinor: 200_000 - 100_000 }).outcome).toBe('APPROVED');
  });

  it('given a first order in JPY, when deciding, then the threshold is in yen (no minor unit)', () => {
    const decision = decideCredit({ customer: { ...customer, currency: 'JPY', creditLimitMinor: 1_000_000, exposureMinor: 0, approvedOrders: 0 }, order: { totalMinor: 2_001, currency: 'JPY' }, oldestOverdueDays: 0, policy });

    expect(decision).toMatchObject({ outcome: 'CREDIT_REVIEW', reasons: ['first order of a new customer above 2000'] });
  });

  it('given an invoice overdue beyond the policy, when deciding, then review', () => {
    expect(decide({ oldestOverdueDays: 31 })).toMatchObject({ outcome: 'CREDIT_REVIEW', reasons: ['an invoice is 31 days overdue (more than 30)'] });
    expect(decide({ oldestOverdueDays: 30 }).outcome).toBe('APPROVED');
  });

  it('given an order in another currency than the credit, when deciding, then review (no FX guess)', () => {
    expect(decide({ currency: 'USD' })).toMatchObject({ outcome: 'CREDIT_REVIEW', reasons: ['order is in USD, credit is managed in EUR'] });
  });

  it('given several reasons, when deciding, then review lists them all', () => {
    expect(decide({ totalMinor: 60_000, oldestOverdueDays: 90 }).reasons).toHaveLength(2);
  });
});
