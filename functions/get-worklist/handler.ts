import { worklistPage } from '#domain/use-cases/worklists';
import { httpHandler, listResponse, pageOf, pathParameter } from '#shared/http';
import { worklists } from '#shared/wiring';

const deps = { worklists: worklists() };

/** `GET /worklists/{kind}`: a page of one worklist, oldest first; each item names the route that resolves it. */
export const handler = httpHandler('GET /worklists/{kind}', async (event) => listResponse(event, await worklistPage({ kind: pathParameter(event, 'kind'), ...pageOf(event) }, deps)));
