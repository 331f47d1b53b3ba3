import { auditTrail } from '../audit.ts';
import { Conflict, OrderNotFound } from '../errors.ts';
import { exposureOf, revise } from '../order.ts';
import type { Clock, IdGenerator, OrderStore, Workflows } from '../ports.ts';

export interface DecideCreditDeps {
  orders: OrderStore;
  workflows: Workflows;
  clock: Clock;
  ids: IdGenerator;
}

export interface CreditDecisionInput {
  orderId: string;
  decision: 'approve' | 'reject';
  reason: string;
  actor: string;
}

/**
 * A credit manager's decision on an order held for review. Approval takes the exposure (an override may exceed the
 * limit: that is what review is for, and the audit trail says who and why) and starts the next workflow execution
 * at the reservation; rejection ends the order.
 */
export async function recordCreditDecision(input: CreditDecisionInput, deps: DecideCreditDeps) {
  const order = await deps.orders.get(input.orderId);
  if (!order) throw new OrderNotFound(`order ${input.orderId} does not exist`);
  if (order.status !== 'CREDIT_REVIEW') throw new Conflict(`order ${order.id} is ${order.status}, not waiting for a credit decision`);
  const customer = await deps.orders.getCustomer(order.customerId);
  if (!customer) throw new OrderNotFound(`customer ${order.customerId} does not exist`);

  const at = deps.clock.now().toISOString();
  const approve = input.decision === 'approve';
  const status = approve ? 'APPROVED' : 'REJECTED';
  // Exposure is tracked in the customer's credit currency; an order in another currency is approved without it.
  const exposureMinor = approve && order.currency === customer.currency ? exposureOf(order) : 0;
  const after = revise(order, { status, credit: { outcome: approve ? 'APPROVED' : 'REJECTED', reasons: [input.reason], decidedBy: input.actor, decidedAt: at, exposureMinor } }, at);
  const audit = auditTrail(deps, { actor: input.actor, at })({
    entity: 'order',
    entityId: order.id,
    customerId: customer.id,
    type: approve ? 'CreditApprovedByReview' : 'CreditRejectedByReview',
    before: order.status,
    after: status,
    reason: input.reason,
  });
  const applied = approve
    ? await deps.orders.updateWithCustomer(
        { before: order, after },
        { before: customer, after: { ...customer, exposureMinor: customer.exposureMinor + exposureMinor, approvedOrders: customer.approvedOrders + 1, updatedAt: at, version: customer.version + 1 } },
        audit,
      )
    : await deps.orders.update(order, after, audit);
  if (!applied) throw new Conflict(`order ${order.id} or its customer changed meanwhile; read it again and decide`);
  if (approve) await deps.workflows.startOrder({ orderId: order.id, resumeAt: 'RESERVE' }, `${order.id}-v${after.version}`);
  return { orderId: order.id, status, decidedBy: input.actor };
}
