import { z } from 'zod';
import { isCurrency, MAX_AMOUNT_MINOR } from '#domain/money';
import type { CanonicalOrder } from '#domain/order';

/** DESIGN §4 caps: more lines than this is a client mistake, not a big order. */
export const MAX_ORDER_LINES = 500;

const minorAmount = z.number().int('must be an integer number of minor units').min(0).max(MAX_AMOUNT_MINOR);

const taxRatePercent = z
  .number()
  .min(0)
  .max(100)
  .refine((rate) => Math.abs(rate * 10_000 - Math.round(rate * 10_000)) < 1e-6, 'at most four decimals');

/** The generic order webhook body (DESIGN §4). */
export const GenericOrderBody = z.strictObject({
  externalId: z.string().trim().min(1).max(100),
  orderedAt: z.iso.datetime({ offset: true }),
  currency: z.string().refine(isCurrency, 'unknown ISO 4217 currency'),
  customer: z.object({
    externalId: z.string().trim().min(1).max(100),
    name: z.string().trim().min(1).max(200),
    email: z.email(),
    country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 country code'),
  }),
  lines: z
    .array(
      z.object({
        sku: z.string().trim().min(1).max(64),
        description: z.string().max(500).optional(),
        quantity: z.number().int().positive().max(1_000_000),
        unitPriceMinor: minorAmount,
        taxRatePercent,
      }),
    )
    .min(1)
    .max(MAX_ORDER_LINES, `at most ${MAX_ORDER_LINES} lines`),
  shippingMinor: minorAmount.default(0),
});
export type GenericOrderBody = z.infer<typeof GenericOrderBody>;

export function toCanonicalOrder(body: GenericOrderBody): CanonicalOrder {
  return {
    source: 'generic',
    externalId: body.externalId,
    orderedAt: body.orderedAt,
    currency: body.currency,
    customer: body.customer,
    lines: body.lines.map((line) => ({
      sku: line.sku,
      description: line.description,
      quantity: line.quantity,
      unitPriceMinor: line.unitPriceMinor,
      taxRatePpm: Math.round(line.taxRatePercent * 10_000),
    })),
    shippingMinor: body.shippingMinor,
  };
}

/** zod issues as `path: message` lines, the `details` of a 400. */
export function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
}
