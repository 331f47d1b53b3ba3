import { auditTrail } from '../audit.ts';
import { OrderNotFound } from '../errors.ts';
import { revise, type Order, type OrderStatus } from '../order.ts';
import type { OrderSource } from '../order.ts';
import type { Clock, IdGenerator, OrderStore } from '../ports.ts';
import { RETRY, retryOnChange } from '../retry.ts';

export interface ReleaseDeps {
  orders: OrderStore;
  clock: Clock;
  ids: IdGenerator;
}

/** Orders that can still be cancelled: nothing has left the warehouse. */
const CANCELLABLE: readonly OrderStatus[] = ['NEW', 'ON_HOLD', 'RECEIVED', 'CREDIT_REVIEW', 'APPROVED', 'BACKORDERED', 'AWAITING_SHIPMENT'];

const MAX_ATTEMPTS = 5;

/**
 * Cancels an order and undoes what it holds: reserved units go back to available stock and the exposure it added
 * goes back to the customer's credit, in one transaction with the status change. Idempotent: a cancelled order
 * stays as it is. An order already (partly) shipped is not cancelled; it is flagged for a person.
 */
export async function cancelOrder(orderId: string, reason: string, actor: string, deps: ReleaseDeps): Promise<{ orderId: string; status: OrderStatus }> {
  return retryOnChange(
    `order ${orderId} kept changing during cancellation; retry`,
    async () => {
      const order = await deps.orders.get(orderId);
      if (!order) throw new OrderNotFound(`order ${orderId} does not exist`);
      if (order.status === 'CANCELLED' || order.status === 'REJECTED') return { orderId, status: order.status };
      const at = deps.clock.now().toISOString();
      const audit = auditTrail(deps, { actor, at });
      if (!CANCELLABLE.includes(order.status)) {
        const flag = `cancellation requested after shipment (${reason}): needs a credit note or return`;
        if (order.flags.includes(flag)) return { orderId, status: order.status };
        const flagged = await deps.orders.update(order, revise(order, { flags: [...order.flags, flag] }, at), audit({ entity: 'order', entityId: orderId, customerId: order.customerId, type: 'CancellationRefused', before: order.status, after: order.status, reason: flag }));
        if (flagged) return { orderId, status: order.status };
        return RETRY;
      }
      if (await release(order, reason, audit, deps, at)) return { orderId, status: 'CANCELLED' };
      return RETRY;
    },
    { attempts: MAX_ATTEMPTS },
  );
}

/** Statuses an order reaches only once its stock is reserved. */
const RESERVED_OR_LATER: readonly OrderStatus[] = ['AWAITING_SHIPMENT', 'PARTIALLY_SHIPPED', 'SHIPPED', 'INVOICED', 'PAID'];

/**
 * The order workflow's compensation after `failedStep` failed for good: cancel and release, as {@link cancelOrder}.
 * An Express execution may run twice, so the failure can be a duplicate's while the other execution got past the
 * step: a reservation that failed on an order already reserved is not undone (`compensated: false`).
 */
export async function compensateFailedStep(
  input: { orderId: string; failedStep?: 'ReserveStock' | 'RequestShipment' | undefined; reason: string },
  deps: ReleaseDeps,
): Promise<{ orderId: string; status: OrderStatus; compensated: boolean }> {
  const order = await deps.orders.get(input.orderId);
  if (!order) throw new OrderNotFound(`order ${input.orderId} does not exist`);
  if (input.failedStep === 'ReserveStock' && RESERVED_OR_LATER.includes(order.status)) return { orderId: order.id, status: order.status, compensated: false };
  return { ...(await cancelOrder(input.orderId, input.reason, 'workflow:compensation', deps)), compensated: true };
}

async function release(order: Order, reason: string, audit: ReturnType<typeof auditTrail>, deps: ReleaseDeps, at: string): Promise<boolean> {
  const exposureMinor = order.credit?.exposureMinor ?? 0;
  const customer = exposureMinor > 0 ? await deps.orders.getCustomer(order.customerId) : undefined;
  const after = revise(order, { status: 'CANCELLED', cancelReason: reason, reservedQuantities: {}, credit: order.credit ? { ...order.credit, exposureMinor: 0 } : undefined }, at);
  return deps.orders.release(
    { before: order, after },
    customer ? { before: customer, after: { ...customer, exposureMinor: customer.exposureMinor - exposureMinor, updatedAt: at, version: customer.version + 1 } } : undefined,
    audit({ entity: 'order', entityId: order.id, customerId: order.customerId, type: 'OrderCancelled', before: order.status, after: 'CANCELLED', reason: `${reason}; released stock ${JSON.stringify(order.reservedQuantities)} and exposure ${exposureMinor}` }),
  );
}

/** A store's cancellation of an order we may not have stored yet (webhooks arrive in any order). */
export async function cancelStoreOrder(input: { source: OrderSource; externalId: string; reason: string }, deps: ReleaseDeps) {
  const orderId = await deps.orders.findIdByRef(input.source, input.externalId);
  if (!orderId) throw new OrderNotFound(`no ${input.source} order ${input.externalId} yet; the cancellation will be retried`);
  return cancelOrder(orderId, `cancelled by ${input.source}: ${input.reason}`, `webhook:${input.source}`, deps);
}
