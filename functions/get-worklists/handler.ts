import { worklistSummaries } from '#domain/use-cases/worklists';
import { httpHandler, json } from '#shared/http';
import { deadLetters } from '#shared/dead-letters-wiring';
import { worklists } from '#shared/wiring';

const deps = { worklists: worklists(), deadLetters: deadLetters('read') };

/**
 * `GET /worklists`: `{items: [{kind, count, oldestAt, amounts: [{currency, amountMinor}]}]}`; the dead-letters
 * count is the messages in every dead-letter queue, its `oldestAt` null (SQS keeps no such attribute).
 */
export const handler = httpHandler('GET /worklists', async () => json(200, await worklistSummaries(deps)));
