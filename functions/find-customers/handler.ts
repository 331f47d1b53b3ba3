import { findCustomers } from '#domain/use-cases/customers';
import { httpHandler, json } from '#shared/http';
import { tableDeps } from '#shared/wiring';

const deps = tableDeps();

/** `GET /customers?externalId=&source=`: the customers known by that number (`items`, `cursor`). */
export const handler = httpHandler('GET /customers', async (event) => {
  const query = event.queryStringParameters ?? {};
  return json(200, await findCustomers({ externalId: query.externalId, source: query.source }, deps));
});
