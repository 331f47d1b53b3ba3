import { auditTrail } from '../audit.ts';
import { OrderNotFound } from '../errors.ts';
import { quantitiesBySku, revise } from '../order.ts';
import type { Clock, IdGenerator, OrderStore } from '../ports.ts';
import type { StepResult } from './validate-order.ts';
import { RETRY, retryOnChange } from '../retry.ts';

export interface ReserveStockDeps {
  orders: OrderStore;
  clock: Clock;
  ids: IdGenerator;
}

const MAX_ATTEMPTS = 5;

/**
 * The workflow's reservation step: every unit of the order comes out of available stock in one transaction
 * whose conditions refuse to go below zero, so concurrent orders can never oversell. An order that cannot be
 * reserved in full is BACKORDERED (nothing reserved) and marked under each short SKU, for the restock to find.
 */
export async function reserveStock(orderId: string, deps: ReserveStockDeps): Promise<StepResult> {
  return retryOnChange(
    `order ${orderId} kept changing during reservation; retry`,
    async () => {
      const order = await deps.orders.get(orderId);
      if (!order) throw new OrderNotFound(`order ${orderId} does not exist`);
      if (order.status !== 'APPROVED' && order.status !== 'BACKORDERED') return { orderId, status: order.status, reasons: order.holdReasons };

      const at = deps.clock.now().toISOString();
      const audit = auditTrail(deps, { actor: 'workflow:fulfilment', at });
      const quantities = quantitiesBySku(order.lines);
      const reserved = revise(order, { status: 'AWAITING_SHIPMENT', reservedQuantities: quantities, holdReasons: [] }, at);
      const result = await deps.orders.reserve(
        order,
        reserved,
        audit({ entity: 'order', entityId: orderId, customerId: order.customerId, type: 'StockReserved', before: order.status, after: 'AWAITING_SHIPMENT', reason: JSON.stringify(quantities) }),
      );
      if (result.kind === 'reserved') return { orderId, status: 'AWAITING_SHIPMENT', reasons: [] };
      if (result.kind === 'order-changed') return RETRY;

      const reasons = result.skus.map((sku) => `not enough ${sku} available for ${quantities[sku]} units`);
      if (order.status === 'BACKORDERED') return { orderId, status: 'BACKORDERED', reasons };
      const backordered = revise(order, { status: 'BACKORDERED', holdReasons: reasons }, at);
      const marked = await deps.orders.backorder(
        order,
        backordered,
        result.skus,
        audit({ entity: 'order', entityId: orderId, customerId: order.customerId, type: 'OrderBackordered', before: order.status, after: 'BACKORDERED', reason: reasons.join('; ') }),
      );
      if (marked) return { orderId, status: 'BACKORDERED', reasons };
      return RETRY;
    },
    { attempts: MAX_ATTEMPTS },
  );
}
