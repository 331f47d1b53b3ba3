import * as z from 'zod';
import { riskClasses } from '#domain/customer';
import type { CreditRequest } from '#domain/crediting';
import { disputeReasons } from '#domain/ports';
import { isCurrency, MAX_AMOUNT_MINOR } from '#domain/money';
import { VatId } from './generic-order.ts';

const minor = z.number().int('must be an integer number of minor units').min(0).max(MAX_AMOUNT_MINOR);

/**
 * `PUT /products/{sku}`: all fields for a new product, any subset for an existing one. What `GET` answered is
 * accepted as it is: its `sku` (the use case checks it names the path's) and the fields we keep ourselves
 * (reserved, available, updatedAt), which are read and dropped, never written.
 */
export const ProductBody = z
  .strictObject({
    sku: z.string().trim().min(1).max(200).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    priceMinor: minor.optional(),
    currency: z.string().refine(isCurrency, 'unknown ISO 4217 currency').optional(),
    onHand: z.number().int().min(0).max(1_000_000_000).optional(),
    active: z.boolean().optional(),
    reserved: z.number().int().optional(),
    available: z.number().int().optional(),
    updatedAt: z.string().optional(),
  })
  .transform(({ reserved: _reserved, available: _available, updatedAt: _updatedAt, ...writable }) => writable);
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
  collectionsHold: z.boolean().optional(),
  collectionsHoldReason: z.string().trim().max(500).optional(),
  vatId: VatId.optional(),
});
export type CustomerBody = z.infer<typeof CustomerBody>;

export const CreditDecisionBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(1000),
});


const CreditSpec = {
  lines: z.array(z.strictObject({ lineNumber: z.number().int().positive(), quantity: z.number().int().positive() })).min(1).max(500).optional(),
  amountMinor: minor.refine((amount) => amount > 0, 'must be positive').optional(),
};

/** `lines` or `amountMinor` (not both); neither credits everything still open. */
export function creditRequestOf(body: { lines?: { lineNumber: number; quantity: number }[] | undefined; amountMinor?: number | undefined }): CreditRequest {
  if (body.lines) return { kind: 'lines', lines: body.lines };
  if (body.amountMinor !== undefined) return { kind: 'amount', amountMinor: body.amountMinor };
  return { kind: 'remaining' };
}

/** `POST /invoices/{id}/credit-notes`. */
export const CreditNoteBody = z
  .strictObject({ ...CreditSpec, reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(1000) })
  .refine((body) => !(body.lines && body.amountMinor !== undefined), { message: 'give lines or amountMinor, not both', path: ['amountMinor'] });

/** `POST /invoices/{id}/disputes`. */
export const DisputeBody = z.strictObject({
  reasonCode: z.enum(disputeReasons),
  note: z.string().trim().min(3).max(2000),
  attachments: z.array(z.strictObject({ name: z.string().trim().min(1).max(200), url: z.url().max(2000).optional() })).max(20).default([]),
});

/** `POST /disputes/{id}/resolution`. */
export const DisputeResolutionBody = z
  .strictObject({ outcome: z.enum(['credit', 'reject']), reason: z.string().trim().min(3).max(1000), ...CreditSpec })
  .refine((body) => !(body.lines && body.amountMinor !== undefined), { message: 'give lines or amountMinor, not both', path: ['amountMinor'] })
  .refine((body) => body.outcome === 'credit' || (!body.lines && body.amountMinor === undefined), { message: 'a rejection credits nothing', path: ['outcome'] });

/** `POST /deductions/{id}/resolution`: accept (by credit note or write-off) or reject, always with a reason. */
export const DeductionResolutionBody = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('accept'), settleBy: z.enum(['credit-note', 'write-off']), reason: z.string().trim().min(3).max(1000) }),
  z.strictObject({ decision: z.literal('reject'), reason: z.string().trim().min(3).max(1000) }),
]);

/** `POST /invoices/{id}/reissue`: corrections by line number; lines not named are copied unchanged. */
export const ReissueBody = z.strictObject({
  reason: z.string().trim().min(3).max(1000),
  lines: z
    .array(
      z.strictObject({
        lineNumber: z.number().int().positive(),
        quantity: z.number().int().positive().optional(),
        unitPriceMinor: minor.optional(),
        discountMinor: minor.optional(),
        description: z.string().trim().min(1).max(500).optional(),
      }),
    )
    .min(1)
    .max(500),
});

const positiveMinor = z.number().int().positive().max(MAX_AMOUNT_MINOR);

/** `POST /payments/{id}/allocations`. */
export const AllocationBody = z.strictObject({
  allocations: z.array(z.strictObject({ invoiceId: z.string().trim().min(1).max(100), amountMinor: positiveMinor })).max(40).default([]),
  writeOffs: z.array(z.strictObject({ invoiceId: z.string().trim().min(1).max(100), amountMinor: positiveMinor, reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(500) })).max(40).default([]),
  rememberPayer: z.boolean().default(true),
  note: z.string().trim().max(1000).optional(),
});

/** `POST /dead-letters/{queue}/redrive`: the path names a dead-letter queue (`orders-dlq`); no body is needed. */
export const RedriveParameters = z.strictObject({
  queue: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'queue must be the name of a dead-letter queue, e.g. orders-dlq, as GET /worklists/dead-letters lists them'),
});
