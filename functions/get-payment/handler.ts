import { getPayment } from '#domain/use-cases/payments';
import { httpHandler, json, pathParameter } from '#shared/http';
import { paymentStore } from '#shared/wiring';

const deps = { payments: paymentStore() };

/** `GET /payments/{id}`: one payment with its allocations, adjustments and candidates. */
export const handler = httpHandler('GET /payments/{id}', async (event) => json(200, await getPayment(pathParameter(event, 'id'), deps)));
