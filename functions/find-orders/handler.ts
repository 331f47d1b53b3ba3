import { browseOrders } from '#domain/use-cases/browse';
import { findOrders } from '#domain/use-cases/read-orders';
import { httpHandler, listResponse, pageOf } from '#shared/http';
import { browse, tableDeps } from '#shared/wiring';

const deps = { ...tableDeps(), browse: browse() };

/** `GET /orders?source=&externalId=`, `GET /orders?customerId=&status=`, or across customers `GET /orders?status=&source=&from=&to=`. */
export const handler = httpHandler('GET /orders', async (event) => {
  const query = event.queryStringParameters ?? {};
  const page = pageOf(event);
  // A store reference (`source` with `externalId`) or a customer's orders; otherwise a list across customers by status.
  if (query.externalId !== undefined || query.customerId !== undefined || (query.source !== undefined && query.status === undefined)) return listResponse(event, await findOrders({ source: query.source, externalId: query.externalId, customerId: query.customerId, status: query.status, ...page }, deps));
  return listResponse(event, await browseOrders({ status: query.status, source: query.source, from: query.from, to: query.to, ...page }, deps));
});
