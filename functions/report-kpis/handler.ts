import { reportKpis } from '#domain/use-cases/report-snapshots';
import { httpHandler, json, listResponse, wantsCsv } from '#shared/http';
import { kpiRows } from '#domain/report-snapshots';
import { reportStore, tableDeps } from '#shared/wiring';

const deps = { clock: tableDeps().clock, store: reportStore() };

/** `GET /reports/kpis?currency=&from=YYYY-MM&to=YYYY-MM`: every KPI with its inputs; CSV: one row per figure. */
export const handler = httpHandler('GET /reports/kpis', async (event) => {
  const query = event.queryStringParameters ?? {};
  const report = await reportKpis({ currency: query.currency, from: query.from, to: query.to }, deps);
  return wantsCsv(event) ? listResponse(event, { items: kpiRows(report) }) : json(200, report);
});
