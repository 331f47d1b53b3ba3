import { z } from 'zod';

const CanonicalOrderSchema = z.object({
  source: z.enum(['generic', 'shopify', 'woocommerce']),
  externalId: z.string().min(1),
  orderedAt: z.string().min(1),
  currency: z.string().length(3),
  customer: z.object({ externalId: z.string(), name: z.string(), email: z.string(), country: z.string() }),
  lines: z
    .array(
      z.object({
        sku: z.string(),
        description: z.string().optional(),
        quantity: z.number().int().positive(),
        unitPriceMinor: z.number().int().nonnegative(),
        taxRateBasisPoints: z.number().int().nonnegative(),
      }),
    )
    .min(1),
  shippingMinor: z.number().int().nonnegative(),
});

/** What the webhook puts on the orders queue: one accepted delivery. */
export const OrderDelivered = z.object({
  deliveryId: z.string().min(1),
  receivedAt: z.string().min(1),
  order: CanonicalOrderSchema,
});
export type OrderDelivered = z.infer<typeof OrderDelivered>;

/** The input of every order-workflow execution. */
export const OrderWorkflowInput = z.object({ orderId: z.string().min(1) });
export type OrderWorkflowInput = z.infer<typeof OrderWorkflowInput>;
