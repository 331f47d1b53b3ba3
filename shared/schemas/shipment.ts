import * as z from '#schemas/zod';
import { acceptedText } from './text.ts';

/** Every text of a shipment is a carrier's identifier or record: a character SQS or DynamoDB refuses is a 400, never cleaned. */
const text = (max: number) => acceptedText(z.string().check(z.trim(), z.minLength(1), z.maxLength(max)));

/** `POST /shipments` from a carrier or 3PL (DESIGN §4), plus optional proof of delivery. */
export const ShipmentBody = z.strictObject({
  orderId: text(64),
  carrier: text(64).check(z.regex(/^[^#]+$/, 'must not contain #')),
  trackingNumber: text(128).check(z.regex(/^[^#]+$/, 'must not contain #')),
  shippedAt: z.iso.datetime({ offset: true }),
  lines: z.optional(
    z
      .array(z.strictObject({ sku: text(64), quantity: z.number().check(z.int(), z.gt(0), z.lte(1_000_000)) }))
      .check(z.minLength(1), z.maxLength(500)),
  ),
  deliveredAt: z.optional(z.iso.datetime({ offset: true })),
  proofOfDelivery: z.optional(
    z.strictObject({ signedBy: z.optional(acceptedText(z.string().check(z.maxLength(200)))), url: z.optional(acceptedText(z.url().check(z.maxLength(2000)))) }),
  ),
});
export type ShipmentBody = z.infer<typeof ShipmentBody>;
