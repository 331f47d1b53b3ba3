import * as z from 'zod';
import { defaultCreditPolicy, type CreditPolicy } from '#domain/credit';

const wholeUnits = z.number().int().nonnegative();

/** The credit policy as configured (env `O2C_CREDIT_POLICY`, JSON); every field optional, defaults from the domain. */
export const CreditPolicySchema = z.strictObject({
  reviewTolerancePercent: z.number().int().min(0).max(1000).default(defaultCreditPolicy.reviewTolerancePercent),
  firstOrderReviewAbove: wholeUnits.default(defaultCreditPolicy.firstOrderReviewAbove),
  maxOverdueDays: z.number().int().min(0).max(3650).default(defaultCreditPolicy.maxOverdueDays),
  newCustomerCreditLimit: wholeUnits.default(defaultCreditPolicy.newCustomerCreditLimit),
});

/** Parses the configured policy once at cold start; a bad policy fails the init with the field that is wrong. */
export function creditPolicyFrom(json: string | undefined): CreditPolicy {
  if (!json) return defaultCreditPolicy;
  const parsed = CreditPolicySchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`Invalid O2C_CREDIT_POLICY: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}
