import { openDispute } from '#domain/use-cases/disputes';
import { DisputeBody } from '#schemas/operator-api';
import { httpHandler, json, parseBody, pathParameter } from '#shared/http';
import { invoiceStore, tableDeps } from '#shared/wiring';

const deps = { ...tableDeps(), invoices: invoiceStore() };

/** `POST /invoices/{id}/disputes`: `{reasonCode, note, attachments?}`; 409 for a paid, credited or void invoice. */
export const handler = httpHandler('POST /invoices/{id}/disputes', async (event, caller) =>
  json(201, await openDispute({ invoiceId: pathParameter(event, 'id'), ...parseBody(event, DisputeBody), actor: caller.actor }, deps)),
);
