import { reportForecast } from '#domain/use-cases/report-snapshots';
import { httpHandler, json, listResponse, wantsCsv } from '#shared/http';
import { reportStore } from '#shared/wiring';

const deps = { store: reportStore() };

/** `GET /reports/forecast?currency=&weeks=13`: the latest forecast per ISO week with its range and backtest; CSV: one row per week. */
export const handler = httpHandler('GET /reports/forecast', async (event) => {
  const query = event.queryStringParameters ?? {};
  const forecast = await reportForecast({ currency: query.currency, weeks: query.weeks }, deps);
  return wantsCsv(event) ? listResponse(event, { items: forecast.weeks.map((week) => ({ currency: forecast.currency, asOf: forecast.asOf, ...week })) }) : json(200, forecast);
});
