import { getDunningPolicy } from '#domain/use-cases/dunning';
import { httpHandler, json } from '#shared/http';
import { dunningStore } from '#shared/wiring';

const deps = { dunning: dunningStore() };

/** `GET /dunning-policy`: the levels, overrides and templates in force (the built-in default until one is saved). */
export const handler = httpHandler('GET /dunning-policy', async () => json(200, await getDunningPolicy(deps)));
