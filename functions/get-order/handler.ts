import { getOrder } from '#domain/use-cases/read-orders';
import { httpHandler, json, pathParameter } from '#shared/http';
import { tableDeps } from '#shared/wiring';

const deps = tableDeps();

/** `GET /orders/{id}`: the order with its lines, totals, credit, stock, hold reasons and audit history. */
export const handler = httpHandler('GET /orders/{id}', async (event) => json(200, await getOrder(pathParameter(event, 'id'), deps)));
