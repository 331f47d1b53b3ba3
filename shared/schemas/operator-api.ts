import * as z from '#schemas/zod';
import { EmailAddress } from './text.ts';
import { riskClasses } from '#domain/customer';
import type { CreditRequest } from '#domain/crediting';
import { disputeReasons } from '#domain/ports';
import { isCurrency, MAX_AMOUNT_MINOR } from '#domain/money';
import { VatId } from './generic-order.ts';

const minor = z.number().check(z.int('must be an integer number of minor units'), z.gte(0), z.lte(MAX_AMOUNT_MINOR));

/**
 * `PUT /products/{sku}`: all fields for a new product, any subset for an existing one. What `GET` answered is
 * accepted as it is: its `sku` (the use case checks it names the path's) and the fields we keep ourselves
 * (reserved, available, updatedAt), which are read and dropped, never written.
 */
export const ProductBody = z.pipe(
  z.strictObject({
    sku: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
    name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
    priceMinor: z.optional(minor),
    currency: z.optional(z.string().check(z.refine(isCurrency, 'unknown ISO 4217 currency'))),
    onHand: z.optional(z.number().check(z.int(), z.gte(0), z.lte(1_000_000_000))),
    active: z.optional(z.boolean()),
    reserved: z.optional(z.number().check(z.int())),
    available: z.optional(z.number().check(z.int())),
    updatedAt: z.optional(z.string()),
  }),
  z.transform(({ reserved: _reserved, available: _available, updatedAt: _updatedAt, ...writable }) => writable),
);
export type ProductBody = z.infer<typeof ProductBody>;

const Terms = z.strictObject({
  basis: z.enum(['invoice-date', 'end-of-month']),
  days: z.number().check(z.int(), z.gte(0), z.lte(365)),
  earlyPaymentDiscount: z.optional(z.strictObject({ rateBasisPoints: z.number().check(z.int(), z.gte(1), z.lte(10_000)), days: z.number().check(z.int(), z.gte(0), z.lte(365)) })),
});

/** `PUT /customers/{id}`: any subset; which fields a role may change is decided by the use case. */
export const CustomerBody = z.strictObject({
  name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  email: z.optional(EmailAddress),
  contacts: z.optional(
    z
      .array(z.strictObject({ name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)), email: EmailAddress, role: z.optional(z.enum(['billing', 'purchasing', 'other'])), phone: z.optional(z.string().check(z.maxLength(50))) }))
      .check(z.maxLength(50)),
  ),
  currency: z.optional(z.string().check(z.refine(isCurrency, 'unknown ISO 4217 currency'))),
  creditLimitMinor: z.optional(minor),
  terms: z.optional(Terms),
  riskClass: z.optional(z.enum(riskClasses)),
  onCreditHold: z.optional(z.boolean()),
  creditHoldReason: z.optional(z.string().check(z.trim(), z.maxLength(500))),
  collectionsHold: z.optional(z.boolean()),
  collectionsHoldReason: z.optional(z.string().check(z.trim(), z.maxLength(500))),
  vatId: z.optional(VatId),
});
export type CustomerBody = z.infer<typeof CustomerBody>;

export const CreditDecisionBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  reason: z.string().check(z.trim(), z.minLength(3, 'say why (at least 3 characters)'), z.maxLength(1000)),
});


const CreditSpec = {
  lines: z.optional(z.array(z.strictObject({ lineNumber: z.number().check(z.int(), z.gt(0)), quantity: z.number().check(z.int(), z.gt(0)) })).check(z.minLength(1), z.maxLength(500))),
  amountMinor: z.optional(minor.check(z.refine((amount) => amount > 0, 'must be positive'))),
};

/** `lines` or `amountMinor` (not both); neither credits everything still open. */
export function creditRequestOf(body: { lines?: { lineNumber: number; quantity: number }[] | undefined; amountMinor?: number | undefined }): CreditRequest {
  if (body.lines) return { kind: 'lines', lines: body.lines };
  if (body.amountMinor !== undefined) return { kind: 'amount', amountMinor: body.amountMinor };
  return { kind: 'remaining' };
}

/** `POST /invoices/{id}/credit-notes`. */
export const CreditNoteBody = z
  .strictObject({ ...CreditSpec, reason: z.string().check(z.trim(), z.minLength(3, 'say why (at least 3 characters)'), z.maxLength(1000)) })
  .check(z.refine((body) => !(body.lines && body.amountMinor !== undefined), { message: 'give lines or amountMinor, not both', path: ['amountMinor'] }));

/** `POST /invoices/{id}/disputes`. */
export const DisputeBody = z.strictObject({
  reasonCode: z.enum(disputeReasons),
  note: z.string().check(z.trim(), z.minLength(3), z.maxLength(2000)),
  attachments: z._default(z.array(z.strictObject({ name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)), url: z.optional(z.url().check(z.maxLength(2000))) })).check(z.maxLength(20)), []),
});

/** `POST /disputes/{id}/resolution`. */
export const DisputeResolutionBody = z
  .strictObject({ outcome: z.enum(['credit', 'reject']), reason: z.string().check(z.trim(), z.minLength(3), z.maxLength(1000)), ...CreditSpec })
  .check(
    z.refine((body) => !(body.lines && body.amountMinor !== undefined), { message: 'give lines or amountMinor, not both', path: ['amountMinor'] }),
    z.refine((body) => body.outcome === 'credit' || (!body.lines && body.amountMinor === undefined), { message: 'a rejection credits nothing', path: ['outcome'] }),
  );

/** `POST /deductions/{id}/resolution`: accept (by credit note or write-off) or reject, always with a reason. */
export const DeductionResolutionBody = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('accept'), settleBy: z.enum(['credit-note', 'write-off']), reason: z.string().check(z.trim(), z.minLength(3), z.maxLength(1000)) }),
  z.strictObject({ decision: z.literal('reject'), reason: z.string().check(z.trim(), z.minLength(3), z.maxLength(1000)) }),
]);

/** `POST /invoices/{id}/reissue`: corrections by line number; lines not named are copied unchanged. */
export const ReissueBody = z.strictObject({
  reason: z.string().check(z.trim(), z.minLength(3), z.maxLength(1000)),
  lines: z
    .array(
      z.strictObject({
        lineNumber: z.number().check(z.int(), z.gt(0)),
        quantity: z.optional(z.number().check(z.int(), z.gt(0))),
        unitPriceMinor: z.optional(minor),
        discountMinor: z.optional(minor),
        description: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(500))),
      }),
    )
    .check(z.minLength(1), z.maxLength(500)),
});

const positiveMinor = z.number().check(z.int(), z.gt(0), z.lte(MAX_AMOUNT_MINOR));

/** `POST /payments/{id}/allocations`. */
export const AllocationBody = z.strictObject({
  allocations: z._default(z.array(z.strictObject({ invoiceId: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)), amountMinor: positiveMinor })).check(z.maxLength(40)), []),
  writeOffs: z._default(z.array(z.strictObject({ invoiceId: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)), amountMinor: positiveMinor, reason: z.string().check(z.trim(), z.minLength(3, 'say why (at least 3 characters)'), z.maxLength(500)) })).check(z.maxLength(40)), []),
  rememberPayer: z._default(z.boolean(), true),
  note: z.optional(z.string().check(z.trim(), z.maxLength(1000))),
});

/** `POST /dead-letters/{queue}/redrive`: the path names a dead-letter queue (`orders-dlq`); no body is needed. */
export const RedriveParameters = z.strictObject({
  queue: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'queue must be the name of a dead-letter queue, e.g. orders-dlq, as GET /worklists/dead-letters lists them')),
});
