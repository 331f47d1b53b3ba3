import { findPayments } from '#domain/use-cases/payments';
import { httpHandler, json, pageOf } from '#shared/http';
import { paymentStore } from '#shared/wiring';

const deps = { payments: paymentStore() };

/** `GET /payments?status=unmatched`: a page of payments of one status, unmatched ones with their candidates. */
export const handler = httpHandler('GET /payments', async (event) => json(200, await findPayments({ status: event.queryStringParameters?.status, ...pageOf(event) }, deps)));
