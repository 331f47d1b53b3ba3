import { getCustomer } from '#domain/use-cases/customers';
import { httpHandler, json, pageOf, pathParameter } from '#shared/http';
import { tableDeps } from '#shared/wiring';

const deps = tableDeps();

/** `GET /customers/{id}`: credit, terms, contacts, and a page of its history (its own and its orders' events). */
export const handler = httpHandler('GET /customers/{id}', async (event) => json(200, await getCustomer(pathParameter(event, 'id'), pageOf(event), deps)));
