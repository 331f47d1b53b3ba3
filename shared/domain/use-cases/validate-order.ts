import { auditTrail } from '../audit.ts';
import { Conflict, OrderNotFound } from '../errors.ts';
import { MAX_RESERVABLE_SKUS, catalogueProblems, revise, type Order, type OrderStatus } from '../order.ts';
import type { Catalogue, Clock, IdGenerator, OrderStore, Workflows } from '../ports.ts';
import { RETRY, retryOnChange } from '../retry.ts';

export interface ValidateOrderDeps {
  orders: OrderStore;
  catalogue: Catalogue;
  clock: Clock;
  ids: IdGenerator;
}

export interface RecheckDeps extends ValidateOrderDeps {
  workflows: Workflows;
}

export interface StepResult {
  orderId: string;
  status: OrderStatus;
  reasons: string[];
}

/** The catalogue check of an order: RECEIVED or ON_HOLD, the reasons, and the SKUs whose fix would release it. */
async function checkOrder(order: Order, catalogue: Catalogue) {
  const skus = [...new Set(order.lines.map((line) => line.sku))];
  const problems = catalogueProblems(order, await catalogue.getMany(skus));
  const reasons = problems.map((problem) => problem.reason);
  const tooMany = skus.length > MAX_RESERVABLE_SKUS;
  if (tooMany) reasons.push(`${skus.length} distinct SKUs: at most ${MAX_RESERVABLE_SKUS} can be reserved together`);
  const status: OrderStatus = reasons.length === 0 ? 'RECEIVED' : 'ON_HOLD';
  // Too many SKUs is not fixed by any product: no SKU is worth re-checking the order for.
  const heldSkus = tooMany ? [] : [...new Set(problems.map((problem) => problem.sku))];
  return { status, reasons, heldSkus };
}

/**
 * The order workflow's first step: RECEIVED when the catalogue knows every line, else ON_HOLD with the reasons.
 * Only a NEW order is changed, conditionally on its version, so a retried step reports the state it already set.
 */
export async function validateOrder(orderId: string, deps: ValidateOrderDeps): Promise<StepResult> {
  const order = await deps.orders.get(orderId);
  if (!order) throw new OrderNotFound(`order ${orderId} does not exist`);
  if (order.status !== 'NEW') return { orderId, status: order.status, reasons: order.holdReasons };

  const check = await checkOrder(order, deps.catalogue);
  const now = deps.clock.now().toISOString();
  const audit = auditTrail(deps, { actor: 'workflow:order', at: now })({
    entity: 'order',
    entityId: orderId,
    customerId: order.customerId,
    type: check.status === 'RECEIVED' ? 'OrderReceived' : 'OrderHeld',
    before: order.status,
    after: check.status,
    reason: check.reasons.length > 0 ? check.reasons.join('; ') : 'every line is in the catalogue',
  });
  const after = revise(order, { status: check.status, holdReasons: check.reasons, heldSkus: check.status === 'ON_HOLD' ? check.heldSkus : undefined }, now);
  if (await deps.orders.update(order, after, audit)) return { orderId, status: check.status, reasons: check.reasons };

  const current = await deps.orders.get(orderId);
  return { orderId, status: current?.status ?? order.status, reasons: current?.holdReasons ?? [] };
}

/**
 * Checks an ON_HOLD order against the catalogue again (an operator asked, or a product it was held for was created
 * or fixed). Passing, it becomes RECEIVED and its order workflow starts again, under a name of its own per version
 * (`<orderId>-recheck-v<n>`: the first execution's name, the order id, is taken); still failing, it stays ON_HOLD
 * with today's reasons. Either way the re-check is audited. Anything but ON_HOLD → Conflict: nothing to release.
 */
export async function recheckOrder(orderId: string, actor: string, deps: RecheckDeps): Promise<StepResult> {
  return retryOnChange(
    `order ${orderId} kept changing during the re-check; retry`,
    async () => {
      const order = await deps.orders.get(orderId);
      if (!order) throw new OrderNotFound(`order ${orderId} does not exist`);
      if (order.status !== 'ON_HOLD') throw new Conflict(`order ${orderId} is ${order.status}, not ON_HOLD: nothing to re-check`);

      const check = await checkOrder(order, deps.catalogue);
      const at = deps.clock.now().toISOString();
      const audit = auditTrail(deps, { actor, at })({
        entity: 'order',
        entityId: orderId,
        customerId: order.customerId,
        type: check.status === 'RECEIVED' ? 'OrderReleased' : 'OrderRechecked',
        before: order.status,
        after: check.status,
        reason: check.reasons.length > 0 ? `still held: ${check.reasons.join('; ')}` : 'every line is in the catalogue now',
      });
      const after = revise(order, { status: check.status, holdReasons: check.reasons, heldSkus: check.status === 'ON_HOLD' ? check.heldSkus : undefined }, at);
      if (!(await deps.orders.update(order, after, audit))) return RETRY;
      // ValidateOrder leaves a RECEIVED order as it is, so the new execution goes on to the credit check.
      if (check.status === 'RECEIVED') await deps.workflows.startOrder({ orderId }, `${orderId}-recheck-v${after.version}`);
      return { orderId, status: check.status, reasons: check.reasons };
      return RETRY;
    },
    { attempts: 5 },
  );
}
