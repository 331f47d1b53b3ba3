import * as z from '#schemas/zod';
import { InvalidRequest } from '#domain/errors';
import { isCurrency, MAX_AMOUNT_MINOR, percentToPpm } from '#domain/money';
import type { CanonicalOrder } from '#domain/order';
import { checkOrderLimits } from '#domain/order-limits';
import { describeIssues } from './issues.ts';
import { acceptedText, EmailAddress } from './text.ts';

/** DESIGN §4 caps: more lines than this is a client mistake, not a big order. */
export const MAX_ORDER_LINES = 500;

const minorAmount = z.number().check(z.int('must be an integer number of minor units'), z.gte(0), z.lte(MAX_AMOUNT_MINOR));

const taxRatePercent = z.number().check(
  z.gte(0),
  z.lte(100),
  z.refine((rate) => {
    try {
      percentToPpm(rate);
      return true;
    } catch {
      return false;
    }
  }, 'at most four decimals'),
);

const countryCode = z.string().check(z.regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 country code'));
const addressText = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/**
 * The buyer's VAT identification number (EN 16931 BT-48, §14 UStG): its two-letter prefix (`DE`, `EL` for Greece)
 * and 2–13 more characters; spaces are dropped, so `DE 987 654 321` is kept as `DE987654321`.
 */
export const VatId = z.pipe(
  z.pipe(
    z.string(),
    z.transform((value) => value.replace(/\s+/g, '').toUpperCase()),
  ),
  z.string().check(z.regex(/^[A-Z]{2}[0-9A-Z+*.]{2,13}$/, 'a VAT id starts with its two-letter country prefix, e.g. DE123456789')),
);

/** Where the invoice goes (EN 16931 BG-8): printed on every invoice of the order, in the PDF and the UBL. */
const billingAddress = z.strictObject({
  company: z.optional(addressText(200)),
  name: z.optional(addressText(200)),
  line1: addressText(200),
  line2: z.optional(addressText(200)),
  city: addressText(100),
  postalCode: z.optional(addressText(20)),
  region: z.optional(addressText(100)),
  country: countryCode,
});

/** The generic order webhook body (DESIGN §4). */
export const GenericOrderBody = z.strictObject({
  externalId: acceptedText(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
  orderedAt: z.iso.datetime({ offset: true }),
  currency: z.string().check(z.refine(isCurrency, 'unknown ISO 4217 currency')),
  customer: z.object({
    externalId: acceptedText(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    email: EmailAddress,
    country: countryCode,
    vatId: z.optional(VatId),
  }),
  billingAddress: z.optional(billingAddress),
  lines: z
    .array(
      z.object({
        sku: acceptedText(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))),
        description: z.optional(z.string().check(z.maxLength(500))),
        quantity: z.number().check(z.int(), z.gt(0), z.lte(1_000_000)),
        unitPriceMinor: minorAmount,
        taxRatePercent,
      }),
    )
    .check(z.minLength(1), z.maxLength(MAX_ORDER_LINES, `at most ${MAX_ORDER_LINES} lines`)),
  shippingMinor: z._default(minorAmount, 0),
  /** The tax rate on shipping; 0 (zero-rated) when omitted. */
  shippingTaxRatePercent: z.optional(taxRatePercent),
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
