import { saveProduct } from '#domain/use-cases/products';
import { ProductBody } from '#schemas/operator-api';
import { httpHandler, json, parseBody, pathParameter } from '#shared/http';
import { orderWorkflows, tableDeps } from '#shared/wiring';

const deps = { ...tableDeps(), workflows: orderWorkflows() };

/** `PUT /products/{sku}`: create or change a product; raising stock resumes backordered orders. */
export const handler = httpHandler('PUT /products/{sku}', async (event, caller) =>
  json(200, await saveProduct(pathParameter(event, 'sku'), parseBody(event, ProductBody), caller.actor, deps)),
);
