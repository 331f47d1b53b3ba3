import { OrderNotFound } from '../errors.ts';
import { checkAgainstCatalogue, type OrderStatus } from '../order.ts';
import type { Catalogue, Clock, IdGenerator, OrderStore } from '../ports.ts';

export interface ValidateOrderDeps {
  orders: OrderStore;
  catalogue: Catalogue;
  clock: Clock;
  ids: IdGenerator;
}

export interface ValidationResult {
  orderId: string;
  status: OrderStatus;
  reasons: string[];
}

/**
 * The order workflow's first step: RECEIVED when the catalogue knows every line, else ON_HOLD with the reasons.
 * Only a NEW order is changed, conditionally on its version, so a retried step reports the state it already set.
 */
export async function validateOrder(orderId: string, deps: ValidateOrderDeps): Promise<ValidationResult> {
  const order = await deps.orders.get(orderId);
  if (!order) throw new OrderNotFound(`order ${orderId} does not exist`);
  if (order.status !== 'NEW') return { orderId, status: order.status, reasons: order.holdReasons };

  const catalogue = await deps.catalogue.getMany([...new Set(order.lines.map((line) => line.sku))]);
  const check = checkAgainstCatalogue(order, catalogue);
  const now = deps.clock.now().toISOString();
  const applied = await deps.orders.recordCheck(
    order,
    check,
    {
      id: deps.ids.next(),
      entity: 'order',
      entityId: orderId,
      type: check.status === 'RECEIVED' ? 'OrderReceived' : 'OrderHeld',
      actor: 'workflow:order',
      at: now,
      before: order.status,
      after: check.status,
      reason: check.reasons.length > 0 ? check.reasons.join('; ') : 'every line is in the catalogue',
    },
    now,
  );
  if (applied) return { orderId, ...check };

  const current = await deps.orders.get(orderId);
  return { orderId, status: current?.status ?? order.status, reasons: current?.holdReasons ?? [] };
}
