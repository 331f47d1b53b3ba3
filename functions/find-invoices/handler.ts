import { browseInvoices } from '#domain/use-cases/browse';
import { findInvoices } from '#domain/use-cases/read-invoices';
import { httpHandler, listResponse, pageOf } from '#shared/http';
import { browse, invoiceStore, tableDeps } from '#shared/wiring';

const deps = { ...tableDeps(), invoices: invoiceStore(), browse: browse() };

/**
 * `GET /invoices?orderId=`, `GET /invoices?customerId=&status=`, or across customers `GET /invoices?status=&kind=&currency=
 * &dueFrom=&dueTo=&overdue=`: a page of invoices, as JSON or CSV.
 */
export const handler = httpHandler('GET /invoices', async (event) => {
  const query = event.queryStringParameters ?? {};
  const page = pageOf(event);
  if (query.orderId || query.customerId) return listResponse(event, await findInvoices({ orderId: query.orderId, customerId: query.customerId, status: query.status, ...page }, deps));
  return listResponse(event, await browseInvoices({ status: query.status, kind: query.kind, currency: query.currency, dueFrom: query.dueFrom, dueTo: query.dueTo, overdue: query.overdue, ...page }, deps));
});
