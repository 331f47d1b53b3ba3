import { reissueInvoice } from '#domain/use-cases/reissue-invoice';
import { ReissueBody } from '#schemas/operator-api';
import { httpHandler, json, parseBody, pathParameter } from '#shared/http';
import { creditNoteDeps } from '#shared/policy-wiring';

const deps = creditNoteDeps();

/** `POST /invoices/{id}/reissue`: `{reason, lines: [{lineNumber, quantity?, unitPriceMinor?, discountMinor?, description?}]}`. */
export const handler = httpHandler('POST /invoices/{id}/reissue', async (event, caller) => {
  const body = parseBody(event, ReissueBody);
  return json(201, await reissueInvoice({ invoiceId: pathParameter(event, 'id'), corrections: body.lines, reason: body.reason, caller }, deps));
});
