import { findOrders } from '#domain/use-cases/read-orders';
import { httpHandler, json, pageOf } from '#shared/http';
import { tableDeps } from '#shared/wiring';

const deps = tableDeps();

/** `GET /orders?source=&externalId=` or `GET /orders?customerId=&status=`: a page of orders (`items`, `cursor`). */
export const handler = httpHandler('GET /orders', async (event) => {
  const query = event.queryStringParameters ?? {};
  return json(200, await findOrders({ source: query.source, externalId: query.externalId, customerId: query.customerId, status: query.status, ...pageOf(event) }, deps));
});
