import { getInvoice } from '#domain/use-cases/read-invoices';
import { httpHandler, json, pathParameter } from '#shared/http';
import { invoiceDocuments, invoiceStore } from '#shared/wiring';

const deps = { invoices: invoiceStore(), documents: invoiceDocuments() };

/** `GET /invoices/{id}`: the invoice with presigned `pdfUrl` and `ublUrl` (15 minutes). */
export const handler = httpHandler('GET /invoices/{id}', async (event) => json(200, await getInvoice(pathParameter(event, 'id'), deps)));
