import { findPayments } from '#domain/use-cases/payments';
import { httpHandler, listResponse, pageOf } from '#shared/http';
import { paymentStore } from '#shared/wiring';

const deps = { payments: paymentStore() };

/** `GET /payments?status=unmatched`: a page of payments of one status, unmatched ones with their candidates. */
export const handler = httpHandler('GET /payments', async (event) => listResponse(event, await findPayments({ status: event.queryStringParameters?.status, ...pageOf(event) }, deps)));
