import { reportAgeing } from '#domain/use-cases/reports';
import { httpHandler, json, listResponse, wantsCsv } from '#shared/http';
import { browse, tableDeps } from '#shared/wiring';

const deps = { ...tableDeps(), browse: browse() };

/** `GET /reports/ageing?currency=&asOf=&buckets=30,60,90&items=true`: the ageing across customers; CSV: one row per bucket. */
export const handler = httpHandler('GET /reports/ageing', async (event) => {
  const query = event.queryStringParameters ?? {};
  const report = await reportAgeing({ currency: query.currency, asOf: query.asOf, buckets: query.buckets, items: query.items }, deps);
  return wantsCsv(event) ? listResponse(event, { items: report.buckets.map((bucket) => ({ asOf: report.asOf, currency: report.currency, ...bucket })) }) : json(200, report);
});
