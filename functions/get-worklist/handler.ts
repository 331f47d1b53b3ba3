import { worklistPage } from '#domain/use-cases/worklists';
import { httpHandler, listResponse, pageOf, pathParameter } from '#shared/http';
import { deadLetters } from '#shared/dead-letters-wiring';
import { worklists } from '#shared/wiring';

const deps = { worklists: worklists(), deadLetters: deadLetters('read') };

/**
 * `GET /worklists/{kind}`: a page of one worklist, oldest first; each item names the route that resolves it. For
 * `dead-letters`, one item per dead-letter queue holding messages, with a redacted sample of them.
 */
export const handler = httpHandler('GET /worklists/{kind}', async (event) => listResponse(event, await worklistPage({ kind: pathParameter(event, 'kind'), ...pageOf(event) }, deps)));
