import { recheckOrder } from '#domain/use-cases/validate-order';
import { httpHandler, json, pathParameter } from '#shared/http';
import { orderWorkflows, tableDeps } from '#shared/wiring';

const deps = { ...tableDeps(), workflows: orderWorkflows() };

/** `POST /orders/{id}/recheck`: checks an ON_HOLD order against the catalogue again; `{orderId, status, reasons}`. */
export const handler = httpHandler('POST /orders/{id}/recheck', async (event, caller) => json(200, await recheckOrder(pathParameter(event, 'id'), caller.actor, deps)));
