import { getProduct } from '#domain/use-cases/products';
import { httpHandler, json, pathParameter } from '#shared/http';
import { tableDeps } from '#shared/wiring';

const deps = tableDeps();

/** `GET /products/{sku}`: price and stock (on hand, reserved, available). */
export const handler = httpHandler('GET /products/{sku}', async (event) => json(200, await getProduct(pathParameter(event, 'sku'), deps)));
