import { saveCsvProfile } from '#domain/use-cases/payments';
import { CsvProfileSchema } from '#shared/bank/csv-profile';
import { httpHandler, json, parseBody, pathParameter } from '#shared/http';
import { businessClock } from '#shared/clock';
import { csvProfiles } from '#shared/wiring';

const deps = { profiles: csvProfiles(), clock: businessClock };

/** `PUT /bank-accounts/{account}/csv-profile`: how CSV exports of this account are read (columns, dates, decimals). */
export const handler = httpHandler('PUT /bank-accounts/{account}/csv-profile', async (event, caller) =>
  json(200, await saveCsvProfile({ account: pathParameter(event, 'account'), profile: parseBody(event, CsvProfileSchema), caller }, deps)),
);
