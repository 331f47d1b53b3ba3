import { findInvoices } from '#domain/use-cases/read-invoices';
import { httpHandler, json, pageOf } from '#shared/http';
import { invoiceStore, tableDeps } from '#shared/wiring';

const deps = { ...tableDeps(), invoices: invoiceStore() };

/** `GET /invoices?orderId=` or `GET /invoices?customerId=&status=`: a page of invoices. */
export const handler = httpHandler('GET /invoices', async (event) => {
  const query = event.queryStringParameters ?? {};
  return json(200, await findInvoices({ orderId: query.orderId, customerId: query.customerId, status: query.status, ...pageOf(event) }, deps));
});
