import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import * as z from '#schemas/zod';
import { sesClient } from '#adapters/aws-clients';
import { sesMailer } from '#adapters/mailer-ses';
import { EmailNotSent } from '#domain/errors';
import { sendInvoiceEmail } from '#domain/use-cases/billing';
import { buildInvoiceEmail } from '#shared/documents/invoice-email';
import { businessMetrics, point } from '#shared/metrics';
import { logger, metrics, recordMetrics } from '#shared/observability';
import { seller } from '#shared/policy-wiring';
import { invoiceDocuments, invoiceStore, tableDeps } from '#shared/wiring';

const { clock, ids } = tableDeps();
const deps = { invoices: invoiceStore(), documents: invoiceDocuments(), mailer: sesMailer(sesClient(), process.env.SES_CONFIGURATION_SET), compose: buildInvoiceEmail, seller: seller(), clock, ids };

/** Billing workflow task `SendInvoiceEmail`: the email with PDF and UBL attached, once per invoice. */
export const handler = middy(async (event: unknown) => {
  const { invoiceId } = z.object({ invoiceId: z.string().check(z.minLength(1)) }).parse(event);
  try {
    return await sendInvoiceEmail(invoiceId, deps);
  } catch (error) {
    // The attempt failed and is recorded on the invoice; the workflow retries it (a TransientError to the ASL).
    if (error instanceof EmailNotSent) recordMetrics([point(businessMetrics.emailsFailed, { Kind: 'send' })]);
    throw error;
  }
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
