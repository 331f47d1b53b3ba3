/**
 * What is configured by a JSON document checked at cold start (the credit policy, the seller) and the dependencies
 * that include one, apart from `wiring.ts` so only the functions that use them build those schemas.
 */
import { wholeUnitsToMinor } from '#domain/credit';
import { creditPolicyFrom } from '#schemas/credit-policy';
import { sellerFrom } from '#schemas/seller';
import { allocationDeps, billingWorkflows, deductionStore, invoiceStore, tableDeps } from '#shared/wiring';

/** The credit policy: `O2C_CREDIT_POLICY` (JSON, checked at cold start) or the documented defaults. */
export function creditPolicy() {
  return creditPolicyFrom(process.env.O2C_CREDIT_POLICY);
}

/** The seller printed on documents: `O2C_SELLER` (JSON, checked at cold start) or the demo seller. */
export function seller() {
  return sellerFrom(process.env.O2C_SELLER);
}

/** Credit-note dependencies: an ar-clerk's limit is `O2C_CREDIT_NOTE_CLERK_LIMIT` whole units (default 500). */
export function creditNoteDeps() {
  const limit = Number(process.env.O2C_CREDIT_NOTE_CLERK_LIMIT ?? 500);
  if (!Number.isSafeInteger(limit) || limit < 0) throw new Error('O2C_CREDIT_NOTE_CLERK_LIMIT must be a whole number of units');
  const billing = billingWorkflows();
  return {
    ...tableDeps(),
    invoices: invoiceStore(),
    seller: seller(),
    clerkLimitMinor: (currency: string) => wholeUnitsToMinor(limit, currency),
    startBilling: (documentId: string) => billing.start(documentId),
  };
}

/** Deciding deductions: credit notes (with their limit and billing) and write-offs (with theirs). */
export function deductionDeps() {
  return { ...creditNoteDeps(), deductions: deductionStore(), clerkWriteOffLimitMinor: allocationDeps().clerkWriteOffLimitMinor };
}
