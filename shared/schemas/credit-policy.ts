import * as z from '#schemas/zod';
import { defaultCreditPolicy, type CreditPolicy } from '#domain/credit';

const wholeUnits = z.number().check(z.int(), z.gte(0));

/** The credit policy as configured (env `O2C_CREDIT_POLICY`, JSON); every field optional, defaults from the domain. */
export const CreditPolicySchema = z.strictObject({
  reviewTolerancePercent: z._default(z.number().check(z.int(), z.gte(0), z.lte(1000)), defaultCreditPolicy.reviewTolerancePercent),
  firstOrderReviewAbove: z._default(wholeUnits, defaultCreditPolicy.firstOrderReviewAbove),
  maxOverdueDays: z._default(z.number().check(z.int(), z.gte(0), z.lte(3650)), defaultCreditPolicy.maxOverdueDays),
  newCustomerCreditLimit: z._default(wholeUnits, defaultCreditPolicy.newCustomerCreditLimit),
});

/** Parses the configured policy once at cold start; a bad policy fails the init with the field that is wrong. */
export function creditPolicyFrom(json: string | undefined): CreditPolicy {
  if (!json) return defaultCreditPolicy;
  const parsed = CreditPolicySchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`Invalid O2C_CREDIT_POLICY: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}
