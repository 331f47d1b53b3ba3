import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { sesClient } from '#adapters/aws-clients';
import { sesMailer } from '#adapters/mailer-ses';
import { EmailNotSent } from '#domain/errors';
import { resendInvoiceEmail } from '#domain/use-cases/billing';
import { buildInvoiceEmail } from '#shared/documents/invoice-email';
import { httpHandler, json, pathParameter } from '#shared/http';
import { businessMetrics, point } from '#shared/metrics';
import { metrics, recordMetrics } from '#shared/observability';
import { seller } from '#shared/policy-wiring';
import { invoiceDocuments, invoiceStore, tableDeps } from '#shared/wiring';

const { customers, clock, ids } = tableDeps();
const deps = { invoices: invoiceStore(), documents: invoiceDocuments(), mailer: sesMailer(sesClient(), process.env.SES_CONFIGURATION_SET), compose: buildInvoiceEmail, seller: seller(), customers, clock, ids };

/**
 * `POST /invoices/{id}/email`: sends a FAILED or BOUNCED invoice email again (PDF and UBL attached) to the customer's
 * current address → 200 `{outcome: "sent", to, email}`; 200 `{outcome: "already-sent"}` for one SENT; 409 while it
 * is being sent or before the workflow sent it; 503 with the reason when sending fails again (recorded on the invoice).
 */
export const handler = httpHandler('POST /invoices/{id}/email', async (event, caller) => {
  try {
    return json(200, await resendInvoiceEmail({ invoiceId: pathParameter(event, 'id'), actor: caller.actor }, deps));
  } catch (error) {
    if (error instanceof EmailNotSent) recordMetrics([point(businessMetrics.emailsFailed, { Kind: 'resend' })]);
    throw error;
  }
}).use(logMetrics(metrics));
