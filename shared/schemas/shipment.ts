import { z } from 'zod';

/** `POST /shipments` from a carrier or 3PL (DESIGN §4), plus optional proof of delivery. */
export const ShipmentBody = z.strictObject({
  orderId: z.string().trim().min(1).max(64),
  carrier: z.string().trim().min(1).max(64).regex(/^[^#]+$/, 'must not contain #'),
  trackingNumber: z.string().trim().min(1).max(128).regex(/^[^#]+$/, 'must not contain #'),
  shippedAt: z.iso.datetime({ offset: true }),
  lines: z
    .array(z.strictObject({ sku: z.string().trim().min(1).max(64), quantity: z.number().int().positive() }))
    .min(1)
    .max(500)
    .optional(),
  deliveredAt: z.iso.datetime({ offset: true }).optional(),
  proofOfDelivery: z.strictObject({ signedBy: z.string().max(200).optional(), url: z.url().max(2000).optional() }).optional(),
});
export type ShipmentBody = z.infer<typeof ShipmentBody>;
