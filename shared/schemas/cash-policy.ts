import * as z from '#schemas/zod';
import { defaultMatchingPolicy, type MatchingPolicy } from '#domain/cash-matching';

/**
 * The matching policy as configured (env `O2C_CASH_POLICY`, JSON), e.g. `{"bankFeeToleranceMinor": {"EUR": 1000}}`;
 * every field optional, defaults from the domain. A tolerance map replaces the default map as a whole, so a
 * currency left out of it gets no write-off at all.
 */
export const CashPolicySchema = z.strictObject({
  bankFeeToleranceMinor: z._default(z.record(z.string().check(z.regex(/^[A-Z]{3}$/)), z.number().check(z.int(), z.gte(0))), { ...defaultMatchingPolicy.bankFeeToleranceMinor }),
  bankFeeMaxShareBasisPoints: z._default(z.number().check(z.int(), z.gte(0), z.lte(10_000)), defaultMatchingPolicy.bankFeeMaxShareBasisPoints),
  discountGraceDays: z._default(z.number().check(z.int(), z.gte(0), z.lte(30)), defaultMatchingPolicy.discountGraceDays),
  sumSearch: z._default(
    z.strictObject({
      maxInvoices: z.number().check(z.int(), z.gte(2), z.lte(64)),
      maxCombined: z.number().check(z.int(), z.gte(2), z.lte(20)),
      maxSteps: z.number().check(z.int(), z.gte(1000), z.lte(10_000_000)),
    }),
    { ...defaultMatchingPolicy.sumSearch },
  ),
});

/** Parses the configured policy once at cold start; a bad policy fails the init with the field that is wrong. */
export function cashPolicyFrom(json: string | undefined): MatchingPolicy {
  if (!json) return defaultMatchingPolicy;
  const parsed = CashPolicySchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`Invalid O2C_CASH_POLICY: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}
