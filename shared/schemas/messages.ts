import * as z from 'zod';

const minor = z.number().int();
const Address = z.object({
  name: z.string().optional(),
  company: z.string().optional(),
  line1: z.string().optional(),
  line2: z.string().optional(),
  city: z.string().optional(),
  postalCode: z.string().optional(),
  region: z.string().optional(),
  country: z.string().optional(),
  phone: z.string().optional(),
});

/** The canonical order on the wire (queue messages), mirroring `CanonicalOrder` in the domain. */
export const CanonicalOrderSchema = z.object({
  source: z.enum(['generic', 'shopify', 'woocommerce']),
  externalId: z.string().min(1),
  storeOrderNumber: z.string().optional(),
  orderedAt: z.string().min(1),
  currency: z.string().length(3),
  customer: z.object({ externalId: z.string().min(1), name: z.string(), email: z.string(), country: z.string(), vatId: z.string().optional() }),
  lines: z
    .array(
      z.object({
        sku: z.string().min(1),
        description: z.string().optional(),
        quantity: z.number().int().positive(),
        unitPriceMinor: minor.nonnegative(),
        taxRatePpm: z.number().int().nonnegative(),
        discountMinor: minor.nonnegative().optional(),
        storeTaxMinor: minor.nonnegative().optional(),
      }),
    )
    .min(1),
  shippingMinor: minor.nonnegative(),
  shippingTaxRatePpm: z.number().int().nonnegative().optional(),
  shippingStoreTaxMinor: minor.nonnegative().optional(),
  payment: z.object({ status: z.string(), capturedMinor: minor.nonnegative(), gateway: z.string().optional() }).optional(),
  taxesIncluded: z.boolean().optional(),
  billingAddress: Address.optional(),
  shippingAddress: Address.optional(),
  storeTotals: z
    .object({ subtotalMinor: minor.optional(), discountMinor: minor.optional(), shippingMinor: minor.optional(), taxMinor: minor.optional(), totalMinor: minor })
    .optional(),
  flags: z.array(z.string()).optional(),
});

/** What a webhook puts on the orders queue: a new order, or a store's cancellation of one. */
export const OrderDelivered = z.object({
  kind: z.literal('order').default('order'),
  deliveryId: z.string().min(1),
  receivedAt: z.string().min(1),
  order: CanonicalOrderSchema,
});
export type OrderDelivered = z.infer<typeof OrderDelivered>;

export const CancellationDelivered = z.object({
  kind: z.literal('cancellation'),
  deliveryId: z.string().min(1),
  receivedAt: z.string().min(1),
  source: z.enum(['generic', 'shopify', 'woocommerce']),
  externalId: z.string().min(1),
  reason: z.string().min(1),
});
export type CancellationDelivered = z.infer<typeof CancellationDelivered>;

export const IntakeMessage = z.union([CancellationDelivered, OrderDelivered]);
export type IntakeMessage = z.infer<typeof IntakeMessage>;

/** The input of every order-workflow execution; `resumeAt` skips the steps an earlier execution finished. */
export const OrderWorkflowInput = z.object({ orderId: z.string().min(1), resumeAt: z.enum(['RESERVE']).optional() });
export type OrderWorkflowInput = z.infer<typeof OrderWorkflowInput>;
