import * as z from 'zod';
import { defaultMatchingPolicy, type MatchingPolicy } from '#domain/cash-matching';

/**
 * The matching policy as configured (env `O2C_CASH_POLICY`, JSON), e.g. `{"bankFeeToleranceMinor": {"EUR": 1000}}`;
 * every field optional, defaults from the domain. A tolerance map replaces the default map as a whole, so a
 * currency left out of it gets no write-off at all.
 */
export const CashPolicySchema = z.strictObject({
  bankFeeToleranceMinor: z.record(z.string().regex(/^[A-Z]{3}$/), z.number().int().nonnegative()).default({ ...defaultMatchingPolicy.bankFeeToleranceMinor }),
  bankFeeMaxShareBasisPoints: z.number().int().min(0).max(10_000).default(defaultMatchingPolicy.bankFeeMaxShareBasisPoints),
  discountGraceDays: z.number().int().min(0).max(30).default(defaultMatchingPolicy.discountGraceDays),
  sumSearch: z
    .strictObject({
      maxInvoices: z.number().int().min(2).max(64),
      maxCombined: z.number().int().min(2).max(20),
      maxSteps: z.number().int().min(1000).max(10_000_000),
    })
    .default({ ...defaultMatchingPolicy.sumSearch }),
});

/** Parses the configured policy once at cold start; a bad policy fails the init with the field that is wrong. */
export function cashPolicyFrom(json: string | undefined): MatchingPolicy {
  if (!json) return defaultMatchingPolicy;
  const parsed = CashPolicySchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`Invalid O2C_CASH_POLICY: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}
