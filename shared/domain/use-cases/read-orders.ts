import { InvalidRequest, OrderNotFound } from '../errors.ts';
import { orderSources, orderStatuses, type Order, type OrderSource, type OrderStatus } from '../order.ts';
import { orderView } from '../order-view.ts';
import type { OrderStore } from '../ports.ts';


export async function getOrder(orderId: string, deps: { orders: OrderStore }) {
  const order = await deps.orders.get(orderId);
  if (!order) throw new OrderNotFound(`order ${orderId} does not exist`);
  return orderView(order, await deps.orders.listAudit(orderId));
}

export interface OrderQuery {
  source?: string | undefined;
  externalId?: string | undefined;
  customerId?: string | undefined;
  status?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/**
 * Two questions operators ask: "which order is the store's #1001?" (source + externalId) and "what does this
 * customer have open?" (customerId, optionally one status), oldest first, a page at a time.
 */
export async function findOrders(query: OrderQuery, deps: { orders: OrderStore }) {
  if (query.externalId !== undefined || query.source !== undefined) {
    const { source, externalId } = query;
    if (!source || !externalId) throw new InvalidRequest('source and externalId go together');
    if (!orderSources.includes(source as OrderSource)) throw new InvalidRequest(`source must be one of ${orderSources.join(', ')}`);
    const orderId = await deps.orders.findIdByRef(source as OrderSource, externalId);
    const order: Order | undefined = orderId ? await deps.orders.get(orderId) : undefined;
    return { items: order ? [orderView(order)] : [], cursor: null };
  }
  if (!query.customerId) throw new InvalidRequest('give source and externalId, or customerId');
  if (query.status !== undefined && !orderStatuses.includes(query.status as OrderStatus))
    throw new InvalidRequest(`status must be one of ${orderStatuses.join(', ')}`);
  const page = await deps.orders.listOrdersOfCustomer(query.customerId, { status: query.status as OrderStatus | undefined, limit: query.limit, cursor: query.cursor });
  return { items: page.items.map((order) => orderView(order)), cursor: page.cursor };
}
