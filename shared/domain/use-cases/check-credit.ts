import { auditTrail } from '../audit.ts';
import { decideCredit, type CreditPolicy } from '../credit.ts';
import { OrderNotFound } from '../errors.ts';
import { exposureOf, revise } from '../order.ts';
import type { Clock, IdGenerator, OrderStore, Receivables } from '../ports.ts';
import type { StepResult } from './validate-order.ts';
import { RETRY, retryOnChange } from '../retry.ts';

export interface CheckCreditDeps {
  orders: OrderStore;
  receivables: Receivables;
  policy: CreditPolicy;
  clock: Clock;
  ids: IdGenerator;
}

/** Optimistic concurrency: a concurrent order of the same customer makes us re-read and decide again. */
const MAX_ATTEMPTS = 10;

/**
 * The workflow's credit step. An approval moves the order's total into the customer's exposure in the same
 * transaction that marks the order APPROVED, conditional on the customer's version: of two orders that each fit
 * the limit alone but not together, exactly one is approved; the other is decided again on the new exposure.
 */
export async function checkCredit(orderId: string, deps: CheckCreditDeps): Promise<StepResult> {
  return retryOnChange(
    `credit for order ${orderId} kept changing under concurrent orders; retry`,
    async () => {
      const order = await deps.orders.get(orderId);
      if (!order) throw new OrderNotFound(`order ${orderId} does not exist`);
      if (order.status !== 'RECEIVED') return { orderId, status: order.status, reasons: order.credit?.reasons ?? order.holdReasons };
      const customer = await deps.orders.getCustomer(order.customerId);
      if (!customer) throw new OrderNotFound(`customer ${order.customerId} of order ${orderId} does not exist`);

      const now = deps.clock.now();
      const decision = decideCredit({
        customer,
        order,
        oldestOverdueDays: await deps.receivables.oldestOverdueDays(customer.id, now),
        policy: deps.policy,
      });
      const at = now.toISOString();
      const status = decision.outcome;
      const credit = { outcome: status, reasons: decision.reasons, decidedBy: 'policy', decidedAt: at, exposureMinor: status === 'APPROVED' ? exposureOf(order) : 0 };
      const audit = auditTrail(deps, { actor: 'workflow:credit', at })({
        entity: 'order',
        entityId: orderId,
        customerId: customer.id,
        type: status === 'APPROVED' ? 'CreditApproved' : status === 'REJECTED' ? 'CreditRejected' : 'CreditReviewRequired',
        before: order.status,
        after: status,
        reason: `${decision.reasons.join('; ')} (exposure ${decision.exposureBeforeMinor} → ${decision.exposureAfterMinor}, limit ${decision.limitMinor})`,
      });
      const after = revise(order, { status, credit }, at);
      const applied =
        status === 'APPROVED'
          ? await deps.orders.updateWithCustomer(
              { before: order, after },
              {
                before: customer,
                after: { ...customer, exposureMinor: decision.exposureAfterMinor, approvedOrders: customer.approvedOrders + 1, updatedAt: at, version: customer.version + 1 },
              },
              audit,
            )
          : await deps.orders.update(order, after, audit);
      if (applied) return { orderId, status, reasons: decision.reasons };
      return RETRY;
    },
    { attempts: MAX_ATTEMPTS },
  );
}
