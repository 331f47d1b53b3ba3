import type { CreditPolicy } from '../credit.ts';
import { wholeUnitsToMinor } from '../credit.ts';
import { newCustomer } from '../customer.ts';
import { newOrder, type CanonicalOrder } from '../order.ts';
import type { Clock, IdGenerator, OrderStore, Workflows } from '../ports.ts';
import { RETRY, retryOnChange } from '../retry.ts';

export interface AcceptOrderDeps {
  orders: OrderStore;
  workflows: Workflows;
  clock: Clock;
  ids: IdGenerator;
  policy: CreditPolicy;
}

export interface AcceptedOrder {
  orderId: string;
  created: boolean;
}

/** Two racing first orders of one new customer can collide once on the customer; a second pass sees the winner. */
const MAX_ATTEMPTS = 3;

/**
 * Stores an order once per (source, external id) with its audit event, then starts its workflow. Safe to repeat:
 * a redelivered message finds the stored order and only (re)starts the workflow, which is itself a no-op if started.
 * A buyer seen for the first time becomes a customer with the policy's starting credit limit.
 */
export async function acceptOrder(input: { order: CanonicalOrder; deliveryId: string }, deps: AcceptOrderDeps): Promise<AcceptedOrder> {
  const { order } = input;
  return retryOnChange(
    `order ${order.source}/${order.externalId} could not be stored after ${MAX_ATTEMPTS} attempts; retry`,
    async () => {
      const existingId = await deps.orders.findIdByRef(order.source, order.externalId);
      if (existingId) {
        await deps.workflows.startOrder({ orderId: existingId }, existingId);
        return { orderId: existingId, created: false };
      }

      const now = deps.clock.now().toISOString();
      const knownCustomerId = await deps.orders.findCustomerIdByRef(order.source, order.customer.externalId);
      const customerId = knownCustomerId ?? deps.ids.next();
      const customer = knownCustomerId
        ? undefined
        : newCustomer(
            { id: customerId, source: order.source, ...order.customer, currency: order.currency },
            wholeUnitsToMinor(deps.policy.newCustomerCreditLimit, order.currency),
            now,
          );
      const stored = newOrder(order, { orderId: deps.ids.next(), customerId }, now);

      const outcome = await deps.orders.create({
        order: stored,
        newCustomer: customer,
        audit: {
          id: deps.ids.next(),
          entity: 'order',
          entityId: stored.id,
          customerId,
          type: 'OrderStored',
          actor: `webhook:${order.source}`,
          at: now,
          after: stored.status,
          reason: `delivery ${input.deliveryId}${stored.flags.length > 0 ? `; flagged: ${stored.flags.join('; ')}` : ''}`,
        },
      });
      if (outcome === 'created') {
        await deps.workflows.startOrder({ orderId: stored.id }, stored.id);
        return { orderId: stored.id, created: true };
      }
      return RETRY;
    },
    { attempts: MAX_ATTEMPTS },
  );
}
