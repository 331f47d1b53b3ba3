import { z } from 'zod';
import { riskClasses } from '#domain/customer';
import { isCurrency, MAX_AMOUNT_MINOR } from '#domain/money';

const minor = z.number().int('must be an integer number of minor units').min(0).max(MAX_AMOUNT_MINOR);

/** `PUT /products/{sku}`: all fields for a new product, any subset for an existing one. */
export const ProductBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  priceMinor: minor.optional(),
  currency: z.string().refine(isCurrency, 'unknown ISO 4217 currency').optional(),
  onHand: z.number().int().min(0).max(1_000_000_000).optional(),
  active: z.boolean().optional(),
});
export type ProductBody = z.infer<typeof ProductBody>;

const Terms = z.strictObject({
  basis: z.enum(['invoice-date', 'end-of-month']),
  days: z.number().int().min(0).max(365),
  earlyPaymentDiscount: z.strictObject({ rateBasisPoints: z.number().int().min(1).max(10_000), days: z.number().int().min(0).max(365) }).optional(),
});

/** `PUT /customers/{id}`: any subset; which fields a role may change is decided by the use case. */
export const CustomerBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  email: z.email().optional(),
  contacts: z
    .array(z.strictObject({ name: z.string().trim().min(1).max(200), email: z.email(), role: z.enum(['billing', 'purchasing', 'other']).optional(), phone: z.string().max(50).optional() }))
    .max(50)
    .optional(),
  currency: z.string().refine(isCurrency, 'unknown ISO 4217 currency').optional(),
  creditLimitMinor: minor.optional(),
  terms: Terms.optional(),
  riskClass: z.enum(riskClasses).optional(),
  onCreditHold: z.boolean().optional(),
  creditHoldReason: z.string().trim().max(500).optional(),
});
export type CustomerBody = z.infer<typeof CustomerBody>;

export const CreditDecisionBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(1000),
});

/** Parses a JSON body with a schema; a 400 with field paths otherwise. */
export { describeIssues } from './generic-order.ts';
