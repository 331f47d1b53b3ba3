import { issueCreditNote } from '#domain/use-cases/credit-notes';
import { CreditNoteBody, creditRequestOf } from '#schemas/operator-api';
import { httpHandler, json, parseBody, pathParameter } from '#shared/http';
import { creditNoteDeps } from '#shared/policy-wiring';

const deps = creditNoteDeps();

/** `POST /invoices/{id}/credit-notes`: `{lines | amountMinor, reason}`; 409 above what is open. */
export const handler = httpHandler('POST /invoices/{id}/credit-notes', async (event, caller) => {
  const body = parseBody(event, CreditNoteBody);
  return json(201, await issueCreditNote({ invoiceId: pathParameter(event, 'id'), request: creditRequestOf(body), reason: body.reason, caller }, deps));
});
