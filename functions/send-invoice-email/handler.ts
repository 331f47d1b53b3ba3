import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { sesClient } from '#adapters/aws-clients';
import { sesMailer } from '#adapters/mailer-ses';
import { sendInvoiceEmail } from '#domain/use-cases/billing';
import { buildInvoiceEmail } from '#shared/documents/invoice-email';
import { logger } from '#shared/observability';
import { invoiceDocuments, invoiceStore, seller, tableDeps } from '#shared/wiring';

const { clock, ids } = tableDeps();
const deps = { invoices: invoiceStore(), documents: invoiceDocuments(), mailer: sesMailer(sesClient(), process.env.SES_CONFIGURATION_SET), compose: buildInvoiceEmail, seller: seller(), clock, ids };

/** Billing workflow task `SendInvoiceEmail`: the email with PDF and UBL attached, once per invoice. */
export const handler = middy(async (event: unknown) => sendInvoiceEmail(z.object({ invoiceId: z.string().min(1) }).parse(event).invoiceId, deps)).use(
  injectLambdaContext(logger),
);
