import * as z from '#schemas/zod';

const minor = z.number().check(z.int());
const Address = z.object({
  name: z.optional(z.string()),
  company: z.optional(z.string()),
  line1: z.optional(z.string()),
  line2: z.optional(z.string()),
  city: z.optional(z.string()),
  postalCode: z.optional(z.string()),
  region: z.optional(z.string()),
  country: z.optional(z.string()),
  phone: z.optional(z.string()),
});

/** The canonical order on the wire (queue messages), mirroring `CanonicalOrder` in the domain. */
export const CanonicalOrderSchema = z.object({
  source: z.enum(['generic', 'shopify', 'woocommerce']),
  externalId: z.string().check(z.minLength(1)),
  storeOrderNumber: z.optional(z.string()),
  orderedAt: z.string().check(z.minLength(1)),
  currency: z.string().check(z.length(3)),
  customer: z.object({ externalId: z.string().check(z.minLength(1)), name: z.string(), email: z.string(), country: z.string(), vatId: z.optional(z.string()) }),
  lines: z
    .array(
      z.object({
        sku: z.string().check(z.minLength(1)),
        description: z.optional(z.string()),
        quantity: z.number().check(z.int(), z.gt(0)),
        unitPriceMinor: minor.check(z.gte(0)),
        taxRatePpm: z.number().check(z.int(), z.gte(0)),
        discountMinor: z.optional(minor.check(z.gte(0))),
        storeTaxMinor: z.optional(minor.check(z.gte(0))),
      }),
    )
    .check(z.minLength(1)),
  shippingMinor: minor.check(z.gte(0)),
  shippingTaxRatePpm: z.optional(z.number().check(z.int(), z.gte(0))),
  shippingStoreTaxMinor: z.optional(minor.check(z.gte(0))),
  payment: z.optional(z.object({ status: z.string(), capturedMinor: minor.check(z.gte(0)), gateway: z.optional(z.string()) })),
  taxesIncluded: z.optional(z.boolean()),
  billingAddress: z.optional(Address),
  shippingAddress: z.optional(Address),
  storeTotals: z.optional(
    z.object({ subtotalMinor: z.optional(minor), discountMinor: z.optional(minor), shippingMinor: z.optional(minor), taxMinor: z.optional(minor), totalMinor: minor }),
  ),
  flags: z.optional(z.array(z.string())),
});

/** What a webhook puts on the orders queue: a new order, or a store's cancellation of one. */
export const OrderDelivered = z.object({
  kind: z._default(z.literal('order'), 'order'),
  deliveryId: z.string().check(z.minLength(1)),
  receivedAt: z.string().check(z.minLength(1)),
  order: CanonicalOrderSchema,
});
export type OrderDelivered = z.infer<typeof OrderDelivered>;

export const CancellationDelivered = z.object({
  kind: z.literal('cancellation'),
  deliveryId: z.string().check(z.minLength(1)),
  receivedAt: z.string().check(z.minLength(1)),
  source: z.enum(['generic', 'shopify', 'woocommerce']),
  externalId: z.string().check(z.minLength(1)),
  reason: z.string().check(z.minLength(1)),
});
export type CancellationDelivered = z.infer<typeof CancellationDelivered>;

export const IntakeMessage = z.union([CancellationDelivered, OrderDelivered]);
export type IntakeMessage = z.infer<typeof IntakeMessage>;

/** The input of every order-workflow execution; `resumeAt` skips the steps an earlier execution finished. */
export const OrderWorkflowInput = z.object({ orderId: z.string().check(z.minLength(1)), resumeAt: z.optional(z.enum(['RESERVE'])) });
export type OrderWorkflowInput = z.infer<typeof OrderWorkflowInput>;
