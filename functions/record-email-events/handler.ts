import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { recordEmailEvent } from '#domain/use-cases/billing';
import { toEmailEvent } from '#schemas/ses-events';
import { businessMetrics, point } from '#shared/metrics';
import { logger, metrics, recordMetrics } from '#shared/observability';
import { invoiceStore, tableDeps } from '#shared/wiring';

const { clock, ids } = tableDeps();
const deps = { invoices: invoiceStore(), clock, ids };

/** SES delivery, bounce, complaint and reject events (EventBridge) recorded on the invoice whose email it was. */
export const handler = middy(async (event: unknown) => {
  const emailEvent = toEmailEvent(event);
  if (!emailEvent) return { recorded: false };
  const result = await recordEmailEvent(emailEvent, deps);
  if (result.recorded && result.failed) recordMetrics([point(businessMetrics.emailsFailed, { Kind: emailEvent.kind })]);
  return result;
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
