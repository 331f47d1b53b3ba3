import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from '#schemas/zod';
import { renderInvoiceDocuments } from '#domain/use-cases/billing';
import { renderInvoicePdf } from '#shared/documents/invoice-pdf';
import { renderInvoiceUbl } from '#shared/documents/invoice-ubl';
import { logger } from '#shared/logger';
import { invoiceDocuments, invoiceStore } from '#shared/wiring';

const deps = { invoices: invoiceStore(), documents: invoiceDocuments(), renderer: { pdf: renderInvoicePdf, ubl: renderInvoiceUbl } };

/** Billing workflow task `RenderDocuments`: PDF and UBL of the invoice into the invoices bucket. */
export const handler = middy(async (event: unknown) => renderInvoiceDocuments(z.object({ invoiceId: z.string().check(z.minLength(1)) }).parse(event).invoiceId, deps)).use(
  injectLambdaContext(logger),
);
