import { recordPromise } from '#domain/use-cases/dunning';
import { PromiseBody } from '#schemas/dunning-policy';
import { httpHandler, json, parseBody, pathParameter } from '#shared/http';
import { invoiceStore, tableDeps } from '#shared/wiring';

const deps = { ...tableDeps(), invoices: invoiceStore() };

/** `POST /invoices/{id}/promises`: `{date, amountMinor, note?}`; dunning waits until the day after the date. */
export const handler = httpHandler('POST /invoices/{id}/promises', async (event, caller) =>
  json(201, await recordPromise({ invoiceId: pathParameter(event, 'id'), ...parseBody(event, PromiseBody), caller }, deps)),
);
