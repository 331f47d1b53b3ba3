import { InvalidRequest, OrderNotFound } from '../errors.ts';
import type { Order, OrderSource } from '../order.ts';
import { orderView } from '../order-view.ts';
import type { OrderStore } from '../ports.ts';

const SOURCES: readonly OrderSource[] = ['generic', 'shopify', 'woocommerce'];

export async function getOrder(orderId: string, deps: { orders: OrderStore }) {
  const order = await deps.orders.get(orderId);
  if (!order) throw new OrderNotFound(`order ${orderId} does not exist`);
  return orderView(order, await deps.orders.listAudit(orderId));
}

/** Looks an order up by the store's own id: the question an operator asks with a store's order number in hand. */
export async function findOrdersByExternalId(query: { source?: string | undefined; externalId?: string | undefined }, deps: { orders: OrderStore }) {
  const { source, externalId } = query;
  if (!source || !externalId) throw new InvalidRequest('source and externalId are both required');
  if (!SOURCES.includes(source as OrderSource)) throw new InvalidRequest(`source must be one of ${SOURCES.join(', ')}`);
  const orderId = await deps.orders.findIdByRef(source as OrderSource, externalId);
  const order: Order | undefined = orderId ? await deps.orders.get(orderId) : undefined;
  return { items: order ? [orderView(order)] : [], cursor: null };
}
