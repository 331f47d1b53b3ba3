import type { Customer } from './customer.ts';
import { minorUnitDigits } from './money.ts';
import { exposureOf } from './order.ts';

/**
 * The credit policy finance configures (validated by `#schemas/credit-policy`). Amounts are whole units of the
 * customer's credit currency, turned into minor units with that currency's exponent.
 */
export interface CreditPolicy {
  /** Over the limit by at most this share of the limit: a person reviews. Beyond it: rejected. */
  reviewTolerancePercent: number;
  /** A customer's first order above this amount is reviewed, whatever the limit. */
  firstOrderReviewAbove: number;
  /** Invoices overdue by more than this many days send new orders to review. */
  maxOverdueDays: number;
  /** Starting credit limit of a customer created from a store order. */
  newCustomerCreditLimit: number;
}

export const defaultCreditPolicy: CreditPolicy = {
  reviewTolerancePercent: 20,
  firstOrderReviewAbove: 2_000,
  maxOverdueDays: 30,
  newCustomerCreditLimit: 5_000,
};

export type CreditOutcome = 'APPROVED' | 'CREDIT_REVIEW' | 'REJECTED';

export interface CreditDecision {
  outcome: CreditOutcome;
  reasons: string[];
  exposureBeforeMinor: number;
  exposureAfterMinor: number;
  limitMinor: number;
}

export const wholeUnitsToMinor = (units: number, currency: string) => units * 10 ** minorUnitDigits(currency);

/**
 * Decides one order against the customer's credit, explaining every outcome. Rejections first (credit hold, far
 * over the limit), then reasons for a person to look (currency, over the limit within tolerance, a large first
 * order, overdue invoices); an order with none of these is approved.
 */
export function decideCredit(input: {
  customer: Pick<Customer, 'currency' | 'creditLimitMinor' | 'exposureMinor' | 'onCreditHold' | 'creditHoldReason' | 'approvedOrders'>;
  order: { totalMinor: number; currency: string; prepaidMinor?: number | undefined };
  oldestOverdueDays: number;
  policy: CreditPolicy;
}): CreditDecision {
  const { customer, order, policy } = input;
  const limitMinor = customer.creditLimitMinor;
  const exposureBeforeMinor = customer.exposureMinor;
  const exposureAfterMinor = exposureBeforeMinor + exposureOf(order);
  const decide = (outcome: CreditOutcome, reasons: string[]): CreditDecision => ({ outcome, reasons, exposureBeforeMinor, exposureAfterMinor, limitMinor });

  // Paid at checkout means paid: nothing is owed, so there is no credit to decide (whatever the customer's standing).
  if (exposureOf(order) <= 0 && order.totalMinor > 0) return decide('APPROVED', ['paid in full at checkout: no credit needed']);
  if (customer.onCreditHold) return decide('REJECTED', [`customer is on credit hold${customer.creditHoldReason ? `: ${customer.creditHoldReason}` : ''}`]);
  if (order.currency !== customer.currency)
    return decide('CREDIT_REVIEW', [`order is in ${order.currency}, credit is managed in ${customer.currency}`]);

  const toleranceMinor = Number((BigInt(limitMinor) * BigInt(policy.reviewTolerancePercent)) / 100n);
  if (exposureAfterMinor > limitMinor + toleranceMinor)
    return decide('REJECTED', [`exposure ${exposureAfterMinor} would exceed the limit ${limitMinor} by more than ${policy.reviewTolerancePercent} %`]);

  const reasons: string[] = [];
  if (exposureAfterMinor > limitMinor) reasons.push(`exposure ${exposureAfterMinor} would exceed the limit ${limitMinor} (within the ${policy.reviewTolerancePercent} % review tolerance)`);
  const firstOrderThreshold = wholeUnitsToMinor(policy.firstOrderReviewAbove, customer.currency);
  if (customer.approvedOrders === 0 && order.totalMinor > firstOrderThreshold)
    reasons.push(`first order of a new customer above ${firstOrderThreshold}`);
  if (input.oldestOverdueDays > policy.maxOverdueDays)
    reasons.push(`an invoice is ${input.oldestOverdueDays} days overdue (more than ${policy.maxOverdueDays})`);
  return reasons.length > 0 ? decide('CREDIT_REVIEW', reasons) : decide('APPROVED', ['within the credit limit']);
}
