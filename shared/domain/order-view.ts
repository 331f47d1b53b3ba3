import type { AuditEvent } from './audit.ts';
import type { Order } from './order.ts';

/** An order as the operator API shows it (DESIGN §4 shape, plus totals, hold reasons and its history). */
export function orderView(order: Order, history: readonly AuditEvent[] = []) {
  return {
    id: order.id,
    source: order.source,
    externalId: order.externalId,
    customerId: order.customerId,
    status: order.status,
    storeOrderNumber: order.storeOrderNumber,
    currency: order.currency,
    taxesIncluded: order.taxesIncluded,
    discountMinor: order.discountMinor,
    netMinor: order.netMinor,
    shippingMinor: order.shippingMinor,
    shippingTaxMinor: order.shippingTaxMinor,
    taxMinor: order.taxMinor,
    totalMinor: order.totalMinor,
    storeTotals: order.storeTotals,
    payment: order.payment,
    prepaidMinor: order.prepaidMinor ?? 0,
    lines: order.lines.map((line) => ({
      sku: line.sku,
      description: line.description,
      quantity: line.quantity,
      unitPriceMinor: line.unitPriceMinor,
      discountMinor: line.discountMinor,
      taxRatePercent: line.taxRatePpm / 10_000,
      netMinor: line.netMinor,
      taxMinor: line.taxMinor,
    })),
    holdReasons: order.holdReasons,
    flags: order.flags,
    credit: order.credit,
    reservedQuantities: order.reservedQuantities,
    shippedQuantities: order.shippedQuantities,
    cancelReason: order.cancelReason,
    billingAddress: order.billingAddress,
    shippingAddress: order.shippingAddress,
    orderedAt: order.orderedAt,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    history: history.map(({ type, actor, at, before, after, reason }) => ({ type, actor, at, before, after, reason })),
  };
}
