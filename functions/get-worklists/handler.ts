import { worklistSummaries } from '#domain/use-cases/worklists';
import { httpHandler, json } from '#shared/http';
import { worklists } from '#shared/wiring';

const deps = { worklists: worklists() };

/** `GET /worklists`: `{items: [{kind, count, oldestAt, amounts: [{currency, amountMinor}]}]}`. */
export const handler = httpHandler('GET /worklists', async () => json(200, await worklistSummaries(deps)));
