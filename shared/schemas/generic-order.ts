import * as z from 'zod';
import { InvalidRequest } from '#domain/errors';
import { isCurrency, MAX_AMOUNT_MINOR, percentToPpm } from '#domain/money';
import type { CanonicalOrder } from '#domain/order';
import { checkOrderLimits } from '#domain/order-limits';
import { describeIssues } from './issues.ts';
import { acceptedText } from './text.ts';

/** DESIGN §4 caps: more lines than this is a client mistake, not a big order. */
export const MAX_ORDER_LINES = 500;

const minorAmount = z.number().int('must be an integer number of minor units').min(0).max(MAX_AMOUNT_MINOR);

const taxRatePercent = z
  .number()
  .min(0)
  .max(100)
  .refine((rate) => {
    try {
      percentToPpm(rate);
      return true;
    } catch {
      return false;
    }
  }, 'at most four decimals');

const countryCode = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 country code');
const addressText = (max: number) => z.string().trim().min(1).max(max);

/**
 * The buyer's VAT identification number (EN 16931 BT-48, §14 UStG): its two-letter prefix (`DE`, `EL` for Greece)
 * and 2–13 more characters; spaces are dropped, so `DE 987 654 321` is kept as `DE987654321`.
 */
export const VatId = z
  .string()
  .transform((value) => value.replace(/\s+/g, '').toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{2}[0-9A-Z+*.]{2,13}$/, 'a VAT id starts with its two-letter country prefix, e.g. DE123456789'));

/** Where the invoice goes (EN 16931 BG-8): printed on every invoice of the order, in the PDF and the UBL. */
const billingAddress = z.strictObject({
  company: addressText(200).optional(),
  name: addressText(200).optional(),
  line1: addressText(200),
  line2: addressText(200).optional(),
  city: addressText(100),
  postalCode: addressText(20).optional(),
  region: addressText(100).optional(),
  country: countryCode,
});

/** The generic order webhook body (DESIGN §4). */
export const GenericOrderBody = z.strictObject({
  externalId: acceptedText(z.string().trim().min(1).max(100)),
  orderedAt: z.iso.datetime({ offset: true }),
  currency: z.string().refine(isCurrency, 'unknown ISO 4217 currency'),
  customer: z.object({
    externalId: acceptedText(z.string().trim().min(1).max(100)),
    name: z.string().trim().min(1).max(200),
    email: z.email(),
    country: countryCode,
    vatId: VatId.optional(),
  }),
  billingAddress: billingAddress.optional(),
  lines: z
    .array(
      z.object({
        sku: acceptedText(z.string().trim().min(1).max(64)),
        description: z.string().max(500).optional(),
        quantity: z.number().int().positive().max(1_000_000),
        unitPriceMinor: minorAmount,
        taxRatePercent,
      }),
    )
    .min(1)
    .max(MAX_ORDER_LINES, `at most ${MAX_ORDER_LINES} lines`),
  shippingMinor: minorAmount.default(0),
  /** The tax rate on shipping; 0 (zero-rated) when omitted. */
  shippingTaxRatePercent: taxRatePercent.optional(),
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
      taxRatePpm: percentToPpm(line.taxRatePercent),
    })),
    shippingMinor: body.shippingMinor,
    shippingTaxRatePpm: body.shippingTaxRatePercent === undefined ? undefined : percentToPpm(body.shippingTaxRatePercent),
    billingAddress: body.billingAddress,
  };
}

export { describeIssues };

/**
 * The parsed JSON of `POST /webhooks/orders` as our order, or InvalidRequest naming every field that is wrong;
 * its amounts and text then pass the limits every order webhook shares (`checkOrderLimits`).
 */
export function readGenericOrder(json: unknown): CanonicalOrder {
  const parsed = GenericOrderBody.safeParse(json);
  if (!parsed.success) throw new InvalidRequest('invalid order', describeIssues(parsed.error));
  return checkOrderLimits(toCanonicalOrder(parsed.data), 'invalid order');
}
