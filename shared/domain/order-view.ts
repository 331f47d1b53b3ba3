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
    currency: order.currency,
    netMinor: order.netMinor,
    taxMinor: order.taxMinor,
    shippingMinor: order.shippingMinor,
    totalMinor: order.totalMinor,
    lines: order.lines.map((line) => ({
      sku: line.sku,
      description: line.description,
      quantity: line.quantity,
      unitPriceMinor: line.unitPriceMinor,
      taxRatePercent: line.taxRateBasisPoints / 100,
      netMinor: line.netMinor,
      taxMinor: line.taxMinor,
    })),
    holdReasons: order.holdReasons,
    orderedAt: order.orderedAt,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    history: history.map(({ type, actor, at, before, after, reason }) => ({ type, actor, at, before, after, reason })),
  };
}
