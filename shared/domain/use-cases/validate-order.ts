import { auditTrail } from '../audit.ts';
import { OrderNotFound } from '../errors.ts';
import { MAX_RESERVABLE_SKUS, checkAgainstCatalogue, revise, type OrderStatus } from '../order.ts';
import type { Catalogue, Clock, IdGenerator, OrderStore } from '../ports.ts';

export interface ValidateOrderDeps {
  orders: OrderStore;
  catalogue: Catalogue;
  clock: Clock;
  ids: IdGenerator;
}

export interface StepResult {
  orderId: string;
  status: OrderStatus;
  reasons: string[];
}

/**
 * The order workflow's first step: RECEIVED when the catalogue knows every line, else ON_HOLD with the reasons.
 * Only a NEW order is changed, conditionally on its version, so a retried step reports the state it already set.
 */
export async function validateOrder(orderId: string, deps: ValidateOrderDeps): Promise<StepResult> {
  const order = await deps.orders.get(orderId);
  if (!order) throw new OrderNotFound(`order ${orderId} does not exist`);
  if (order.status !== 'NEW') return { orderId, status: order.status, reasons: order.holdReasons };

  const skus = [...new Set(order.lines.map((line) => line.sku))];
  const check = checkAgainstCatalogue(order, await deps.catalogue.getMany(skus));
  if (skus.length > MAX_RESERVABLE_SKUS) check.reasons.push(`${skus.length} distinct SKUs: at most ${MAX_RESERVABLE_SKUS} can be reserved together`);
  const status = check.reasons.length === 0 ? 'RECEIVED' : 'ON_HOLD';
  const now = deps.clock.now().toISOString();
  const audit = auditTrail(deps, { actor: 'workflow:order', at: now })({
    entity: 'order',
    entityId: orderId,
    customerId: order.customerId,
    type: status === 'RECEIVED' ? 'OrderReceived' : 'OrderHeld',
    before: order.status,
    after: status,
    reason: check.reasons.length > 0 ? check.reasons.join('; ') : 'every line is in the catalogue',
  });
  if (await deps.orders.update(order, revise(order, { status, holdReasons: check.reasons }, now), audit)) return { orderId, status, reasons: check.reasons };

  const current = await deps.orders.get(orderId);
  return { orderId, status: current?.status ?? order.status, reasons: current?.holdReasons ?? [] };
}
