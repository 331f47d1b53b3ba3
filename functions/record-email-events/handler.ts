import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { recordEmailEvent } from '#domain/use-cases/billing';
import { toEmailEvent } from '#schemas/ses-events';
import { logger } from '#shared/observability';
import { invoiceStore, tableDeps } from '#shared/wiring';

const { clock, ids } = tableDeps();
const deps = { invoices: invoiceStore(), clock, ids };

/** SES delivery, bounce, complaint and reject events (EventBridge) recorded on the invoice whose email it was. */
export const handler = middy(async (event: unknown) => {
  const emailEvent = toEmailEvent(event);
  return emailEvent ? recordEmailEvent(emailEvent, deps) : { recorded: false };
}).use(injectLambdaContext(logger));
