import * as z from 'zod';
import { acceptedText } from './text.ts';

/** Every text of a shipment is a carrier's identifier or record: a character SQS or DynamoDB refuses is a 400, never cleaned. */
const text = (max: number) => acceptedText(z.string().trim().min(1).max(max));

/** `POST /shipments` from a carrier or 3PL (DESIGN §4), plus optional proof of delivery. */
export const ShipmentBody = z.strictObject({
  orderId: text(64),
  carrier: text(64).regex(/^[^#]+$/, 'must not contain #'),
  trackingNumber: text(128).regex(/^[^#]+$/, 'must not contain #'),
  shippedAt: z.iso.datetime({ offset: true }),
  lines: z
    .array(z.strictObject({ sku: text(64), quantity: z.number().int().positive().max(1_000_000) }))
    .min(1)
    .max(500)
    .optional(),
  deliveredAt: z.iso.datetime({ offset: true }).optional(),
  proofOfDelivery: z
    .strictObject({ signedBy: acceptedText(z.string().max(200)).optional(), url: acceptedText(z.url().max(2000)).optional() })
    .optional(),
});
export type ShipmentBody = z.infer<typeof ShipmentBody>;
