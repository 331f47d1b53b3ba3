import { search } from '#domain/use-cases/browse';
import { httpHandler, listResponse } from '#shared/http';
import { browse } from '#shared/wiring';

const deps = { browse: browse() };

/** `GET /search?q=`: invoices, credit notes, payments, orders and customers by number, reference or name. */
export const handler = httpHandler('GET /search', async (event) => listResponse(event, await search({ q: event.queryStringParameters?.q }, deps)));
