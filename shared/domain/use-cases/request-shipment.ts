import { auditTrail } from '../audit.ts';
import { OrderNotFound } from '../errors.ts';
import type { Clock, IdGenerator, OrderStore } from '../ports.ts';
import type { StepResult } from './validate-order.ts';

/**
 * The workflow's last step: a shipment request for the reserved units, recorded once per order (the outbox a
 * warehouse or 3PL integration reads). The execution then ends; `POST /shipments` resumes the order.
 */
export async function requestShipment(orderId: string, deps: { orders: OrderStore; clock: Clock; ids: IdGenerator }): Promise<StepResult> {
  const order = await deps.orders.get(orderId);
  if (!order) throw new OrderNotFound(`order ${orderId} does not exist`);
  if (order.status !== 'AWAITING_SHIPMENT') return { orderId, status: order.status, reasons: [] };
  const at = deps.clock.now().toISOString();
  await deps.orders.recordShipmentRequest(
    order,
    auditTrail(deps, { actor: 'workflow:fulfilment', at })({ entity: 'order', entityId: orderId, customerId: order.customerId, type: 'ShipmentRequested', after: order.status, reason: JSON.stringify(order.reservedQuantities) }),
  );
  return { orderId, status: order.status, reasons: [] };
}
